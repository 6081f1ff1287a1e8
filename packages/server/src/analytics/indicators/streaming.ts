/**
 * Streaming indicators: feed one closed candle (or value) at a time, O(1) per update (a ring buffer of
 * `period` values where a window is needed), and get the latest value or `null` while history is
 * insufficient. Definitions are batch.ts's; every class performs the same floating-point operations
 * in the same order at the same indices as its batch function (including the periodic exact
 * recompute of window sums every RECOMPUTE_EVERY values), so after any prefix the streaming value
 * equals the batch value at that index exactly (streaming.test.ts checks it on random series).
 *
 * @example
 * const rsi14 = new StreamingRsi(14)
 * for (const c of closes) { const v = rsi14.update(c); if (v !== null) console.log(v) }
 */
import { RECOMPUTE_EVERY, TINY_VARIANCE, checkPeriod, rsiFromAverages, trueRange } from './batch'

/** Ring buffer of the last `period` values with exact in-order sums (oldest first). */
class Window {
  readonly buf: Float64Array
  /** Index in `buf` of the oldest value once full (= where the next value goes). */
  head = 0

  constructor(readonly period: number) {
    this.buf = new Float64Array(period)
  }

  /** Stores x over the oldest value and returns the value it replaced. */
  push(x: number): number {
    const old = this.buf[this.head]!
    this.buf[this.head] = x
    this.head = this.head + 1 === this.period ? 0 : this.head + 1
    return old
  }

  /** Σ of the window, oldest to newest (batch's windowSum order). */
  sum(): number {
    const { buf, period } = this
    let s = 0
    for (let j = this.head; j < period; j++) s += buf[j]!
    for (let j = 0; j < this.head; j++) s += buf[j]!
    return s
  }

  /** Corrected two-pass Σ(x − sum/period)², oldest to newest (batch's exactWindowM2, same order). */
  m2(sum: number): number {
    const { buf, period } = this
    const mean = sum / period
    let m2 = 0
    let c = 0
    for (let j = this.head; j < period; j++) {
      const dx = buf[j]! - mean
      m2 += dx * dx
      c += dx
    }
    for (let j = 0; j < this.head; j++) {
      const dx = buf[j]! - mean
      m2 += dx * dx
      c += dx
    }
    m2 -= (c * c) / period
    return m2 > 0 ? m2 : 0
  }
}

/** Simple moving average of the last `period` values. */
export class StreamingSma {
  private readonly win: Window
  private count = 0
  private sum = 0
  private last: number | null = null

  constructor(readonly period: number) {
    checkPeriod(period)
    this.win = new Window(period)
  }

  /** Latest value (null until `period` values were seen). */
  get value(): number | null {
    return this.last
  }

  update(x: number): number | null {
    const i = this.count++
    const old = this.win.push(x)
    if (i < this.period) {
      this.sum += x
      if (i < this.period - 1) return null
    } else if (i % RECOMPUTE_EVERY === 0) this.sum = this.win.sum()
    else this.sum += x - old
    return (this.last = this.sum / this.period)
  }
}

/** Exponential moving average, alpha = 2/(period+1), seeded with the SMA of the first `period` values. */
export class StreamingEma {
  private readonly alpha: number
  private count = 0
  private e = 0
  private last: number | null = null

  constructor(readonly period: number) {
    checkPeriod(period)
    this.alpha = 2 / (period + 1)
  }

  get value(): number | null {
    return this.last
  }

  update(x: number): number | null {
    const i = this.count++
    if (i < this.period) {
      this.e += x // the seed's sum, in batch's order
      if (i < this.period - 1) return null
      this.e /= this.period
    } else this.e += this.alpha * (x - this.e)
    return (this.last = this.e)
  }
}

/** Wilder's RSI of closes; the first value comes with the (period+1)-th close. */
export class StreamingRsi {
  private count = 0
  private prev = 0
  private gain = 0
  private loss = 0
  private last: number | null = null

  constructor(readonly period = 14) {
    checkPeriod(period)
  }

  get value(): number | null {
    return this.last
  }

