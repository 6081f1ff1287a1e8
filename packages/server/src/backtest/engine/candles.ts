import type { CandleColumns, MarketData } from '../../market'
import type { BacktestSpec } from '../types'
import { intervalMs } from './sandbox'
import { MAX_BACKTEST_CANDLES } from './validate'

/**
 * The closed candles of a backtest's range from a market source: open times in
 * [start_time, end_time), and only candles that have closed by the market's time (the forming one
 * is left out, as `closedCandles` does). At most {@link MAX_BACKTEST_CANDLES}, the first ones.
 *
 * @example
 * const candles = backtestCandles(services.market, spec)
 * await runBacktest(spec, candles, sink, { instrument: services.market.requireInstrument(spec.symbol) })
 */
export function backtestCandles(market: MarketData, spec: Pick<BacktestSpec, 'symbol' | 'interval' | 'start_time' | 'end_time'>): CandleColumns {
  const cols = market.candleColumns(spec.symbol, spec.interval, {
    startTime: spec.start_time,
    endTime: spec.end_time - 1,
    limit: MAX_BACKTEST_CANDLES,
    anchor: 'start',
  })
  const step = intervalMs(spec.interval)
  const now = market.now()
  let end = cols.time.length
  while (end > 0 && cols.time[end - 1]! + step > now) end--
  if (end === cols.time.length) return cols
  return {
    time: cols.time.subarray(0, end),
    open: cols.open.subarray(0, end),
    high: cols.high.subarray(0, end),
    low: cols.low.subarray(0, end),
    close: cols.close.subarray(0, end),
    volume: cols.volume.subarray(0, end),
  }
}
