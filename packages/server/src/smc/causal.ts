import { smcCausal, type Candles, type CausalEvents, type PremiumDiscount } from '@smc-trading/smc'
import type { SmcDirection } from './analysis'

/** Wire shapes of `SmcCausalAnalysis` and its parts (see openapi/components/schemas/smc.yaml). */
export interface SmcZoneView {
  kind: 'order_block' | 'breaker_block' | 'fair_value_gap'
  direction: SmcDirection
  top: number
  bottom: number
  timestamp: string
  confirmed_at: string
  state: 'active' | 'tested' | 'mitigated'
  tested_at: string | null
  mitigated_at: string | null
}

export interface SmcCausalBreakView {
  type: 'bos' | 'choch'
  direction: SmcDirection
  level: number
  swing_timestamp: string
  confirmed_at: string
}

export interface SmcDealingRangeView {
  high: number
  low: number
  equilibrium: number
  position: number
  zone: 'premium' | 'equilibrium' | 'discount'
}

export interface SmcCausalTimeframeView<I extends string = string> {
  interval: I
  candles_analyzed: number
  trend: SmcDirection | 'neutral'
  last_break: SmcCausalBreakView | null
  dealing_range: SmcDealingRangeView | null
  zones: SmcZoneView[]
}

export interface SmcCausalView<I extends string = string> {
  base: SmcCausalTimeframeView<I>
  higher_timeframe?: SmcCausalTimeframeView<I>
}

export interface SmcCausalOptions<I extends string = string> {
  swingLength: number
  /** The analysed candles' interval: its name and length in ms. */
  interval: I
  intervalMs: number
  /** A longer interval to aggregate and analyse too. */
  higher?: { interval: I; intervalMs: number }
  /** Longest zones list per timeframe. Default 30 (the contract's maximum). */
  maxZones?: number
}

const KIND = { ob: 'order_block', breaker: 'breaker_block', fvg: 'fair_value_gap' } as const
const STATES = ['active', 'tested', 'mitigated'] as const
const direction = (v: number): SmcDirection => (v > 0 ? 'bullish' : 'bearish')
const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * The causal SMC analysis of `candles` (ascending, closed candles only) as of the last one, as the
 * `causal` object of `GET /v1/analytics/smc/{symbol}?mode=causal`: the engine's `smcCausal`
 * records folded into the state at the last candle. Deterministic; O(n log n).
 *
 * @example
 * const cols = closedCandles(market, 'BTCUSDT', '5m', 500)
 * const view = analyzeSmcCausal(cols, { swingLength: 10, interval: '5m', intervalMs: 300_000, higher: { interval: '1h', intervalMs: 3_600_000 } })
 */
export function analyzeSmcCausal<I extends string>(candles: Candles, options: SmcCausalOptions<I>): SmcCausalView<I> {
  const { swingLength, higher, maxZones = 30 } = options
  const r = smcCausal(candles, {
    swingLength,
    higherTimeframe: higher && { timeFrame: higher.intervalMs, candleMs: options.intervalMs },
  })
  const T = candles.time
  const base = timeframe(options.interval, T.length, r, r.premiumDiscount, (i) => T[i]!, T, maxZones)
  if (!higher || !r.higherTimeframe) return { base }
  const h = r.higherTimeframe
  const bars = h.candles
  return { base, higher_timeframe: timeframe(higher.interval, bars.length, h, h.premiumDiscount, (k) => bars[k]!.time, T, maxZones) }
}

/**
 * One timeframe's state at the last input row. `rowTime` gives the open time of one of its own rows
 * (zone and swing candles); `inputTime` that of an input row (every confirmedAt).
 */
function timeframe<I extends string>(
  interval: I,
  candles: number,
  e: CausalEvents,
  pd: PremiumDiscount,
  rowTime: (row: number) => number,
  inputTime: Float64Array,
  maxZones: number,
): SmcCausalTimeframeView<I> {
  const last = e.breaks.at(-1)
  // Fold the lifecycle events: state, tested / mitigated candles, whether invalidated.
  const key = (kind: string, id: number) => `${kind}:${id}`
  const life = new Map<string, { state: number; tested: number; mitigated: number; invalidated: boolean }>()
  for (const ev of e.zoneEvents) {
    const k = key(ev.kind, ev.id)
    const z = life.get(k) ?? { state: 0, tested: -1, mitigated: -1, invalidated: false }
    if (ev.state === 'tested') (z.state = 1), (z.tested = ev.confirmedAt)
    else if (ev.state === 'mitigated') (z.state = 2), (z.mitigated = ev.confirmedAt)
    else z.invalidated = true
    life.set(k, z)
  }
  const zones: SmcZoneView[] = []
  for (let q = e.zones.length - 1; q >= 0 && zones.length < maxZones; q--) {
    const z = e.zones[q]!
    const l = life.get(key(z.kind, z.id))
    if (l?.invalidated) continue
    zones.push({
      kind: KIND[z.kind],
      direction: direction(z.direction),
      top: z.top,
      bottom: z.bottom,
      timestamp: iso(rowTime(z.index)),
      confirmed_at: iso(inputTime[z.confirmedAt]!),
      state: STATES[l?.state ?? 0]!,
      tested_at: l && l.tested >= 0 ? iso(inputTime[l.tested]!) : null,
      mitigated_at: l && l.mitigated >= 0 ? iso(inputTime[l.mitigated]!) : null,
    })
  }
  const n = inputTime.length
  const zone = pd.zone[n - 1]
  return {
    interval,
    candles_analyzed: candles,
    trend: last ? direction(last.direction) : 'neutral',
    last_break: last
      ? { type: last.kind, direction: direction(last.direction), level: last.level, swing_timestamp: iso(rowTime(last.swingIndex)), confirmed_at: iso(inputTime[last.confirmedAt]!) }
      : null,
    dealing_range:
      n > 0 && zone === zone
        ? {
            high: pd.rangeHigh[n - 1]!,
            low: pd.rangeLow[n - 1]!,
            equilibrium: pd.equilibrium[n - 1]!,
            position: pd.position[n - 1]!,
            zone: zone === 1 ? 'premium' : zone === -1 ? 'discount' : 'equilibrium',
          }
        : null,
    zones,
  }
}
