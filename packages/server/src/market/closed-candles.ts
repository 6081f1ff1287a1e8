import { INTERVAL_MINUTES, MINUTE_MS, type Interval } from './intervals'
import type { CandleColumns, MarketData } from './types'

/**
 * The latest `limit` CLOSED candles of a symbol, as columns: the forming candle (one that ends after
 * the market's time — data time for a replay) is left out, so answers only change when a candle
 * closes. Indicators, SMC analysis, the scanner and the model read candles through this.
 *
 * @example
 * const cols = closedCandles(market, 'BTCUSDT', '1h', 500)
 * cols.close.length // ≤ 500, every candle closed
 */
export function closedCandles(market: MarketData, symbol: string, interval: Interval, limit: number): CandleColumns {
  // One more than asked, in case the last one is still forming.
  const cols = market.candleColumns(symbol, interval, { limit: limit + 1 })
  let end = cols.time.length
  if (end > 0 && cols.time[end - 1]! + INTERVAL_MINUTES[interval] * MINUTE_MS > market.now()) end--
  const start = Math.max(0, end - limit)
  return {
    time: cols.time.subarray(start, end),
    open: cols.open.subarray(start, end),
    high: cols.high.subarray(start, end),
    low: cols.low.subarray(start, end),
    close: cols.close.subarray(start, end),
    volume: cols.volume.subarray(start, end),
  }
}
