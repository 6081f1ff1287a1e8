import { allocCandles, type Candles, type ColumnPool } from '@smc-trading/smc'
import type { CandleColumns, MarketData } from '../../market'
import type { BacktestSpec } from '../types'
import { intervalMs } from './sandbox'
import { MAX_BACKTEST_CANDLES } from './validate'

type Range = Pick<BacktestSpec, 'symbol' | 'interval' | 'start_time' | 'end_time'>

/**
 * Columns of `n` rows, each from the pool when it holds a buffer of that size: the rows are written
 * before they are read (the read returns the rows it filled), so old contents never show.
 */
function candlesFrom(pool: ColumnPool, n: number): Candles {
  const col = (): Float64Array => {
    const b = pool.take(n * 8)
    return b ? new Float64Array(b) : new Float64Array(n)
  }
  return { time: col(), open: col(), high: col(), low: col(), close: col(), volume: col() }
}

/** Candles per read of the market: 768 KB of columns, a few ms of the event loop. */
export const CANDLE_CHUNK = 16_384

/**
 * Reads the range chunk by chunk into one set of columns (sized for the whole range up front), then
 * leaves out the candles that have not closed by the market's time. A generator: the caller decides
 * whether to yield to the event loop between chunks.
 */
function* reading(market: MarketData, spec: Range, chunk: number, pool?: ColumnPool): Generator<void, CandleColumns, void> {
  const step = intervalMs(spec.interval)
  const room = Math.min(MAX_BACKTEST_CANDLES, Math.max(0, Math.ceil((spec.end_time - spec.start_time) / step) + 1))
  const out = pool ? candlesFrom(pool, room) : allocCandles(room)
  let n = 0
  let from = spec.start_time
  while (n < room) {
    const part = market.candleColumns(spec.symbol, spec.interval, {
      startTime: from,
      endTime: spec.end_time - 1,
      limit: Math.min(chunk, room - n),
      anchor: 'start',
    })
    const k = part.time.length
    if (k === 0) break
    out.time.set(part.time, n)
    out.open.set(part.open, n)
    out.high.set(part.high, n)
    out.low.set(part.low, n)
    out.close.set(part.close, n)
    out.volume.set(part.volume, n)
    n += k
    from = part.time[k - 1]! + step
    if (k < chunk) break
    yield
  }
  const now = market.now()
  while (n > 0 && out.time[n - 1]! + step > now) n--
  return {
    time: out.time.subarray(0, n),
    open: out.open.subarray(0, n),
    high: out.high.subarray(0, n),
    low: out.low.subarray(0, n),
    close: out.close.subarray(0, n),
    volume: out.volume.subarray(0, n),
  }
}

/**
 * The closed candles of a backtest's range from a market source: open times in
 * [start_time, end_time), and only candles that have closed by the market's time (the forming one
 * is left out, as `closedCandles` does). At most {@link MAX_BACKTEST_CANDLES}, the first ones. Fresh
 * columns the caller owns (views of buffers nothing else holds).
 *
 * @example
 * const candles = backtestCandles(services.market, spec)
 * await runBacktest(spec, candles, sink, { instrument: services.market.requireInstrument(spec.symbol) })
 */
export function backtestCandles(market: MarketData, spec: Range, chunk = CANDLE_CHUNK): CandleColumns {
  const r = reading(market, spec, chunk)
  for (;;) {
    const step = r.next()
    if (step.done) return step.value
  }
}

/**
 * {@link backtestCandles}, yielding to the event loop between chunks: a million candles are 48 MB of
 * columns, and the server answers other requests while it reads them. With a `pool`, the columns
 * are taken from it when it holds buffers of their size (a backtest worker hands a finished run's
 * candle buffers back: the next read of that length writes into memory already mapped).
 *
 * @example
 * const candles = await readBacktestCandles(services.market, spec)
 */
export async function readBacktestCandles(market: MarketData, spec: Range, o: { chunk?: number; pool?: ColumnPool } = {}): Promise<CandleColumns> {
  const r = reading(market, spec, o.chunk ?? CANDLE_CHUNK, o.pool)
  for (;;) {
    const step = r.next()
    if (step.done) return step.value
    await new Promise((resolve) => setImmediate(resolve))
  }
}
