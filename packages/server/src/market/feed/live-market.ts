import type { Clock } from '../../core'
import { MINUTE_MS } from '../intervals'
import { SeriesMarket } from '../series-market'
import type { Candle, MarketData, MarketStatus } from '../types'
import type { LiveFeed } from './live-feed'

export interface FeedMarketOptions {
  clock: Clock
  /** Days of 1m history backfilled at start. */
  historyDays: number
  /** Older data than this is stale: status `stale`, new orders refused. */
  staleMs: number
  /** Delay before the n-th retry after a failed poll (default: 0.5 s doubling, at most 30 s). */
  backoffMs?: (failures: number) => number
  onError?: (error: unknown) => void
}

/** A live market, plus its feed's state for health and tests. */
export interface FeedMarket extends MarketData {
  /** Poll every symbol once now (what the timer does); resolves when done, never rejects. */
  pollNow(): Promise<void>
  /** Consecutive failed polls, and the last error's message. */
  failures(): { count: number; lastError: string | null }
}

/**
 * MARKET_SOURCE=ccxt (or any LiveFeed): 1m history backfilled at start, then the latest candles and
 * the exchange's own order book polled once at start and then on the market timer. Paper fills walk
 * that real book. The market is `stale` until the first poll succeeds. A failed poll retries with
 * backoff; data older than `staleMs` makes the market `stale`, and orders are refused until it
 * updates again; minutes missed during an outage are fetched as history when polls succeed again.
 */
export async function createFeedMarket(feed: LiveFeed, options: FeedMarketOptions): Promise<FeedMarket> {
  const { clock } = options
  const backoff = options.backoffMs ?? ((n: number) => Math.min(30_000, 500 * 2 ** (n - 1)))
  const core = new SeriesMarket(feed.instruments, 1, feed.name, options.onError)
  /** Open time of each symbol's newest candle put so far. */
  const newest = new Map<string, number>()
  const put = (symbol: string, c: Candle) => {
    core.put(symbol, c)
    if (c.time > (newest.get(symbol) ?? -Infinity)) newest.set(symbol, c.time)
  }
  const now = clock.now()
  const since = Math.floor((now - options.historyDays * 1440 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS
  for (const inst of feed.instruments) {
    for (const c of await feed.history(inst.symbol, since, now)) put(inst.symbol, c)
  }
  let lastUpdate = now
  core.time = now
  let polled = false
  let failures = 0
  let lastError: string | null = null
  let inFlight: Promise<void> | undefined
  let retryAt = 0
  let timer: ReturnType<typeof setInterval> | undefined

  async function pollAll(): Promise<void> {
    try {
      const results = await Promise.all(
        feed.instruments.map(async (inst) => {
          const latest = await feed.poll(inst.symbol)
          // After an outage longer than the poll's few candles, fetch the minutes missed in between
          // (rather than filling them flat as if the exchange had no data for them).
          const last = newest.get(inst.symbol)
          const first = latest.candles[0]?.time
          const missed = last !== undefined && first !== undefined && first > last + MINUTE_MS ? await feed.history(inst.symbol, last + MINUTE_MS, first) : []
          return [inst.symbol, latest, missed] as const
        }),
      )
      const before = core.prices()
      for (const [symbol, { candles, book }, missed] of results) {
        for (const c of missed) put(symbol, c)
        for (const c of candles) put(symbol, c)
        core.setBook(symbol, book)
      }
      lastUpdate = clock.now()
      core.time = lastUpdate
      polled = true
      failures = 0
      lastError = null
      core.emitChanges(before)
    } catch (error) {
      failures++
      lastError = (error as Error).message ?? String(error)
      retryAt = clock.now() + backoff(failures)
    }
  }

  function advance(): void {
    if (inFlight || clock.now() < retryAt) return
    inFlight = pollAll().finally(() => {
      inFlight = undefined
    })
  }

  // The first poll, so the market opens with the exchange's book and forming candle (until it
  // succeeds the market is not live: nothing fills against a book the exchange never showed).
  await pollAll()

  const status = (): MarketStatus => {
    if (!polled) return { state: 'stale', reason: `no order book from ${feed.name} yet${lastError ? ` (last error: ${lastError})` : ''}` }
    const age = clock.now() - lastUpdate
    if (age <= options.staleMs) return { state: 'live', reason: null }
    return { state: 'stale', reason: `no update from ${feed.name} for ${Math.round(age / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}` }
  }

  const market = core.marketData({
    advance,
    start(intervalMs = 1000) {
      if (timer) clearInterval(timer)
      timer = setInterval(advance, intervalMs)
      timer.unref?.()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      void feed.close()
    },
    lastUpdate: () => lastUpdate,
    status,
  })
  return Object.assign(market, {
    pollNow: async () => {
      await (inFlight ?? pollAll())
    },
    failures: () => ({ count: failures, lastError }),
  })
}

/** The ccxt feed for the configured exchange and symbols, as a market (ccxt is imported here, lazily). */
export async function createLiveMarket(
  env: { CCXT_EXCHANGE: string; MARKET_SYMBOLS: string[]; CCXT_OPTIONS?: Record<string, unknown>; MARKET_HISTORY_DAYS: number; MARKET_STALE_MS: number },
  clock: Clock,
): Promise<FeedMarket> {
  const { createCcxtFeed } = await import('./ccxt')
  const feed = await createCcxtFeed({ exchange: env.CCXT_EXCHANGE, symbols: env.MARKET_SYMBOLS, options: env.CCXT_OPTIONS })
  return createFeedMarket(feed, { clock, historyDays: env.MARKET_HISTORY_DAYS, staleMs: env.MARKET_STALE_MS })
}
