import type { Instrument } from '../instruments'
import type { Candle, OrderBook } from '../types'

/**
 * What a live exchange source gives the market (MARKET_SOURCE=ccxt): instruments, 1m history, and
 * polled updates. `createFeedMarket` turns it into the MarketData the rest of the server uses, so
 * nothing above the market layer knows where prices come from.
 *
 * Every method may reject; the feed market retries with backoff and marks itself degraded meanwhile.
 */
export interface LiveFeed {
  /** Exchange name, for health and logs (e.g. `binance`). */
  readonly name: string
  /** The served symbols' trading rules, canonical symbols (`BTCUSDT`), in configuration order. */
  readonly instruments: readonly Instrument[]
  /**
   * Closed 1m candles with open time in [since, until), ascending, paged as the exchange requires
   * (e.g. 1,000 per request), honouring its rate limit. Minutes the exchange has no candle for are
   * simply absent (the market fills them flat).
   */
  history(symbol: string, since: number, until: number): Promise<Candle[]>
  /**
   * The latest 1m candles (at least the forming one and the one before it, ascending; the last is
   * the forming candle) and the current order book (bids best first, asks best first).
   */
  poll(symbol: string): Promise<{ candles: Candle[]; book: OrderBook }>
  /** Release connections (ccxt's `close()` where it has one). */
  close(): Promise<void>
}
