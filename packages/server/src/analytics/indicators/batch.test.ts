// Published worked examples (StockCharts ChartSchool spreadsheets) checked to their printed precision,
// and every value checked to 1e-9 against the naive reference implementations in
// reference.test-helpers.ts. The spreadsheets' price columns carry 4 decimals (e.g. 44.3389); the
// ChartSchool article prints them rounded to 2 (44.34). The published RSI 70.53 belongs to the
// 4-decimal closes; the 2-decimal ones give 70.46 (also checked below, against the reference).
import { describe, expect, it } from 'vitest'
import { atr, bollinger, ema, macd, rsi, sma, trueRange, volumeSma } from './index'
import {
  closeTo,
  firstMismatch,
  randomWalkCandles,
  refAtr,
  refEma,
  refMacd,
  refRsi,
  refSma,
  refStdevP,
  refTrueRange,
} from './reference.test-helpers'

const f64 = (x: readonly number[]) => Float64Array.from(x)

/** Published values (null = blank cell) match `got` within half a unit of the last printed decimal. */
function expectPublished(got: Float64Array, published: readonly (number | null)[], decimals: number): void {
  expect(got.length).toBe(published.length)
  const tol = 0.5 * 10 ** -decimals + 1e-12
  published.forEach((want, i) => {
    if (want === null) expect(Number.isNaN(got[i]!), `index ${i} should be NaN`).toBe(true)
    else expect(Math.abs(got[i]! - want), `index ${i}: ${got[i]} vs published ${want}`).toBeLessThanOrEqual(tol)
  })
}

const blank = (n: number): null[] => Array.from({ length: n }, () => null)

// cs-rsi.xls (QQQQ daily closes) and its 14-day RSI column, printed with 4 decimals.
const RSI_CLOSE = [
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614,
  46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548,
  44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
]
const RSI_PUBLISHED = [
  ...blank(14),
  70.5328, 66.3186, 66.5498, 69.4063, 66.3552, 57.9749, 62.9296, 63.2571, 56.0593, 62.3771, 54.7076, 50.4228, 39.9898,
  41.4605, 41.8689, 45.4632, 37.304, 33.0795, 37.773,
]

// cs-ema.xls: 30 closes and the 10-day EMA column (printed with 2 decimals), SMA-seeded.
const EMA_CLOSE = [
  22.2734, 22.194, 22.0847, 22.1741, 22.184, 22.1344, 22.2337, 22.4323, 22.2436, 22.2933, 22.1542, 22.3926, 22.3816,
  22.6109, 23.3558, 24.0519, 23.753, 23.8324, 23.9516, 23.6338, 23.8225, 23.8722, 23.6537, 23.187, 23.0976, 23.326,
  22.6805, 23.0976, 22.4025, 22.1725,
]
const EMA10_PUBLISHED = [
  ...blank(9),
  22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.54, 23.47, 23.4, 23.39,
  23.26, 23.23, 23.08, 22.92,
]

// cs-atr.xls: high, low, close, the True Range column and the 14-day ATR column (6 decimals).
const ATR_HIGH = [
  48.7, 48.72, 48.9, 48.87, 48.82, 49.05, 49.2, 49.35, 49.92, 50.19, 50.12, 49.66, 49.88, 50.19, 50.36, 50.57, 50.65,
  50.43, 49.63, 50.33, 50.29, 50.17, 49.32, 48.5, 48.3201, 46.8, 47.8, 48.39, 48.66, 48.79,
]
const ATR_LOW = [
  47.79, 48.14, 48.39, 48.37, 48.24, 48.635, 48.94, 48.86, 49.5, 49.87, 49.2, 48.9, 49.43, 49.725, 49.26, 50.09, 50.3,
  49.21, 48.98, 49.61, 49.2, 49.43, 48.08, 47.64, 41.55, 44.2833, 47.31, 47.2, 47.9, 47.7301,
]
const ATR_CLOSE = [
  48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13, 49.53, 49.5, 49.75, 50.03, 50.31, 50.52, 50.41,
  49.34, 49.37, 50.23, 49.2375, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
]
const ATR_TR_PUBLISHED = [
  0.91, 0.58, 0.51, 0.5, 0.58, 0.415, 0.26, 0.49, 0.6, 0.32, 0.93, 0.76, 0.45, 0.465, 1.1, 0.48, 0.35, 1.22, 0.65, 0.96,
  1.09, 0.9325, 1.85, 0.86, 6.7701, 2.5167, 2.39, 1.19, 0.94, 1.0599,
]
const ATR_PUBLISHED = [
  ...blank(13),
  0.555, 0.593929, 0.585791, 0.568949, 0.615452, 0.61792, 0.642354, 0.674329, 0.69277, 0.775429, 0.78147, 1.209229,
  1.30262, 1.38029, 1.366698, 1.336219, 1.316482,
]

