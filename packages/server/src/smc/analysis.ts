import { bosChoch, fvg, liquidity, ob, swingHighsLows, type Candles } from '@smc-trading/smc'

/** Wire shapes of `SmcAnalysisDetail` and its parts (see openapi/components/schemas/smc.yaml). */
export type SmcDirection = 'bullish' | 'bearish'

export interface SmcOrderBlockView {
  price_level: [number, number]
  type: SmcDirection
  strength: number
  volume_ratio: number
  timestamp: string
}

export interface SmcStructureBreakView {
  confirmed: boolean
  price_level: number | null
  direction: SmcDirection | null
  type: 'bos' | 'choch' | null
}

export interface SmcFairValueGapView {
  detected: boolean
  top: number | null
  bottom: number | null
  direction: SmcDirection | null
}

export interface SmcLiquiditySweepView {
  price: number
  volume: number
  timestamp: string
  side: 'buy' | 'sell'
}

export interface SmcAnalysisView {
  trend: SmcDirection | 'neutral'
  order_blocks: SmcOrderBlockView[]
  choch_bos: SmcStructureBreakView
  fvg: SmcFairValueGapView
  liquidity_sweeps: SmcLiquiditySweepView[]
}

export interface SmcAnalysisOptions {
  /** Candles on each side of a swing (engine `swingLength`). */
  swingLength: number
  /** Decimals of the instrument's prices: derived prices (pool means) are rounded to them. */
  priceDecimals: number
  /** Longest order_blocks / liquidity_sweeps lists. Default 10. */
  maxItems?: number
}

/** Liquidity tolerance: 1% of the analysed candles' high-low range (the engine's default). */
export const SMC_RANGE_PERCENT = 0.01

const direction = (v: number): SmcDirection => (v > 0 ? 'bullish' : 'bearish')
const round = (x: number, decimals: number): number => Number(x.toFixed(decimals))
const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * The SMC analysis of `candles` (ascending, closed candles only), as the `analysis` object of
 * `GET /v1/analytics/smc/{symbol}`. Runs the engine in its clean mode (`parity: false`): no
 * artificial swings on the first / last candle, breaks searched from the candle that completes a
 * pattern, "never mitigated" as unset rather than 0. Every derivation is documented in the
 * contract's `SmcAnalysis` schemas. Deterministic; O(n) in the number of candles.
 *
 * @example
 * const cols = market.candleColumns('BTCUSDT', '15m', { limit: 500 })
 * const { trend, order_blocks } = analyzeSmc(cols, { swingLength: 10, priceDecimals: 2 })
 */
export function analyzeSmc(candles: Candles, options: SmcAnalysisOptions): SmcAnalysisView {
  const { swingLength, priceDecimals, maxItems = 10 } = options
  const n = candles.time.length
  const { time: T, volume: V } = candles
  const swings = swingHighsLows(candles, { swingLength, parity: false })
  const structure = bosChoch(candles, swings, { closeBreak: true, parity: false })
  const blocks = ob(candles, swings, { closeMitigation: false, parity: false })
  const gaps = fvg(candles, { parity: false })
  const pools = liquidity(candles, swings, { rangePercent: SMC_RANGE_PERCENT, parity: false })

  // trend: the surviving signal broken last (break rows of surviving signals strictly increase).
  let trend: SmcAnalysisView['trend'] = 'neutral'
  let lastBreak = -1
  for (let i = 0; i < n; i++) {
    const b = structure.brokenIndex[i]!
    if (b === b && b > lastBreak) {
      lastBreak = b
      const d = structure.bos[i] === structure.bos[i] ? structure.bos[i]! : structure.choch[i]!
      trend = direction(d)
    }
  }

  return {
    trend,
    order_blocks: orderBlocks(candles, blocks, maxItems),
    choch_bos: latestPattern(swings.highLow, swings.level, structure.brokenIndex),
    fvg: latestOpenGap(gaps),
    liquidity_sweeps: sweeps(T, V, pools, priceDecimals, maxItems),
  }
}

