import type { Candles } from '../types'

/** Shape of a swing frame as produced by `swingHighsLows` (kept here to avoid an import cycle). */
export interface SwingColumns {
  highLow: Float64Array
  level: Float64Array
}

export function candleCount(candles: Candles): number {
  const n = candles.high.length
  if (candles.low.length !== n || candles.open.length !== n || candles.close.length !== n) {
    throw new RangeError('candles: open/high/low/close must all have the same length')
  }
  return n
}

export function checkSwings(swings: SwingColumns, n: number): void {
  if (swings.highLow.length !== n || swings.level.length !== n) {
    throw new RangeError(`swings: expected ${n} rows (one per candle), got highLow ${swings.highLow.length}, level ${swings.level.length}`)
  }
}
