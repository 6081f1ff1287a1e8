/**
 * Columnar OHLCV input shared by every indicator: one typed array per column, all of one length.
 * `time` is epoch milliseconds (UTC).
 *
 * @example
 * const candles: Candles = {
 *   time: Float64Array.from([Date.UTC(2024, 0, 1)]),
 *   open: Float64Array.from([1]), high: Float64Array.from([2]),
 *   low: Float64Array.from([0.5]), close: Float64Array.from([1.5]), volume: Float64Array.from([10]),
 * }
 */
export interface Candles {
  time: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

/**
 * `n` zeroed candles, to be filled in place (one Float64Array per column).
 *
 * @example
 * const c = allocCandles(2)
 * c.close[0] = 101.5
 */
export function allocCandles(n: number): Candles {
  return {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
}

/** Build a `Candles` value from plain arrays (copies into typed arrays). */
export function candlesFromArrays(cols: {
  time: ArrayLike<number>
  open: ArrayLike<number>
  high: ArrayLike<number>
  low: ArrayLike<number>
  close: ArrayLike<number>
  volume: ArrayLike<number>
}): Candles {
  return {
    time: Float64Array.from(cols.time),
    open: Float64Array.from(cols.open),
    high: Float64Array.from(cols.high),
    low: Float64Array.from(cols.low),
    close: Float64Array.from(cols.close),
    volume: Float64Array.from(cols.volume),
  }
}
