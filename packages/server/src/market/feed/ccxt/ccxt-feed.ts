import type { Exchange, OHLCV } from 'ccxt'
import type { Instrument } from '../../instruments'
import type { BookLevel, Candle, OrderBook } from '../../types'
import type { LiveFeed } from '../live-feed'
import {
  canonicalSymbol,
  findSpotMarket,
  instrumentFromMarket,
  type MarketLike,
  type MarketStats,
} from './instrument'
import { DEFAULT_RETRY, isRetryableError, withRetry, type RetryPolicy } from './retry'

/** Options of {@link createCcxtFeed}. */
export interface CcxtFeedOptions {
  /** ccxt exchange id (`CCXT_EXCHANGE`); default `binance`. */
  exchange?: string
  /** Canonical symbols to serve (`MARKET_SYMBOLS`, e.g. `BTCUSDT`), in this order. */
  symbols: readonly string[]
  /**
   * Exchange constructor config (`CCXT_OPTIONS`, parsed JSON), e.g. `{ "timeout": 5000 }` or
   * `{ "options": { "defaultType": "spot" } }`. Credentials in it (`apiKey`, `secret`, …) are dropped:
   * the feed reads public market data only.
   */
  options?: Record<string, unknown>
  /**
   * A pre-built ccxt exchange to use instead of constructing one (tests override its `fetch`). The
   * spot-only market loading below is applied to it too; `exchange` and `options` are then ignored.
   */
  exchangeInstance?: Exchange
  /** Order-book levels per side requested by `poll` (default 100). */
  depth?: number
  /** 1m candles requested by `poll` (default 3: the forming one and the two before it). */
  pollCandles?: number
  /** Retry of network errors in startup requests and history pages (default 3 tries, 200 ms base). */
  retry?: Partial<RetryPolicy>
  /** Clock (ms) deciding which candles are closed (default `Date.now`). */
  now?: () => number
}

const MINUTE = 60_000
/** Page size when the exchange does not declare its `fetchOHLCV` limit in ccxt's `features`. */
const DEFAULT_PAGE_LIMIT = 1000
/** Constructor keys that carry credentials: never passed on. */
const CREDENTIAL_KEYS = [
  'apiKey',
  'secret',
  'password',
  'uid',
  'login',
  'privateKey',
  'walletAddress',
  'token',
  'twofa',
  'accountId',
]

export type CcxtModule = typeof import('ccxt').default

const isDict = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const toCandle = (row: OHLCV): Candle | undefined => {
  const [time, open, high, low, close, volume] = row
  if (![time, open, high, low, close].every((x) => typeof x === 'number' && Number.isFinite(x))) return undefined
  return {
    time: time as number,
    open: open as number,
    high: high as number,
    low: low as number,
    close: close as number,
    volume: typeof volume === 'number' && Number.isFinite(volume) ? volume : 0,
  }
}

const toLevels = (side: unknown): BookLevel[] =>
  Array.isArray(side)
    ? side
        .filter((l): l is [number, number] => Array.isArray(l) && Number.isFinite(l[0]) && Number.isFinite(l[1]))
        .map(([price, quantity]) => [price, quantity])
    : []

/**
 * Restrict market loading to spot markets, unless the configuration says otherwise: binance (and
 * other exchanges whose ccxt options carry `fetchMarkets.types`) would otherwise also load its
 * futures and delivery markets, two more requests the feed has no use for.
 */
export function preferSpot(exchange: Exchange, userExchangeOptions: Record<string, unknown>): void {
  const options = exchange.options as Record<string, unknown>
  if (!('defaultType' in userExchangeOptions) && 'defaultType' in options) options.defaultType = 'spot'
  const fetchMarkets = options.fetchMarkets
  if (!('fetchMarkets' in userExchangeOptions) && isDict(fetchMarkets) && Array.isArray(fetchMarkets.types)) {
    options.fetchMarkets = { ...fetchMarkets, types: ['spot'] }
  }
}

