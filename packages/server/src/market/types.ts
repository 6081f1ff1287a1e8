import type { Candles } from '@smc-trading/smc'
import type { Instrument } from './instruments'
import type { Interval } from './intervals'

/**
 * Snapshot of one symbol. Times are epoch milliseconds; the API layer converts to the contract's
 * wire formats.
 */
export interface Ticker {
  symbol: string
  /** Last traded price. */
  price: number
  /** Best bid: always the order book's top bid at the same instant. */
  bid: number
  /** Best ask: always the order book's top ask at the same instant. */
  ask: number
  /** Base-asset volume over the trailing 24 h (including the forming candle). */
  volume_24h: number
  /** Percent change of `price` against the open of the trailing 24 h window. */
  change_24h: number
  /** Open of the trailing 24 h window. */
  open_24h: number
  /** Quote-asset volume over the trailing 24 h: Σ volume × typical price ((h + l + c) / 3), in cents. */
  quote_volume_24h: number
  high_24h: number
  low_24h: number
  /** When this snapshot was taken (ms). */
  timestamp: number
}

/** One OHLCV candle; `time` is its open time (ms, UTC-aligned to the interval). */
export interface Candle {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/**
 * Columnar candles, one Float64Array per field, all of one length: exactly the SMC engine's input
 * type, so candles go from the market to the engine without per-row objects or copies.
 */
export type CandleColumns = Candles

/** Which candles to return. */
export interface CandleQuery {
  /** Earliest candle open time to include (ms, inclusive). */
  startTime?: number
  /** Latest candle open time to include (ms, inclusive). */
  endTime?: number
  /** Return at most this many: the latest ones in range, or the first ones with `anchor: 'start'`. */
  limit?: number
  /** Which end of the range a limited page is taken from (default `end`: the latest candles). */
  anchor?: 'start' | 'end'
}

/** One price level: `[price, quantity]`. */
export type BookLevel = [price: number, quantity: number]

/** Depth snapshot: bids best (highest) first, asks best (lowest) first. */
export interface OrderBook {
  symbol: string
  /** When this snapshot was taken (ms). */
  timestamp: number
  bids: BookLevel[]
  asks: BookLevel[]
}

export type TickListener = (tick: Ticker) => void

/**
 * Whether prices are current. `live`: trading as usual. `stale`: the source has not updated for too
 * long (a live exchange unreachable). `ended`: a replay reached the end of its data. Orders are
 * refused (MARKET_CLOSED) unless live, rather than filled at an old price.
 */
export interface MarketStatus {
  state: 'live' | 'stale' | 'ended'
  /** Why it is not live (e.g. `replay finished`), null when live. */
  reason: string | null
}

/**
 * A source of market data: the simulated market today, CSV replay and live exchanges (ccxt) later.
 * Reads reflect the state as of the latest {@link MarketData.advance}; they never move time
 * themselves, so one request sees one consistent instant.
 */
export interface MarketData {
  /** Tradable symbols, in configuration order. */
  symbols(): string[]
  instrument(symbol: string): Instrument | undefined
  /** The instrument, or an `INVALID_SYMBOL` DomainError. */
  requireInstrument(symbol: string): Instrument
  ticker(symbol: string): Ticker
  /** Candles ascending by open time; the forming candle is included (partial). */
  candles(symbol: string, interval: Interval, query?: CandleQuery): Candle[]
  /** Same selection as {@link MarketData.candles}, as columns. */
  candleColumns(symbol: string, interval: Interval, query?: CandleQuery): CandleColumns
  /** The book now: what `take` consumed since the last market update is gone from its top. */
  orderBook(symbol: string, depth?: number): OrderBook
  /**
   * Remove `quantity` executed by a `side` order (a buy takes asks) from the top of the current
   * book. Liquidity refills when the market next updates (the book is redrawn each tick).
   */
  take(symbol: string, side: 'buy' | 'sell', quantity: number): void
  /** Bring the market up to the clock's current time. */
  advance(): void
  /** Subscribe to price changes; returns the unsubscribe function. */
  onTick(listener: TickListener): () => void
  /** Clock time (ms) of the latest update, for feed-freshness health checks. */
  lastUpdate(): number
  /**
   * The market's current time (ms): the clock for the simulated and live sources, the replayed
   * data's time for a CSV replay. A candle is closed when it ends at or before it.
   */
  now(): number
  status(): MarketStatus
  /** Call {@link MarketData.advance} every `intervalMs` on an unref'd timer. */
  start(intervalMs?: number): void
  stop(): void
}