// cs-bbands.xls (SPY daily closes) with Bollinger Bands (20, 2) columns, population σ.
const BB_CLOSE = [
  86.1557, 89.0867, 88.7829, 90.3228, 89.0671, 91.1453, 89.4397, 89.175, 86.9302, 87.6752, 86.9596, 89.4299, 89.3221,
  88.7241, 87.4497, 87.2634, 89.4985, 87.9006, 89.126, 90.7043, 92.9001, 92.9784, 91.8021, 92.6647, 92.6843, 92.3021,
  92.7725, 92.5373, 92.949, 93.2039, 91.0669, 89.8318, 89.7435, 90.3994, 90.7387, 88.0177, 88.0867, 88.8439, 90.7781,
  90.5416, 91.3894, 90.65,
]
const BB_MIDDLE = [
  ...blank(19),
  88.70794, 89.04516, 89.239745, 89.390705, 89.5078, 89.68866, 89.7465, 89.91314, 90.081255, 90.382195, 90.65863,
  90.863995, 90.88409, 90.90516, 90.988925, 91.153375, 91.19109, 91.1205, 91.167665, 91.25027, 91.242135, 91.1666,
  91.05018,
]
const BB_UPPER = [
  ...blank(19),
  91.291862, 91.949268, 92.612595, 92.9342, 93.31195, 93.72845, 93.899592, 94.266255, 94.565096, 94.786912, 95.043001,
  94.907605, 94.902912, 94.89532, 94.861013, 94.673629, 94.556593, 94.678752, 94.575786, 94.534271, 94.532306,
  94.369251, 94.148503,
]
const BB_LOWER = [
  ...blank(19),
  86.124018, 86.141052, 85.866895, 85.84721, 85.70365, 85.64887, 85.593408, 85.560025, 85.597414, 85.977478, 86.274259,
  86.820385, 86.865268, 86.915, 87.116837, 87.633121, 87.825587, 87.562248, 87.759544, 87.966269, 87.951964, 87.963949,
  87.951857,
]

describe('RSI (Wilder) — StockCharts cs-rsi.xls', () => {
  const got = rsi(f64(RSI_CLOSE), 14)

  it('matches the published column to its 4 printed decimals (first value 70.53 at the 15th close)', () => {
    expectPublished(got, RSI_PUBLISHED, 4)
    expect(got[14]!.toFixed(2)).toBe('70.53')
  })

  it('equals the spreadsheet-style reference to 1e-9', () => {
    expect(firstMismatch(got, refRsi(RSI_CLOSE, 14))).toBe(-1)
  })

  it('on the article’s 2-decimal closes: first value 70.46, and equal to the reference', () => {
    const c2 = RSI_CLOSE.map((x) => Math.round(x * 100) / 100)
    const r2 = rsi(f64(c2), 14)
    expect(r2[14]!.toFixed(2)).toBe('70.46')
    expect(firstMismatch(r2, refRsi(c2, 14))).toBe(-1)
  })

  it('pins the edge conventions: only gains → 100, only losses → 0, flat → 50', () => {
    const up = f64(Array.from({ length: 20 }, (_, i) => 10 + i))
    const down = f64(Array.from({ length: 20 }, (_, i) => 30 - i))
    expect(rsi(up, 14)[19]).toBe(100)
    expect(rsi(down, 14)[19]).toBe(0)
    expect(rsi(f64(new Array(20).fill(7)), 14)[19]).toBe(50)
  })
})

