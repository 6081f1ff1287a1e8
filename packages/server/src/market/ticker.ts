import type { CandleSeries } from './candle-series'
import { DAY_MINUTES } from './intervals'
import { type Grid, roundToGrid } from './precision'
import type { Ticker } from './types'

/**
 * The 24 h sums of a series' rows before its forming one (`start` to `end` − 1, `end` the forming
 * row), for a market whose rows before the last never change once the next one is appended (a
 * SeriesMarket): ticks that only move the forming candle then add one row instead of 1,440.
 */
export interface TickerCache {
  rows?: { series: CandleSeries; startMinute: number; start: number; end: number; high: number; low: number; volume: number; quoteVolume: number }
}

/**
 * 24 h statistics over the last 1440 one-minute rows (the forming one included), or fewer when the
 * history is shorter (or `windowRows` rows, when given: a market whose tickers feed nobody's 24 h
 * figures, a backtest's sandbox, passes 1). `price` is the forming candle's close; bid/ask come from the book so the
 * ticker can never quote a different touch than the book shows.
 *
 * @example
 * computeTicker('BTCUSDT', series, lotGrid, topOfBook(price, priceGrid), clock.now())
 */
export function computeTicker(
  symbol: string,
  series: CandleSeries,
  volumeGrid: Grid,
  touch: { bid: number; ask: number },
  timestamp: number,
  cache?: TickerCache,
  windowRows = Math.ceil(DAY_MINUTES / series.stepMinutes),
): Ticker {
  const end = series.length - 1
  const start = Math.max(0, end - windowRows + 1)
  let high = series.high[start]!
  let low = series.low[start]!
  let volume = 0
  let quoteVolume = 0
  let i = start
  let hit = false
  // The rows before the forming one, from the cache when it covers exactly them (the same sums in
  // the same order, so the figures are identical), then the forming row.
  const w = cache?.rows
  if (w !== undefined && start < end && w.series === series && w.startMinute === series.startMinute && w.start === start && w.end === end) {
    high = w.high
    low = w.low
    volume = w.volume
    quoteVolume = w.quoteVolume
    i = end
    hit = true
  }
  for (; i <= end; i++) {
    if (i === end && !hit && cache !== undefined && start < end) cache.rows = { series, startMinute: series.startMinute, start, end, high, low, volume, quoteVolume }
    if (series.high[i]! > high) high = series.high[i]!
    if (series.low[i]! < low) low = series.low[i]!
    volume += series.volume[i]!
    quoteVolume += (series.volume[i]! * (series.high[i]! + series.low[i]! + series.close[i]!)) / 3
  }
  const price = series.close[end]!
  const open = series.open[start]!
  return {
    symbol,
    price,
    bid: touch.bid,
    ask: touch.ask,
    volume_24h: roundToGrid(volume, volumeGrid),
    change_24h: ((price - open) / open) * 100,
    open_24h: open,
    quote_volume_24h: Math.round(quoteVolume * 100) / 100,
    high_24h: high,
    low_24h: low,
    timestamp,
  }
}