/** Unmitigated order blocks, newest first. */
function orderBlocks(c: Candles, o: ReturnType<typeof ob>, max: number): SmcOrderBlockView[] {
  const n = c.time.length
  const V = c.volume
  let volSum = 0
  for (let i = 0; i < n; i++) volSum += V[i]!
  const meanVolume = n > 0 ? volSum / n : 0
  const out: SmcOrderBlockView[] = []
  for (let i = n - 1; i >= 0 && out.length < max; i--) {
    const d = o.ob[i]!
    // parity: false leaves MitigatedIndex unset (NaN) for a block price has not traded through.
    if (d !== d || o.mitigatedIndex[i] === o.mitigatedIndex[i]) continue
    const volumeRatio = meanVolume > 0 ? o.obVolume[i]! / 3 / meanVolume : 0
    out.push({
      // The block is the candle's range (the engine's Top/Bottom are float32-rounded copies of it).
      price_level: [c.low[i]!, c.high[i]!],
      type: direction(d),
      strength: round((o.percentage[i]! / 100) * Math.min(1, volumeRatio), 4),
      volume_ratio: round(volumeRatio, 4),
      timestamp: iso(c.time[i]!),
    })
  }
  return out
}

/**
 * The last window of four consecutive swings that forms a BOS/CHOCH pattern (same rules as the
 * engine's `bosChoch`); confirmed when the engine reports its level broken (the latest pattern
 * can't have been superseded, so an unset BrokenIndex means "not broken yet").
 */
function latestPattern(highLow: Float64Array, level: Float64Array, brokenIndex: Float64Array): SmcStructureBreakView {
  const rows: number[] = []
  for (let i = 0; i < highLow.length; i++) if (highLow[i] === highLow[i]) rows.push(i)
  for (let e = rows.length - 1; e >= 3; e--) {
    const [r1, r2, r3, r4] = [rows[e - 3]!, rows[e - 2]!, rows[e - 1]!, rows[e]!]
    const [a, b, c, d] = [level[r1]!, level[r2]!, level[r3]!, level[r4]!]
    const bullishRun = highLow[r1] === -1 && highLow[r2] === 1 && highLow[r3] === -1 && highLow[r4] === 1
    const bearishRun = highLow[r1] === 1 && highLow[r2] === -1 && highLow[r3] === 1 && highLow[r4] === -1
    let kind: 'bos' | 'choch' | undefined
    if (bullishRun) kind = a < c && c < b && b < d ? 'bos' : d > b && b > a && a > c ? 'choch' : undefined
    else if (bearishRun) kind = a > c && c > b && b > d ? 'bos' : d < b && b < a && a < c ? 'choch' : undefined
    if (kind === undefined) continue
    return {
      confirmed: brokenIndex[r2] === brokenIndex[r2],
      price_level: b,
      direction: bullishRun ? 'bullish' : 'bearish',
      type: kind,
    }
  }
  return { confirmed: false, price_level: null, direction: null, type: null }
}

/** The most recent gap that is still open (parity: false leaves MitigatedIndex unset). */
function latestOpenGap(g: ReturnType<typeof fvg>): SmcFairValueGapView {
  for (let i = g.fvg.length - 1; i >= 0; i--) {
    const d = g.fvg[i]!
    if (d !== d || g.mitigatedIndex[i] === g.mitigatedIndex[i]) continue
    return { detected: true, top: g.top[i]!, bottom: g.bottom[i]!, direction: direction(d) }
  }
  return { detected: false, top: null, bottom: null, direction: null }
}

/** Swept pools, most recent sweep first (ties: the later pool first). */
function sweeps(
  T: Float64Array,
  V: Float64Array,
  p: ReturnType<typeof liquidity>,
  priceDecimals: number,
  max: number,
): SmcLiquiditySweepView[] {
  const rows: number[] = []
  for (let i = 0; i < p.liquidity.length; i++) if (p.liquidity[i] === p.liquidity[i] && p.swept[i] === p.swept[i]) rows.push(i)
  rows.sort((x, y) => p.swept[y]! - p.swept[x]! || y - x)
  return rows.slice(0, max).map((i) => {
    const at = p.swept[i]!
    return {
      price: round(p.level[i]!, priceDecimals),
      volume: V[at]!,
      timestamp: iso(T[at]!),
      side: p.liquidity[i]! > 0 ? 'buy' : 'sell',
    }
  })
}