describe('EMA — StockCharts cs-ema.xls (10-day, SMA seed)', () => {
  const got = ema(f64(EMA_CLOSE), 10)

  it('matches the published column to its 2 printed decimals', () => {
    expectPublished(got, EMA10_PUBLISHED, 2)
  })

  it('seeds with the SMA of the first 10 closes and equals the spreadsheet reference to 1e-9', () => {
    expect(got[9]).toBe(sma(f64(EMA_CLOSE), 10)[9])
    expect(firstMismatch(got, refEma(EMA_CLOSE, 10))).toBe(-1)
  })
})

describe('MACD (12, 26, 9) — spreadsheet reference', () => {
  it('equals EMA12 − EMA26, its SMA-seeded EMA9 and the histogram, to 1e-9, with the right warm-up', () => {
    const close = [...BB_CLOSE, ...EMA_CLOSE.map((x) => x * 4)] // 72 closes
    const got = macd(f64(close), 12, 26, 9)
    const want = refMacd(close, 12, 26, 9)
    expect(firstMismatch(got.macd, want.macd)).toBe(-1)
    expect(firstMismatch(got.signal, want.signal)).toBe(-1)
    expect(firstMismatch(got.histogram, want.histogram)).toBe(-1)
    expect(Number.isNaN(got.macd[24]!)).toBe(true)
    expect(Number.isFinite(got.macd[25]!)).toBe(true)
    expect(Number.isNaN(got.signal[32]!)).toBe(true)
    expect(Number.isFinite(got.signal[33]!)).toBe(true)
    // The signal seed is the plain mean of the first 9 MACD values.
    const first9 = Array.from(got.macd.subarray(25, 34))
    expect(closeTo(got.signal[33]!, first9.reduce((a, b) => a + b, 0) / 9, 1e-12)).toBe(true)
  })

  it('refuses fast ≥ slow', () => {
    expect(() => macd(f64([1, 2, 3]), 26, 12, 9)).toThrow(RangeError)
  })
})

describe('Bollinger Bands (20, 2, population σ) — StockCharts cs-bbands.xls', () => {
  const got = bollinger(f64(BB_CLOSE), 20, 2)

  it('matches the published middle, upper and lower columns to their 6 printed decimals', () => {
    expectPublished(got.middle, BB_MIDDLE, 6)
    expectPublished(got.upper, BB_UPPER, 6)
    expectPublished(got.lower, BB_LOWER, 6)
  })

  it('uses the population σ (not the sample one) and equals a two-pass reference to 1e-9', () => {
    const sd = refStdevP(BB_CLOSE, 20)
    const mid = refSma(BB_CLOSE, 20)
    expect(firstMismatch(got.middle, mid)).toBe(-1)
    expect(firstMismatch(got.upper, mid.map((m, i) => m + 2 * sd[i]!))).toBe(-1)
    expect(firstMismatch(got.lower, mid.map((m, i) => m - 2 * sd[i]!))).toBe(-1)
    // The sample σ would put the first upper band at 91.3546…, off the published 91.291862.
    expect(Math.abs(got.upper[19]! - 91.291862)).toBeLessThan(1e-6)
  })

  it('σ within 1e-11 relative of a two-pass σ on 60,000-priced candles (no Σx² cancellation, drift bounded)', () => {
    const c = randomWalkCandles(5000, 7, 60_000).close
    const x = Array.from(c)
    const b = bollinger(c, 20, 2)
    const sd = refStdevP(x, 20)
    const mid = refSma(x, 20)
    const width = Array.from(b.upper).map((u, i) => (u - b.lower[i]!) / 4)
    expect(firstMismatch(width, sd, 1e-11)).toBe(-1) // σ relative error (σ > 1 here)
    expect(firstMismatch(b.middle, mid)).toBe(-1)
  })

  it('a flat window has σ exactly 0, even after a volatile stretch', () => {
    const c = f64([...Array.from({ length: 40 }, (_, i) => 50_000 + ((i * 7919) % 13) * 37.1), ...new Array(30).fill(50_123.45)])
    const b = bollinger(c, 20, 2)
    expect(b.upper[69]).toBe(b.middle[69])
    expect(b.lower[69]).toBe(b.middle[69])
  })
})

