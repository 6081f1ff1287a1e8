/**
 * Batch technical indicators over columnar candles (`Float64Array` columns, see `Candles` in
 * packages/smc/src/types.ts). Every function returns a `Float64Array` of the input's length, with
 * `NaN` wherever there is not yet enough history (the API layer renders NaN as `null`).
 *
 * Pinned definitions (each one is tested against a published worked example, see batch.test.ts):
 * - SMA(n): arithmetic mean of the last n values; first value at index n-1.
 * - EMA(n): alpha = 2/(n+1); SEEDED with the SMA of the first n values at index n-1 (StockCharts
 *   convention, not "seed with the first value" as TradingView's ta.ema does), then
 *   ema_i = ema_{i-1} + alpha·(x_i − ema_{i-1}). Because of the seed, an EMA depends on where the
 *   series starts: callers must pass the whole available history, not a tail.
 * - RSI(n), Wilder: changes d_i = c_i − c_{i-1}; gain = max(d,0), loss = max(−d,0). The first
 *   average gain/loss is the simple mean of the first n changes (d_1..d_n), so the first RSI is at
 *   index n (the (n+1)-th close); then Wilder smoothing avg_i = (avg_{i-1}·(n−1) + x_i)/n.
 *   RSI = 100 − 100/(1 + avgGain/avgLoss); avgLoss = 0 → 100 (only gains), and both 0 (a flat
 *   window) → 50, neutral, instead of the 0/100/NaN other libraries pick.
 * - MACD(fast, slow, signal): macd = EMA(fast) − EMA(slow) (both SMA-seeded on the close), defined
 *   from index slow−1; signal = EMA(signal) of the macd line, SMA-seeded over its first `signal`
 *   values (first at index slow+signal−2); histogram = macd − signal.
 * - Bollinger(n, k): middle = SMA(n); σ = POPULATION standard deviation of the same n closes
 *   (divide by n, as StockCharts and TradingView do, not n−1); upper/lower = middle ± k·σ.
 * - ATR(n), Wilder: TR_0 = high_0 − low_0 (no previous close); TR_i = max(high−low,
 *   |high − close_{i-1}|, |low − close_{i-1}|). First ATR at index n−1 = mean of TR_0..TR_{n−1}
 *   (StockCharts' worked example), then atr_i = (atr_{i-1}·(n−1) + TR_i)/n.
 * - Volume SMA(n) = SMA(n) of the volume column.
 *
 * Numerics: moving sums are updated incrementally (add the new value, subtract the one leaving the
 * window) and recomputed exactly from the window every RECOMPUTE_EVERY indices, so rounding drift
 * cannot accumulate over millions of candles. Bollinger's variance uses the sliding Welford update
 * (no Σx² − (Σx)²/n cancellation, which loses ~8 digits on prices around 50,000) with the same
 * periodic exact recompute, plus an exact recompute whenever the variance gets tiny relative to the
 * mean (a flat window then gives σ = 0 exactly). The streaming classes (streaming.ts) perform the
 * very same operations in the same order at the same indices, so streaming equals batch exactly.
 *
 * Inputs are assumed finite (closed candles from the store); a NaN input propagates.
 * Periods must be integers ≥ 1 (RangeError otherwise); computeIndicators validates the API's range.
 */

/** Every this many indices a running window sum (and Bollinger's M2) is recomputed exactly. */
export const RECOMPUTE_EVERY = 1024

/** Bollinger: recompute M2 exactly when M2 ≤ this × n × mean² (σ/|mean| ≲ 3e-5; flat windows). */
export const TINY_VARIANCE = 1e-9

