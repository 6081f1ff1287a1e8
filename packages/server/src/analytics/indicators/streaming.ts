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
import { RECOMPUTE_EVERY, TINY_VARIANCE, checkPeriod, rsiFromAverages, trueRange, wilder } from './batch'

// i % RECOMPUTE_EVERY === 0 as a mask (RECOMPUTE_EVERY is a power of two; `&` keeps the low bits of
// any integer count below 2^53, so it stays right past 2^31 updates): the integer division behind
// `%` costs ~5 ns, a third of an SMA update.
const RECOMPUTE_MASK = RECOMPUTE_EVERY - 1
if ((RECOMPUTE_EVERY & RECOMPUTE_MASK) !== 0) throw new Error('RECOMPUTE_EVERY must be a power of two')

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

  /** batch's exactShiftedM2 over the window, oldest to newest (same operations, same order). */
  shiftedM2(shift: number, scratch: Float64Array): number {
    const { buf, period } = this
    let sq = 0
    let sd = 0
    for (let j = this.head; j < period; j++) {
      const d = buf[j]! - shift
      sq += d * d
      sd += d
    }
    for (let j = 0; j < this.head; j++) {
      const d = buf[j]! - shift
      sq += d * d
      sd += d
    }
    scratch[0] = sd
    const m2 = sq - (sd * sd) / period
    return m2 > 0 ? m2 : 0
  }

}

/** Simple moving average of the last `period` values. */
export class StreamingSma {
  private readonly win: Window
  private count = 0
  private sum = 0
  // A double field and a flag, not `number | null`: a nullable field boxes every value it stores.
  private last = 0
  private ready = false

  constructor(readonly period: number) {
    checkPeriod(period)
    this.win = new Window(period)
  }

  /** Latest value (null until `period` values were seen). */
  get value(): number | null {
    return this.ready ? this.last : null
  }

  update(x: number): number | null {
    const i = this.count++
    const old = this.win.push(x)
    if (i < this.period) {
      this.sum += x
      if (i < this.period - 1) return null
    } else if ((i & RECOMPUTE_MASK) === 0) this.sum = this.win.sum()
    else this.sum += x - old
    this.ready = true
    return (this.last = this.sum / this.period)
  }
}

/** Exponential moving average, alpha = 2/(period+1), seeded with the SMA of the first `period` values. */
export class StreamingEma {
  private readonly alpha: number
  private count = 0
  private e = 0
  private last = 0
  private ready = false

  constructor(readonly period: number) {
    checkPeriod(period)
    this.alpha = 2 / (period + 1)
  }

  get value(): number | null {
    return this.ready ? this.last : null
  }

  update(x: number): number | null {
    const i = this.count++
    if (i < this.period) {
      this.e += x // the seed's sum, in batch's order
      if (i < this.period - 1) return null
      this.e /= this.period
    } else this.e += this.alpha * (x - this.e)
    this.ready = true
    return (this.last = this.e)
  }
}

/** Wilder's RSI of closes; the first value comes with the (period+1)-th close. */
export class StreamingRsi {
  private count = 0
  private prev = 0
  private gain = 0
  private loss = 0
  private last = 0
  private ready = false
  private readonly decay: number
  private readonly half: number

  constructor(readonly period = 14) {
    checkPeriod(period)
    ;({ decay: this.decay, half: this.half } = wilder(period))
  }

  get value(): number | null {
    return this.ready ? this.last : null
  }

  update(close: number): number | null {
    const i = this.count++
    const d = close - this.prev
    this.prev = close
    if (i === 0) return null
    const p = this.period
    if (i <= p) {
      this.gain += Math.max(d, 0)
      this.loss += Math.max(-d, 0)
      if (i < p) return null
      this.gain /= p
      this.loss /= p
    } else {
      const a = Math.abs(d)
      this.gain = this.gain * this.decay + (a + d) * this.half
      this.loss = this.loss * this.decay + (a - d) * this.half
    }
    this.ready = true
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

/**
 * Bollinger Bands(period, k) with the population σ; null until `period` closes were seen. Same
 * arithmetic as batch `bollinger` (raw running sum for the middle, shifted sliding Welford for σ).
 */
export class StreamingBollinger {
  private readonly win: Window
  private readonly tiny: number
  private readonly scratch = new Float64Array(1)
  private count = 0
  private sum = 0
  private shift = 0
  private sy = 0
  private my = 0
  private m2 = 0
  private last: BollingerPoint | null = null

  constructor(
    readonly period = 20,
    readonly k = 2,
  ) {
    checkPeriod(period)
    this.win = new Window(period)
    this.tiny = TINY_VARIANCE * period
  }

  get value(): BollingerPoint | null {
    return this.last
  }

  /** Exact recompute of the shifted state from the window (shift = the current mean). */
  private exact(mean: number): void {
    this.shift = mean
    this.m2 = this.win.shiftedM2(mean, this.scratch)
    this.sy = this.scratch[0]!
    this.my = this.sy / this.period
  }

  update(close: number): BollingerPoint | null {
    const i = this.count++
    const p = this.period
    const old = this.win.push(close)
    let mean: number
    if (i < p) {
      this.sum += close
      if (i < p - 1) return null
      mean = this.sum / p
      this.exact(mean)
    } else if ((i & RECOMPUTE_MASK) === 0) {
      this.sum = this.win.sum()
      mean = this.sum / p
      this.exact(mean)
    } else {
      this.sum += close - old
      mean = this.sum / p
      const yNew = close - this.shift
      const yOld = old - this.shift
      const dy = yNew - yOld
      this.sy += dy
      const newMy = this.sy / p
      this.m2 += dy * (yNew - newMy + yOld - this.my)
      this.my = newMy
      if (this.m2 <= this.tiny * mean * mean) this.exact(mean)
    }
    const sd = Math.sqrt(this.m2 / p)
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
  private last = 0
  private ready = false
  private readonly decay: number
  private readonly inv: number

  constructor(readonly period = 14) {
    checkPeriod(period)
    ;({ decay: this.decay, inv: this.inv } = wilder(period))
  }

  get value(): number | null {
    return this.ready ? this.last : null
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
    } else this.a = this.a * this.decay + tr * this.inv
    this.ready = true
    return (this.last = this.a)
  }
}