describe('ATR (Wilder) — StockCharts cs-atr.xls', () => {
  const got = atr(f64(ATR_HIGH), f64(ATR_LOW), f64(ATR_CLOSE), 14)

  it('true range matches the published column (first TR = high − low)', () => {
    const tr = ATR_HIGH.map((h, i) => (i === 0 ? h - ATR_LOW[0]! : trueRange(h, ATR_LOW[i]!, ATR_CLOSE[i - 1]!)))
    expectPublished(f64(tr), ATR_TR_PUBLISHED, 4)
    expect(firstMismatch(tr, refTrueRange(ATR_HIGH, ATR_LOW, ATR_CLOSE))).toBe(-1)
  })

  it('matches the published ATR column to its 6 printed decimals (first value 0.555 on day 14)', () => {
    expectPublished(got, ATR_PUBLISHED, 6)
  })

  it('equals the reference to 1e-9', () => {
    expect(firstMismatch(got, refAtr(ATR_HIGH, ATR_LOW, ATR_CLOSE, 14))).toBe(-1)
  })

  it('the branch-free true range is bit for bit the max formula, gaps up and down included', () => {
    const c = randomWalkCandles(20_000, 17, 30_000)
    let gaps = 0
    for (let i = 1; i < c.close.length; i++) {
      // Shift every other bar away from the previous close to force gaps both ways.
      const shift = i % 2 === 0 ? 0 : (i % 4 === 1 ? 1 : -1) * c.close[i - 1]! * 0.02
      const h = c.high[i]! + shift
      const l = c.low[i]! + shift
      const pc = c.close[i - 1]!
      if (pc > h || pc < l) gaps++
      expect(trueRange(h, l, pc)).toBe(Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc)))
    }
    expect(gaps).toBeGreaterThan(5000)
  })
})

describe('SMA and volume SMA', () => {
  it('equal a from-scratch window mean to 1e-9, across the periodic exact recompute', () => {
    const c = randomWalkCandles(3000, 11)
    for (const p of [1, 2, 20, 50, 200]) {
      expect(firstMismatch(sma(c.close, p), refSma(Array.from(c.close), p)), `period ${p}`).toBe(-1)
      expect(firstMismatch(volumeSma(c.volume, p), refSma(Array.from(c.volume), p)), `period ${p}`).toBe(-1)
    }
  })

  it('refuses a non-integer or non-positive period', () => {
    expect(() => sma(f64([1, 2]), 0)).toThrow(RangeError)
    expect(() => ema(f64([1, 2]), 2.5)).toThrow(RangeError)
  })
})

describe('references on a long random walk (all indicators, 1e-9)', () => {
  const c = randomWalkCandles(4000, 3, 25_000)
  const close = Array.from(c.close)
  it('ema, rsi, macd, atr', () => {
    for (const p of [2, 12, 26, 100]) expect(firstMismatch(ema(c.close, p), refEma(close, p)), `ema ${p}`).toBe(-1)
    for (const p of [2, 14, 30]) expect(firstMismatch(rsi(c.close, p), refRsi(close, p)), `rsi ${p}`).toBe(-1)
    const m = macd(c.close, 12, 26, 9)
    const w = refMacd(close, 12, 26, 9)
    expect(firstMismatch(m.macd, w.macd)).toBe(-1)
    expect(firstMismatch(m.signal, w.signal)).toBe(-1)
    expect(firstMismatch(m.histogram, w.histogram)).toBe(-1)
    expect(firstMismatch(atr(c.high, c.low, c.close, 14), refAtr(Array.from(c.high), Array.from(c.low), close, 14))).toBe(-1)
  })
})