export function checkPeriod(period: number, name = 'period'): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${period}`)
}

function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(NaN)
}

/** Sum of values[from..to) in index order (the exact recompute; streaming uses the same order). */
function windowSum(values: ArrayLike<number>, from: number, to: number): number {
  let s = 0
  for (let j = from; j < to; j++) s += values[j]!
  return s
}

/**
 * Simple moving average: out[i] = mean(values[i−period+1..i]), NaN for i < period−1.
 *
 * @example sma(Float64Array.from([1, 2, 3, 4]), 2) // [NaN, 1.5, 2.5, 3.5]
 */
export function sma(values: Float64Array, period: number): Float64Array {
  checkPeriod(period)
  const n = values.length
  const out = nanArray(n)
  if (n < period) return out
  let sum = windowSum(values, 0, period)
  out[period - 1] = sum / period
  for (let i = period; i < n; i++) {
    if (i % RECOMPUTE_EVERY === 0) sum = windowSum(values, i - period + 1, i + 1)
    else sum += values[i]! - values[i - period]!
    out[i] = sum / period
  }
  return out
}

/**
 * EMA of values[start..] written into out[start+period−1..]: seed = SMA of values[start..start+period),
 * then ema += alpha·(x − ema). Shared by `ema` and `macd` (its signal line starts at slow−1).
 */
function emaInto(values: Float64Array, period: number, start: number, out: Float64Array): void {
  const n = values.length
  const first = start + period - 1
  if (first >= n) return
  const alpha = 2 / (period + 1)
  let e = windowSum(values, start, start + period) / period
  out[first] = e
  for (let i = first + 1; i < n; i++) {
    e += alpha * (values[i]! - e)
    out[i] = e
  }
}

/**
 * Exponential moving average, alpha = 2/(period+1), seeded with the SMA of the first `period` values
 * (first value at index period−1).
 *
 * @example ema(closes, 10) // StockCharts' 10-day EMA example
 */
export function ema(values: Float64Array, period: number): Float64Array {
  checkPeriod(period)
  const out = nanArray(values.length)
  emaInto(values, period, 0, out)
  return out
}

/** RSI from Wilder's average gain and loss (see the file header for the 0/0 → 50 convention). */
export function rsiFromAverages(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100
  return 100 - 100 / (1 + avgGain / avgLoss)
}

/**
 * Wilder's RSI; first value at index `period` (needs period+1 closes).
 *
 * @example rsi(closes) // 14-period
 */
export function rsi(close: Float64Array, period = 14): Float64Array {
  checkPeriod(period)
  const n = close.length
  const out = nanArray(n)
  if (n <= period) return out
  let gain = 0
  let loss = 0
  for (let i = 1; i <= period; i++) {
    const d = close[i]! - close[i - 1]!
    if (d > 0) gain += d
    else loss -= d
  }
  gain /= period
  loss /= period
  out[period] = rsiFromAverages(gain, loss)
  const m = period - 1
  for (let i = period + 1; i < n; i++) {
    const d = close[i]! - close[i - 1]!
    gain = (gain * m + (d > 0 ? d : 0)) / period
    loss = (loss * m + (d < 0 ? -d : 0)) / period
    out[i] = rsiFromAverages(gain, loss)
  }
  return out
}

export interface MacdSeries {
  macd: Float64Array
  signal: Float64Array
  histogram: Float64Array
}

/**
 * MACD line EMA(fast) − EMA(slow), its SMA-seeded EMA(signal), and the histogram macd − signal.
 * Requires fast < slow (RangeError otherwise).
 *
 * @example const { macd: line, signal, histogram } = macd(closes) // 12, 26, 9
 */
export function macd(close: Float64Array, fast = 12, slow = 26, signal = 9): MacdSeries {
  checkPeriod(fast, 'fast')
  checkPeriod(slow, 'slow')
  checkPeriod(signal, 'signal')
  if (fast >= slow) throw new RangeError(`fast (${fast}) must be < slow (${slow})`)
  const n = close.length
  const fastEma = ema(close, fast)
  const line = ema(close, slow) // overwritten in place by the macd line
  for (let i = slow - 1; i < n; i++) line[i] = fastEma[i]! - line[i]!
  const sig = nanArray(n)
  emaInto(line, signal, slow - 1, sig)
  const histogram = nanArray(n)
  for (let i = slow + signal - 2; i < n; i++) histogram[i] = line[i]! - sig[i]!
  return { macd: line, signal: sig, histogram }
}

export interface BollingerSeries {
  middle: Float64Array
  upper: Float64Array
  lower: Float64Array
}

/**
 * Exact two-pass M2 = Σ(x−mean)² of values[from..from+period), given the window's sum.
 * Shared with StreamingBollinger (same order of operations).
 */
export function exactWindowM2(values: ArrayLike<number>, from: number, period: number, sum: number): number {
  const mean = sum / period
  let m2 = 0
  let c = 0
  for (let j = from; j < from + period; j++) {
    const dx = values[j]! - mean
    m2 += dx * dx
    c += dx
  }
  // Corrected two-pass (Chan, Golub & LeVeque): removes the rounding error of `mean`, so a flat
  // window gives exactly 0.
  m2 -= (c * c) / period
  return m2 > 0 ? m2 : 0
}

/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle ± k·σ with σ the POPULATION standard
 * deviation of the window.
 *
 * @example bollinger(closes) // 20, 2
 */
export function bollinger(close: Float64Array, period = 20, k = 2): BollingerSeries {
  checkPeriod(period)
  const n = close.length
  const middle = nanArray(n)
  const upper = nanArray(n)
  const lower = nanArray(n)
  if (n < period) return { middle, upper, lower }
  let sum = windowSum(close, 0, period)
  let m2 = exactWindowM2(close, 0, period, sum)
  let mean = sum / period
  let sd = Math.sqrt(m2 / period)
  middle[period - 1] = mean
  upper[period - 1] = mean + k * sd
  lower[period - 1] = mean - k * sd
  for (let i = period; i < n; i++) {
    const from = i - period + 1
    if (i % RECOMPUTE_EVERY === 0) {
      sum = windowSum(close, from, i + 1)
      m2 = exactWindowM2(close, from, period, sum)
      mean = sum / period
    } else {
      const xNew = close[i]!
      const xOld = close[i - period]!
      sum += xNew - xOld
      const newMean = sum / period
      // Sliding Welford: M2' = M2 + (xNew − xOld)·(xNew − mean' + xOld − mean).
      m2 += (xNew - xOld) * (xNew - newMean + xOld - mean)
      mean = newMean
      if (m2 <= TINY_VARIANCE * period * mean * mean) m2 = exactWindowM2(close, from, period, sum)
    }
    sd = Math.sqrt(m2 / period)
    middle[i] = mean
    upper[i] = mean + k * sd
    lower[i] = mean - k * sd
  }
  return { middle, upper, lower }
}

/**
 * Wilder's Average True Range; first value at index period−1 (mean of the first `period` true ranges,
 * the first TR being high−low).
 *
 * @example atr(candles.high, candles.low, candles.close) // 14
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod(period)
  const n = close.length
  if (high.length !== n || low.length !== n) throw new RangeError('atr: high, low and close must have one length')
  const out = nanArray(n)
  if (n < period) return out
  let a = high[0]! - low[0]!
  for (let i = 1; i < period; i++) a += trueRange(high[i]!, low[i]!, close[i - 1]!)
  a /= period
  out[period - 1] = a
  const m = period - 1
  for (let i = period; i < n; i++) {
    a = (a * m + trueRange(high[i]!, low[i]!, close[i - 1]!)) / period
    out[i] = a
  }
  return out
}

/** True range against the previous close. */
export function trueRange(high: number, low: number, prevClose: number): number {
  let tr = high - low
  const up = high > prevClose ? high - prevClose : prevClose - high
  if (up > tr) tr = up
  const down = low > prevClose ? low - prevClose : prevClose - low
  if (down > tr) tr = down
  return tr
}

/**
 * SMA of the volume column (default 20).
 *
 * @example volumeSma(candles.volume)
 */
export function volumeSma(volume: Float64Array, period = 20): Float64Array {
  return sma(volume, period)
}
