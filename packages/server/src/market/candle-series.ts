import { MINUTE_MS } from './intervals'

/**
 * Contiguous candles of one symbol in growable Float64Arrays, one row every `stepMinutes` (1 for the
 * simulated market; a replayed file's own interval, e.g. 60). Row `i` opens at minute
 * `startMinute + i × stepMinutes` (minutes since the epoch), so time needs no column of its own. The
 * last row may be the forming candle, rewritten in place as it progresses.
 *
 * @example
 * const s = new CandleSeries(Date.UTC(2024, 0, 1) / 60_000)
 * s.push(100, 101, 99.5, 100.5, 12.3)
 * s.timeAt(0) // Date.UTC(2024, 0, 1)
 */
export class CandleSeries {
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
  length = 0

  constructor(
    public startMinute: number,
    capacity = 1024,
    readonly stepMinutes = 1,
  ) {
    const n = Math.max(16, capacity)
    this.open = new Float64Array(n)
    this.high = new Float64Array(n)
    this.low = new Float64Array(n)
    this.close = new Float64Array(n)
    this.volume = new Float64Array(n)
  }

  get capacity(): number {
    return this.open.length
  }

  /** Open minute of the last row (the forming candle when there is one). */
  get lastMinute(): number {
    return this.startMinute + (this.length - 1) * this.stepMinutes
  }

  /** Open time (ms) of row `i`. */
  timeAt(i: number): number {
    return (this.startMinute + i * this.stepMinutes) * MINUTE_MS
  }

  /** Append a row; amortised O(1). */
  push(open: number, high: number, low: number, close: number, volume: number): void {
    if (this.length === this.open.length) this.grow(this.length * 2)
    this.write(this.length++, open, high, low, close, volume)
  }

  write(i: number, open: number, high: number, low: number, close: number, volume: number): void {
    this.open[i] = open
    this.high[i] = high
    this.low[i] = low
    this.close[i] = close
    this.volume[i] = volume
  }

  /**
   * Drop the oldest `rows` rows. The caller keeps `rows` a whole number of days so every higher
   * interval's first bucket stays complete.
   */
  dropFront(rows: number): void {
    const n = Math.min(rows, this.length)
    if (n <= 0) return
    for (const col of [this.open, this.high, this.low, this.close, this.volume]) col.copyWithin(0, n, this.length)
    this.length -= n
    this.startMinute += n * this.stepMinutes
  }

  private grow(capacity: number): void {
    const resize = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity)
      b.set(a.subarray(0, this.length))
      return b
    }
    this.open = resize(this.open)
    this.high = resize(this.high)
    this.low = resize(this.low)
    this.close = resize(this.close)
    this.volume = resize(this.volume)
  }
}
