import type { Candles } from '../types'
import type { HigherTimeframeCandle, HigherTimeframeOptions } from './types'

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** Bucket length in ms of a higher timeframe: `<n>m`, `<n>h`, `<n>d`, `<n>w` (case-insensitive) or a number of ms. */
export function timeFrameMs(timeFrame: string | number): number {
  if (typeof timeFrame === 'number') {
    if (Number.isInteger(timeFrame) && timeFrame > 0) return timeFrame
  } else {
    const m = /^(\d+)([mhdw])$/i.exec(timeFrame.trim())
    const ms = m ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]! : 0
    if (ms > 0) return ms
  }
  throw new RangeError(`higherTimeframe.timeFrame must look like '1h', '4h', '1d' or be a positive integer of ms, got ${String(timeFrame)}`)
}

/** `candleMs`, checked (undefined = not given). */
export function checkCandleMs(candleMs: number | undefined): number | undefined {
  if (candleMs !== undefined && !(Number.isFinite(candleMs) && candleMs > 0)) {
    throw new RangeError(`higherTimeframe.candleMs must be a positive number of ms, got ${candleMs}`)
  }
  return candleMs
}

/**
 * Aggregates input rows, one at a time, into epoch-aligned buckets of `periodMs`, and reports the
 * candles known to be closed. With `candleMs`, a bucket closes on the first row whose candle
 * reaches the bucket's end (later rows of that bucket, which only candles longer than `candleMs`
 * produce, are ignored); without it, or when a bucket's last row does not reach its end (a gap), on
 * the first row of a later bucket.
 */
export class HtfAggregator {
  readonly periodMs: number
  private readonly candleMs: number | undefined
  private bar: HigherTimeframeCandle | undefined
  private bucket = Number.NaN
  private closed = false

  constructor(options: HigherTimeframeOptions) {
    this.periodMs = timeFrameMs(options.timeFrame)
    this.candleMs = checkCandleMs(options.candleMs)
  }

  /** Add row `r`; `onClose` gets each candle this row closes (at most two: the previous bucket's, then its own). */
  push(r: number, time: number, open: number, high: number, low: number, close: number, volume: number, onClose: (bar: HigherTimeframeCandle) => void): void {
    const b = Math.floor(time / this.periodMs)
    let bar = this.bar
    if (b !== this.bucket) {
      if (bar && !this.closed) {
        bar.closedAt = r
        onClose(bar)
      }
      this.bucket = b
      this.closed = false
      this.bar = bar = { time: b * this.periodMs, open, high, low, close, volume, first: r, last: r, closedAt: -1 }
    } else if (this.closed) return
    else {
      if (high > bar!.high) bar!.high = high
      if (low < bar!.low) bar!.low = low
      bar!.close = close
      bar!.volume += volume
      bar!.last = r
    }
    if (this.candleMs !== undefined && time + this.candleMs >= (b + 1) * this.periodMs) {
      this.closed = true
      bar!.closedAt = r
      onClose(bar!)
    }
  }
}

/** The closed higher-timeframe candles of a whole series (a still-open last bucket is left out). */
export function aggregateClosed(candles: Candles, options: HigherTimeframeOptions): { periodMs: number; candles: HigherTimeframeCandle[] } {
  const agg = new HtfAggregator(options)
  const { time: T, open: O, high: H, low: L, close: C, volume: V } = candles
  const out: HigherTimeframeCandle[] = []
  const keep = (bar: HigherTimeframeCandle) => out.push(bar)
  for (let r = 0; r < T.length; r++) agg.push(r, T[r]!, O[r]!, H[r]!, L[r]!, C[r]!, V[r]!, keep)
  return { periodMs: agg.periodMs, candles: out }
}

/** Columns of higher-timeframe candles (the input of the causal analysis on that timeframe). */
export function htfColumns(bars: readonly HigherTimeframeCandle[]): Candles {
  const col = (k: 'time' | 'open' | 'high' | 'low' | 'close' | 'volume') => Float64Array.from(bars, (b) => b[k])
  return { time: col('time'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') }
}