export function buildExchange(ccxt: CcxtModule, id: string, config: Record<string, unknown>): Exchange {
  const Ctor = (ccxt as unknown as Record<string, unknown>)[id]
  if (!ccxt.exchanges.includes(id) || typeof Ctor !== 'function') {
    throw new Error(`unknown ccxt exchange "${id}" (CCXT_EXCHANGE): ccxt ${ccxt.version} knows ${ccxt.exchanges.length} exchanges, e.g. binance, bybit, okx, kraken`)
  }
  const publicConfig = Object.fromEntries(Object.entries(config).filter(([key]) => !CREDENTIAL_KEYS.includes(key)))
  return new (Ctor as new (config: Record<string, unknown>) => Exchange)(publicConfig)
}

/**
 * The live exchange source of MARKET_SOURCE=ccxt: public market data of `symbols` on a ccxt
 * exchange, as a {@link LiveFeed}. ccxt is imported here, on first call, so a server that does not
 * choose this source never loads it.
 *
 * Startup loads the exchange's spot markets (retrying network errors with backoff), maps each
 * canonical symbol to its unified market (`BTCUSDT` → `BTC/USDT`) and builds its instrument from the
 * market's precision and limits plus one 24 h ticker. It rejects with an Error naming the symbol(s)
 * and the exchange when a symbol has no spot market there, and with a clear message for an unknown
 * exchange id or a network that stays down.
 *
 * @example
 * const feed = await createCcxtFeed({ exchange: 'binance', symbols: ['BTCUSDT', 'ETHUSDT'] })
 * const candles = await feed.history('BTCUSDT', Date.now() - 86_400_000, Date.now())
 * const { candles: latest, book } = await feed.poll('BTCUSDT')
 * await feed.close()
 */
