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
 *   index n (the (n+1)-th close); then Wilder smoothing avg_i = (avg_{i-1}·(n−1) + x_i)/n, computed
 *   as avg_{i-1}·((n−1)/n) + x_i·(1/n) (the same value up to rounding, without a division in the
 *   loop-carried chain). RSI = 100 − 100/(1 + avgGain/avgLoss), computed as
 *   100·avgGain/(avgGain + avgLoss) (same value, one division): avgLoss = 0 → 100 (only gains), and
 *   both 0 (a flat window) → 50, neutral, where other libraries print 100, 0 or NaN.
 * - MACD(fast, slow, signal): macd = EMA(fast) − EMA(slow) (both SMA-seeded on the close), defined
 *   from index slow−1; signal = EMA(signal) of the macd line, SMA-seeded over its first `signal`
 *   values (first at index slow+signal−2); histogram = macd − signal.
 * - Bollinger(n, k): middle = SMA(n); σ = POPULATION standard deviation of the same n closes
 *   (divide by n, as StockCharts and TradingView do, not n−1); upper/lower = middle ± k·σ.
 * - ATR(n), Wilder: TR_0 = high_0 − low_0 (no previous close); TR_i = max(high−low,
 *   |high − close_{i-1}|, |low − close_{i-1}|). First ATR at index n−1 = mean of TR_0..TR_{n−1}
 *   (StockCharts' worked example), then Wilder smoothing atr_i = (atr_{i-1}·(n−1) + TR_i)/n
 *   (computed as for RSI).
 * - Volume SMA(n) = SMA(n) of the volume column.
 *
 * Numerics: moving sums are updated incrementally (add the new value, subtract the one leaving the
 * window) and recomputed exactly from the window at every index divisible by RECOMPUTE_EVERY, so
 * rounding drift cannot accumulate over millions of candles (the loops run in blocks between those
 * indices: a `%` test per candle costs more than the whole SMA update). Bollinger's variance uses a
 * sliding Welford update on values shifted by the window mean at the last exact recompute (never
 * Σx² − (Σx)²/n, which loses ~8 digits on prices around 50,000), recomputed exactly with the sums
 * and whenever it gets tiny relative to mean² (so a flat window gives σ = 0 exactly); σ stays within
 * ~2e-12 relative of an exact two-pass σ (bench data and 60,000-priced walks with 1% steps).
 * The streaming classes (streaming.ts) perform the very same operations in the same order at the
 * same indices, so streaming equals batch bit for bit.
 *
 * Inputs are assumed finite (closed candles from the store); a NaN input propagates.
 * Periods must be integers ≥ 1 (RangeError otherwise); computeIndicators validates the API's range.
 */

/** Every this many indices a running window sum (and Bollinger's M2) is recomputed exactly. */
export const RECOMPUTE_EVERY = 256

/** Bollinger: recompute M2 exactly when M2 ≤ this × n × mean², i.e. σ/|mean| ≲ 3e-5 (flat windows). */
export const TINY_VARIANCE = 1e-9

export function checkPeriod(period: number, name = 'period'): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${period}`)
}

function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(NaN)
}

/** A column whose first `warmup` entries are NaN (the rest is written by the caller). */
function column(n: number, warmup: number): Float64Array {
  const out = new Float64Array(n)
  out.fill(NaN, 0, Math.min(n, warmup))
  return out
}

/** End (exclusive) of the incremental block starting at i: the next multiple of RECOMPUTE_EVERY above i, or n. */
function blockEnd(i: number, n: number): number {
  const end = (Math.floor(i / RECOMPUTE_EVERY) + 1) * RECOMPUTE_EVERY
  return end < n ? end : n
}

/**
 * Wilder smoothing coefficients: avg' = avg·decay + x·inv, and half = inv/2 for RSI's gain/loss
 * terms (|d| ± d)·half, which equal max(±d, 0)·inv bit for bit without a data-dependent branch.
 * Shared with the streaming classes.
 */
export function wilder(period: number): { decay: number; inv: number; half: number } {
  return { decay: (period - 1) / period, inv: 1 / period, half: 0.5 / period }
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
  if (n < period) return nanArray(n)
  const out = column(n, period - 1)
  let sum = windowSum(values, 0, period)
  out[period - 1] = sum / period
  let i = period
  while (i < n) {
    if (i % RECOMPUTE_EVERY === 0) {
      sum = windowSum(values, i - period + 1, i + 1)
      out[i] = sum / period
      i++
    }
    // Incremental block up to the next multiple of RECOMPUTE_EVERY (exclusive).
    for (const end = blockEnd(i, n); i < end; i++) {
      sum += values[i]! - values[i - period]!
      out[i] = sum / period
    }
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
  const out = column(values.length, period - 1)
  emaInto(values, period, 0, out)
  return out
}

/** RSI from Wilder's average gain and loss (see the file header for the 0/0 → 50 convention). */
export function rsiFromAverages(avgGain: number, avgLoss: number): number {
  const total = avgGain + avgLoss
  return total === 0 ? 50 : (100 * avgGain) / total
}

/**
 * Wilder's RSI; first value at index `period` (needs period+1 closes).
 *
 * @example rsi(closes) // 14-period
 */
export function rsi(close: Float64Array, period = 14): Float64Array {
  checkPeriod(period)
  const n = close.length
  if (n <= period) return nanArray(n)
  const out = column(n, period)
  let gain = 0
  let loss = 0
  for (let i = 1; i <= period; i++) {
    const d = close[i]! - close[i - 1]!
    gain += Math.max(d, 0)
    loss += Math.max(-d, 0)
  }
  gain /= period
  loss /= period
  out[period] = rsiFromAverages(gain, loss)
  const { decay, half } = wilder(period)
  let prev = close[period]!
  for (let i = period + 1; i < n; i++) {
    const c = close[i]!
    const d = c - prev
    prev = c
    // (|d| + d)·half = max(d, 0)/period exactly, with no branch on the sign of d (a coin flip the
    // CPU cannot predict: Math.max or a ternary cost ~3× the whole update in mispredictions).
    const a = Math.abs(d)
    gain = gain * decay + (a + d) * half
    loss = loss * decay + (a - d) * half
    const total = gain + loss
    out[i] = total === 0 ? 50 : (100 * gain) / total
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
  const firstSignal = slow + signal - 2
  const line = column(n, slow - 1)
  const sig = column(n, firstSignal)
  const histogram = column(n, firstSignal)
  if (n < slow) return { macd: line, signal: sig, histogram }
  // One pass, the same operations as ema() on each series: SMA seeds, then e += alpha·(x − e).
  const af = 2 / (fast + 1)
  const as = 2 / (slow + 1)
  const ag = 2 / (signal + 1)
  let ef = windowSum(close, 0, fast) / fast
  for (let i = fast; i < slow; i++) ef += af * (close[i]! - ef)
  let es = windowSum(close, 0, slow) / slow
  line[slow - 1] = ef - es
  const seedEnd = Math.min(n, firstSignal + 1)
  for (let i = slow; i < seedEnd; i++) {
    const x = close[i]!
    ef += af * (x - ef)
    es += as * (x - es)
    line[i] = ef - es
  }
  if (n <= firstSignal) return { macd: line, signal: sig, histogram }
  let eg = windowSum(line, slow - 1, firstSignal + 1) / signal
  sig[firstSignal] = eg
  histogram[firstSignal] = line[firstSignal]! - eg
  for (let i = firstSignal + 1; i < n; i++) {
    const x = close[i]!
    ef += af * (x - ef)
    es += as * (x - es)
    const m = ef - es
    eg += ag * (m - eg)
    line[i] = m
    sig[i] = eg
    histogram[i] = m - eg
  }
  return { macd: line, signal: sig, histogram }
}

export interface BollingerSeries {
  middle: Float64Array
  upper: Float64Array
  lower: Float64Array
}

/**
 * Bollinger's exact variance step over values[from..from+period), shifted by `shift` (the window's
 * mean): returns M2 = Σ(x−mean)² by the corrected two-pass formula (Chan, Golub & LeVeque:
 * Σd² − (Σd)²/n with d = x − shift, which removes the rounding error of the shift, so a flat window
 * gives exactly 0), and stores Σd in scratch[0]. Shared, operation for operation, with
 * StreamingBollinger.
 */
export function exactShiftedM2(values: ArrayLike<number>, from: number, period: number, shift: number, scratch: Float64Array): number {
  let sq = 0
  let sd = 0
  for (let j = from; j < from + period; j++) {
    const d = values[j]! - shift
    sq += d * d
    sd += d
  }
  scratch[0] = sd
  const m2 = sq - (sd * sd) / period
  return m2 > 0 ? m2 : 0
}

/**
 * Bollinger Bands: middle = SMA(period) (bit-identical to `sma`), upper/lower = middle ± k·σ with σ the
 * POPULATION standard deviation of the window.
 *
 * σ comes from a sliding Welford update of M2 on values SHIFTED by the window mean at the last exact
 * recompute (d = x − shift is small, so its rounding error is ~1e-4 of the raw price's): with raw
 * prices around 30,000 the unshifted update drifted to ~1e-9 relative error in σ over a 1,024-candle
 * block; shifted, with an exact recompute every 256, it stays ≲ 2e-12. M2 is recomputed exactly every RECOMPUTE_EVERY indices, and
 * whenever it gets tiny relative to mean² (flat windows, where drift would dominate).
 *
 * @example bollinger(closes) // 20, 2
 */
export function bollinger(close: Float64Array, period = 20, k = 2): BollingerSeries {
  checkPeriod(period)
  const n = close.length
  const middle = column(n, period - 1)
  const upper = column(n, period - 1)
  const lower = column(n, period - 1)
  if (n < period) return { middle, upper, lower }
  const tiny = TINY_VARIANCE * period
  const scratch = new Float64Array(1)
  // Raw running sum (the middle band, as in sma) and the shifted state: shift, Σ(x − shift), its mean, M2.
  let sum = windowSum(close, 0, period)
  let mean = sum / period
  let shift = mean
  let m2 = exactShiftedM2(close, 0, period, shift, scratch)
  let sy = scratch[0]!
  let my = sy / period
  let sd = Math.sqrt(m2 / period)
  middle[period - 1] = mean
  upper[period - 1] = mean + k * sd
  lower[period - 1] = mean - k * sd
  let i = period
  while (i < n) {
    if (i % RECOMPUTE_EVERY === 0) {
      const from = i - period + 1
      sum = windowSum(close, from, i + 1)
      mean = sum / period
      shift = mean
      m2 = exactShiftedM2(close, from, period, shift, scratch)
      sy = scratch[0]!
      my = sy / period
      sd = Math.sqrt(m2 / period)
      middle[i] = mean
      upper[i] = mean + k * sd
      lower[i] = mean - k * sd
      i++
    }
    for (const end = blockEnd(i, n); i < end; i++) {
      const xNew = close[i]!
      const xOld = close[i - period]!
      sum += xNew - xOld
      mean = sum / period
      const yNew = xNew - shift
      const yOld = xOld - shift
      const dy = yNew - yOld
      sy += dy
      const newMy = sy / period
      // Sliding Welford: M2' = M2 + (yNew − yOld)·(yNew − mean' + yOld − mean), on shifted values.
      m2 += dy * (yNew - newMy + yOld - my)
      my = newMy
      if (m2 <= tiny * mean * mean) {
        shift = mean
        m2 = exactShiftedM2(close, i - period + 1, period, shift, scratch)
        sy = scratch[0]!
        my = sy / period
      }
      sd = Math.sqrt(m2 / period)
      middle[i] = mean
      upper[i] = mean + k * sd
      lower[i] = mean - k * sd
    }
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
  if (n < period) return nanArray(n)
  const out = column(n, period - 1)
  let a = high[0]! - low[0]!
  for (let i = 1; i < period; i++) a += trueRange(high[i]!, low[i]!, close[i - 1]!)
  a /= period
  out[period - 1] = a
  const { decay, inv } = wilder(period)
  for (let i = period; i < n; i++) {
    a = a * decay + trueRange(high[i]!, low[i]!, close[i - 1]!) * inv
    out[i] = a
  }
  return out
}

/**
 * True range against the previous close: max(high − low, |high − prevClose|, |low − prevClose|),
 * computed as (high − low) + pos(prevClose − high) + pos(low − prevClose) with pos(x) = (x + |x|)/2
 * (at most one term is non-zero when low ≤ high). The differences are exact for prices within a
 * factor 2 of each other (Sterbenz), so this is bit for bit the max formula (checked on a million
 * candles) but has no data-dependent branch: with gaps on ~half the candles Math.max cost 13-16 ns
 * per candle against 6 here.
 */
export function trueRange(high: number, low: number, prevClose: number): number {
  const up = prevClose - high
  const down = low - prevClose
  return high - low + (up + Math.abs(up)) * 0.5 + (down + Math.abs(down)) * 0.5
}

/**
 * SMA of the volume column (default 20).
 *
 * @example volumeSma(candles.volume)
 */
export function volumeSma(volume: Float64Array, period = 20): Float64Array {
  return sma(volume, period)
}
