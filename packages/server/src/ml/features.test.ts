import type { Candles } from '@smc-trading/smc'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../core'
import { createSimulatedMarket } from '../market'
import { analyzeSmc } from '../smc/analysis'
import { computeFeatures, FEATURE_NAMES } from './features'
import { flatBand, directionOf, forwardReturns, UP, FLAT, DOWN } from './labels'
import { smcTrendSeries } from './smc-trend'

const prefix = (c: Candles, n: number): Candles => ({
  time: c.time.slice(0, n),
  open: c.open.slice(0, n),
  high: c.high.slice(0, n),
  low: c.low.slice(0, n),
  close: c.close.slice(0, n),
  volume: c.volume.slice(0, n),
})

const market = createSimulatedMarket({ clock: new ManualClock(Date.UTC(2024, 2, 10, 6, 30)), seed: 7, historyDays: 12 })
const cols = prefix(market.candleColumns('ETHUSDT', '1h', { limit: 1000 }), 280)

describe('features', () => {
  it('are causal: row t computed on the whole series equals row t computed on candles ≤ t', () => {
    const full = computeFeatures(cols)
    for (const n of [25, 40, 77, 150, 211, 280]) {
      const part = computeFeatures(prefix(cols, n))
      const t = n - 1
      const a = Array.from(full.values.subarray(t * full.d, (t + 1) * full.d))
      const b = Array.from(part.values.subarray(t * part.d, (t + 1) * part.d))
      expect(b).toEqual(a)
    }
  })

  it('smc_trend at t is the batch SMC analysis trend of candles ≤ t (swings confirmed by t only)', () => {
    const trend = smcTrendSeries(cols, 5)
    let nonZero = 0
    for (let n = 1; n <= cols.time.length; n += 7) {
      const batch = analyzeSmc(prefix(cols, n), { swingLength: 5, priceDecimals: 2 }).trend
      const expected = batch === 'bullish' ? 1 : batch === 'bearish' ? -1 : 0
      expect(trend[n - 1], `prefix ${n}`).toBe(expected)
      if (expected !== 0) nonZero++
    }
    expect(nonZero).toBeGreaterThan(10)
  })

  it('are NaN until enough history, then defined with the documented values', () => {
    const f = computeFeatures(cols)
    expect(f.names).toEqual(FEATURE_NAMES)
    const col = (name: string, t: number): number => f.values[t * f.d + FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number])]!
    expect(col('log_return_12', 11)).toBeNaN()
    expect(col('log_return_12', 12)).toBeCloseTo(Math.log(cols.close[12]! / cols.close[0]!), 15)
    expect(col('rsi_14', 13)).toBeNaN()
    expect(col('rsi_14', 14)).toBeGreaterThanOrEqual(0)
    expect(col('bollinger_pct_b_20', 18)).toBeNaN()
    // %B: 20-candle population σ by hand.
    const t = 100
    let mean = 0
    for (let i = t - 19; i <= t; i++) mean += cols.close[i]!
    mean /= 20
    let v = 0
    for (let i = t - 19; i <= t; i++) v += (cols.close[i]! - mean) ** 2
    const sd = Math.sqrt(v / 20)
    expect(col('bollinger_pct_b_20', t)).toBeCloseTo((cols.close[t]! - (mean - 2 * sd)) / (4 * sd), 9)
    let vs = 0
    for (let i = t - 19; i <= t; i++) vs += cols.volume[i]!
    expect(col('volume_ratio_20', t)).toBeCloseTo(cols.volume[t]! / (vs / 20), 9)
    for (let r = 20; r < f.rows; r++) for (let j = 0; j < f.d; j++) expect(Number.isFinite(f.values[r * f.d + j]!)).toBe(true)
  })
})

describe('labels', () => {
  it('classify forward returns with a flat band at the training tercile of |return|', () => {
    const close = new Float64Array([100, 101, 100, 100, 97])
    const r = forwardReturns(close, 1)
    expect(r[4]).toBeNaN()
    const band = flatBand([0.01, -0.002, 0.004, -0.03, 0, 0.02])
    expect(band).toBe(0.004) // sorted |r|: 0, 0.002, 0.004, …; index floor(6/3) = 2
    expect(directionOf(0.0041, band)).toBe(UP)
    expect(directionOf(-0.0041, band)).toBe(DOWN)
    expect(directionOf(0.004, band)).toBe(FLAT)
    expect(directionOf(0, 0)).toBe(FLAT)
  })
})