  update(close: number): number | null {
    const i = this.count++
    const d = close - this.prev
    this.prev = close
    if (i === 0) return null
    const p = this.period
    if (i <= p) {
      if (d > 0) this.gain += d
      else this.loss -= d
      if (i < p) return null
      this.gain /= p
      this.loss /= p
    } else {
      const m = p - 1
      this.gain = (this.gain * m + (d > 0 ? d : 0)) / p
      this.loss = (this.loss * m + (d < 0 ? -d : 0)) / p
    }
    return (this.last = rsiFromAverages(this.gain, this.loss))
  }
}

export interface MacdPoint {
  macd: number
  /** null until `signal` MACD values exist. */
  signal: number | null
  histogram: number | null
}

/** MACD(fast, slow, signal); null until the slow EMA exists. */
export class StreamingMacd {
  private readonly fastEma: StreamingEma
  private readonly slowEma: StreamingEma
  private readonly signalEma: StreamingEma
  private last: MacdPoint | null = null

  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signal = 9,
  ) {
    checkPeriod(signal, 'signal')
    if (!(fast < slow)) throw new RangeError(`fast (${fast}) must be < slow (${slow})`)
    this.fastEma = new StreamingEma(fast)
    this.slowEma = new StreamingEma(slow)
    this.signalEma = new StreamingEma(signal)
  }

  get value(): MacdPoint | null {
    return this.last
  }

  update(close: number): MacdPoint | null {
    const f = this.fastEma.update(close)
    const s = this.slowEma.update(close)
    if (s === null || f === null) return null
    const line = f - s
    const sig = this.signalEma.update(line)
    return (this.last = { macd: line, signal: sig, histogram: sig === null ? null : line - sig })
  }
}

export interface BollingerPoint {
  middle: number
  upper: number
  lower: number
}

/** Bollinger Bands(period, k) with the population σ; null until `period` closes were seen. */
export class StreamingBollinger {
  private readonly win: Window
  private count = 0
  private sum = 0
  private mean = 0
  private m2 = 0
  private last: BollingerPoint | null = null

  constructor(
    readonly period = 20,
    readonly k = 2,
  ) {
    checkPeriod(period)
    this.win = new Window(period)
  }

  get value(): BollingerPoint | null {
    return this.last
  }

  update(close: number): BollingerPoint | null {
    const i = this.count++
    const p = this.period
    const old = this.win.push(close)
    if (i < p) {
      this.sum += close
      if (i < p - 1) return null
      this.m2 = this.win.m2(this.sum)
      this.mean = this.sum / p
    } else if (i % RECOMPUTE_EVERY === 0) {
      this.sum = this.win.sum()
      this.m2 = this.win.m2(this.sum)
      this.mean = this.sum / p
    } else {
      this.sum += close - old
      const newMean = this.sum / p
      this.m2 += (close - old) * (close - newMean + old - this.mean)
      this.mean = newMean
      if (this.m2 <= TINY_VARIANCE * p * newMean * newMean) this.m2 = this.win.m2(this.sum)
    }
    const sd = Math.sqrt(this.m2 / p)
    const mean = this.mean
    return (this.last = { middle: mean, upper: mean + this.k * sd, lower: mean - this.k * sd })
  }
}

export interface HlcCandle {
  high: number
  low: number
  close: number
}

/** Wilder's ATR; the first value (mean of the first `period` true ranges) comes with the period-th candle. */
export class StreamingAtr {
  private count = 0
  private prevClose = 0
  private a = 0
  private last: number | null = null

  constructor(readonly period = 14) {
    checkPeriod(period)
  }

  get value(): number | null {
    return this.last
  }

  update(candle: HlcCandle): number | null {
    const i = this.count++
    const p = this.period
    const tr = i === 0 ? candle.high - candle.low : trueRange(candle.high, candle.low, this.prevClose)
    this.prevClose = candle.close
    if (i < p) {
      this.a = i === 0 ? tr : this.a + tr
      if (i < p - 1) return null
      this.a /= p
    } else this.a = (this.a * (p - 1) + tr) / p
    return (this.last = this.a)
  }
}
