import { checkCandle } from '../stream/engine'
import type { StreamCandle } from '../stream/types'
import { CausalCore } from './core'
import { compareZoneEvents, compareZones } from './order'
import { checkBand, premiumDiscountPoint } from './premium-discount'
import { HtfAggregator } from './timeframe'
import type { CausalEvents, CausalOptions, HigherTimeframeCandle, PremiumDiscountPoint } from './types'

/** What one candle made known (new records only; every one has `confirmedAt` = this candle's row). */
export interface CausalEmission extends CausalEvents {
  /** Row of the candle just pushed. */
  index: number
  /** Premium / discount at this candle. */
  premiumDiscount: PremiumDiscountPoint
  /** The higher timeframe's news at this candle (when configured): candles it closed, their records. */
  higherTimeframe?: CausalEvents & { candles: HigherTimeframeCandle[]; premiumDiscount: PremiumDiscountPoint }
}

/**
 * The causal engine, one candle at a time (`createSmcStream({ mode: 'causal' })`). Each `push`
 * returns what that candle made known; nothing returned is ever changed or withdrawn later.
 */
export interface CausalSmcStream {
  readonly mode: 'causal'
  /** Candles pushed. */
  readonly length: number
  /** Append a candle (times strictly increasing, finite values; RangeError otherwise, stream unchanged). */
  push(candle: StreamCandle): CausalEmission
  /** Every record emitted so far (append-only logs, the same as `smcCausal` on the candles pushed). */
  events(): CausalEvents
  /** The higher timeframe's candles closed so far and every record emitted for it (undefined when not configured). */
  higherTimeframe(): (CausalEvents & { periodMs: number; candles: HigherTimeframeCandle[] }) | undefined
}

const NONE: never[] = []
Object.freeze(NONE)

const emptyEvents = (): CausalEvents => ({ swings: [], breaks: [], zones: [], zoneEvents: [] })

/** `a` from index `from` on, in the shared order when `cmp` is given (the shared empty array when nothing). */
function tail<T>(a: T[], from: number, cmp?: (x: T, y: T) => number): T[] {
  const k = a.length - from
  if (k === 0) return NONE
  if (k === 1 || !cmp) return a.slice(from)
  const sorted = a.slice(from).sort(cmp)
  for (let q = 0; q < k; q++) a[from + q] = sorted[q]!
  return sorted
}

/** See {@link CausalSmcStream}; options as {@link smcCausal}. */
export function createCausalStream(options: CausalOptions = {}): CausalSmcStream {
  const swingLength = options.swingLength ?? 50
  const closeBreak = options.closeBreak ?? true
  const closeMitigation = options.closeMitigation ?? false
  const band = checkBand(options.equilibriumBand ?? 0.05)
  const log = emptyEvents()
  const core = new CausalCore(swingLength, closeBreak, closeMitigation, log)
  const htfOpts = options.higherTimeframe
  const htfLog = emptyEvents()
  const htfCandles: HigherTimeframeCandle[] = []
  const agg = htfOpts && new HtfAggregator(htfOpts)
  const htfCore = htfOpts && new CausalCore(htfOpts.swingLength ?? swingLength, closeBreak, closeMitigation, htfLog)
  let stamp = 0
  const onClose = (bar: HigherTimeframeCandle): void => {
    htfCandles.push(bar)
    htfCore!.push(bar.open, bar.high, bar.low, bar.close, stamp)
  }
  let lastTime: number | undefined
  const point = (): PremiumDiscountPoint => ({ rangeHigh: 0, rangeLow: 0, equilibrium: 0, position: 0, zone: 0 })

  return {
    mode: 'causal',
    get length() {
      return core.n
    },
    push(candle) {
      const r = core.n
      checkCandle(candle, r, lastTime)
      const { time, open, high, low, close, volume } = candle
      lastTime = time
      stamp = r
      const { swings, breaks, zones, zoneEvents } = log
      const m0 = swings.length
      const m1 = breaks.length
      const m2 = zones.length
      const m3 = zoneEvents.length
      core.push(open, high, low, close, r)
      const out: CausalEmission = {
        index: r,
        swings: tail(swings, m0),
        breaks: tail(breaks, m1),
        zones: tail(zones, m2, compareZones),
        zoneEvents: tail(zoneEvents, m3, compareZoneEvents),
        premiumDiscount: premiumDiscountPoint(point(), core.hiLevel, core.loLevel, close, band),
      }
      if (agg) {
        const h0 = htfLog.swings.length
        const h1 = htfLog.breaks.length
        const h2 = htfLog.zones.length
        const h3 = htfLog.zoneEvents.length
        const before = htfCandles.length
        agg.push(r, time, open, high, low, close, volume, onClose)
        out.higherTimeframe = {
          candles: tail(htfCandles, before),
          swings: tail(htfLog.swings, h0),
          breaks: tail(htfLog.breaks, h1),
          zones: tail(htfLog.zones, h2, compareZones),
          zoneEvents: tail(htfLog.zoneEvents, h3, compareZoneEvents),
          premiumDiscount: premiumDiscountPoint(point(), htfCore!.hiLevel, htfCore!.loLevel, close, band),
        }
      }
      return out
    },
    events: () => log,
    higherTimeframe: () => (agg ? { periodMs: agg.periodMs, candles: htfCandles, ...htfLog } : undefined),
  }
}