export async function createCcxtFeed(options: CcxtFeedOptions): Promise<LiveFeed> {
  const mod = await import('ccxt')
  const ccxt = ((mod as { default?: CcxtModule }).default ?? mod) as CcxtModule
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry }
  const retryable = (error: unknown) => isRetryableError(error, ccxt.NetworkError)
  const now = options.now ?? (() => Date.now())
  const depth = options.depth ?? 100
  const pollCandles = Math.max(2, options.pollCandles ?? 3)

  const config = options.options ?? {}
  const owned = options.exchangeInstance === undefined
  const exchange = options.exchangeInstance ?? buildExchange(ccxt, options.exchange ?? 'binance', config)
  preferSpot(exchange, isDict(config.options) && owned ? config.options : {})
  const name = exchange.id

  try {
    if (options.symbols.length === 0) throw new Error(`ccxt feed on ${name}: no symbols configured`)
    await withRetry(`${name} loadMarkets`, (attempt) => exchange.loadMarkets(attempt > 0), retry, retryable)
    const markets = Object.values(exchange.markets ?? {}) as MarketLike[]

    const canonicals = options.symbols.map(canonicalSymbol)
    const duplicate = canonicals.find((s, i) => canonicals.indexOf(s) !== i)
    if (duplicate !== undefined) throw new Error(`symbol ${duplicate} is configured twice`)
    const found = canonicals.map((symbol) => ({ symbol, market: findSpotMarket(symbol, markets) }))
    const unknown = found.filter((f) => f.market === undefined).map((f) => f.symbol)
    if (unknown.length > 0) {
      throw new Error(
        `unknown symbol${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} on ${name}: no spot market has ` +
          `${unknown.length > 1 ? 'these ids' : 'this id'} or base+quote (${markets.length} spot markets loaded; ` +
          `symbols are written like BTCUSDT for ${name}'s BTC/USDT)`,
      )
    }
    const inactive = found.filter((f) => f.market!.active === false).map((f) => `${f.symbol} (${f.market!.symbol})`)
    if (inactive.length > 0) throw new Error(`${name} does not trade ${inactive.join(', ')} now (market inactive)`)

    const unified = new Map(found.map((f) => [f.symbol, f.market!.symbol]))
    const instruments: Instrument[] = []
    for (const { symbol, market } of found) {
      const stats = await withRetry(`${name} 24h ticker of ${market!.symbol}`, () => fetchStats(exchange, market!.symbol), retry, retryable)
      instruments.push(instrumentFromMarket(symbol, market!, exchange.precisionMode ?? 0, stats, name))
    }
    const pageLimit = pageLimitOf(exchange)

    const unifiedOf = (symbol: string): string => {
      const u = unified.get(canonicalSymbol(symbol))
      if (u === undefined) throw new Error(`${symbol} is not served by this ${name} feed (serving ${[...unified.keys()].join(', ')})`)
      return u
    }

    const feed: LiveFeed = {
      name,
      instruments: Object.freeze(instruments),

      async history(symbol, since, until) {
        const u = unifiedOf(symbol)
        // Only closed candles: nothing opening at or after the current minute.
        const end = Math.min(until, Math.floor(now() / MINUTE) * MINUTE)
        const out: Candle[] = []
        let cursor = since
        let lastTime = -Infinity
        while (cursor < end) {
          const from = cursor
          const page = await withRetry(
            `${name} fetchOHLCV ${u} 1m since ${new Date(from).toISOString()}`,
            () => exchange.fetchOHLCV(u, '1m', from, pageLimit),
            retry,
            retryable,
          )
          if (page.length === 0) break
          let pageLast = -Infinity
          for (const row of page) {
            const candle = toCandle(row)
            if (candle === undefined) continue
            pageLast = Math.max(pageLast, candle.time)
            if (candle.time < since || candle.time >= end || candle.time <= lastTime) continue
            out.push(candle)
            lastTime = candle.time
          }
          // An exchange that ignores `since` (or repeats itself) would loop forever: stop instead.
          if (!(pageLast >= from)) break
          cursor = pageLast + MINUTE
        }
        return out
      },

      async poll(symbol) {
        const u = unifiedOf(symbol)
        const [rows, ob] = await Promise.all([
          exchange.fetchOHLCV(u, '1m', undefined, pollCandles),
          exchange.fetchOrderBook(u, depth),
        ])
        const candles = rows
          .map(toCandle)
          .filter((c): c is Candle => c !== undefined)
          .sort((a, b) => a.time - b.time)
        const book: OrderBook = {
          symbol: canonicalSymbol(symbol),
          timestamp: typeof ob.timestamp === 'number' ? ob.timestamp : now(),
          bids: toLevels(ob.bids),
          asks: toLevels(ob.asks),
        }
        return { candles, book }
      },

      async close() {
        await exchange.close?.()
      },
    }
    return feed
  } catch (error) {
    if (owned) await exchange.close?.().catch(() => undefined)
    throw error
  }
}

/** Candles per `fetchOHLCV` request: ccxt's declared spot limit for the exchange (binance: 1,000). */
function pageLimitOf(exchange: Exchange): number {
  const features = exchange.features as Record<string, Record<string, { limit?: unknown } | undefined> | undefined>
  const limit = features?.spot?.fetchOHLCV?.limit
  return typeof limit === 'number' && limit > 0 ? limit : DEFAULT_PAGE_LIMIT
}

/** Last price, 24 h range and quote volume: from the 24 h ticker, else from the latest candles. */
async function fetchStats(exchange: Exchange, unified: string): Promise<MarketStats> {
  if (exchange.has.fetchTicker === true) {
    const t = await exchange.fetchTicker(unified)
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined)
    return { last: num(t.last) ?? num(t.close), high: num(t.high), low: num(t.low), quoteVolume: num(t.quoteVolume) }
  }
  const rows = await exchange.fetchOHLCV(unified, '1m', undefined, 2)
  const last = rows.length > 0 ? toCandle(rows[rows.length - 1]!) : undefined
  return { last: last?.close }
}
