// MARKET_SOURCE=ccxt end to end, without network: a real ccxt binance whose REST calls go to the fake
// Binance (klines, depth, 24 h ticker in Binance's wire format, parsed by ccxt itself), under
// createCcxtFeed + createFeedMarket, under the whole app (in-memory SQLite, a ManualClock that the
// fake exchange shares). Nothing of ours is mocked.
import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../api'
import { loadEnv } from '../../config'
import { ManualClock } from '../../core'
import { createLogger } from '../../observability'
import { bootstrapCredentials, createServices, type AppServices } from '../../services'
import { closeDatabase } from '../../store'
import { contractFetch } from '../../testing/contract'
import { createCcxtFeed } from './ccxt'
import { candleOf, DEPTH_BTCUSDT, installFakeBinance, klineAt, MINUTE, type FakeBinance } from './ccxt/fixtures/fake-binance'
import { createFeedMarket, type FeedMarket } from './live-market'

/** Server start: 2025-01-15 12:00:30 UTC, so 12:00 is the forming minute and 11:59 the last closed one. */
const START = Date.UTC(2025, 0, 15, 12, 0, 30)
const START_MINUTE = Date.UTC(2025, 0, 15, 12, 0)
const HISTORY_DAYS = 2
/** First backfilled minute: HISTORY_DAYS before the start, on the minute. */
const SINCE = START_MINUTE - HISTORY_DAYS * 1440 * MINUTE
const STALE_MS = 30_000
const BASE = 97_000 // the fake's BTCUSDT klines oscillate around it
const SECOND = 1000

const ask = DEPTH_BTCUSDT.asks.map(([p, q]) => [Number(p), Number(q)] as const)
const bid = DEPTH_BTCUSDT.bids.map(([p, q]) => [Number(p), Number(q)] as const)

interface Live {
  clock: ManualClock
  api: FakeBinance
  market: FeedMarket
  services: AppServices
  /** A request through the app, its response checked against the contract. */
  call(method: string, path: string, body?: unknown): Promise<Response>
  get<T = any>(path: string): Promise<T>
  close(): Promise<void>
}

const opened: Live[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()))
})

/** The app over a live binance market (the fake behind a real ccxt instance), sharing one ManualClock. */
async function startLive(fake: { gaps?: ReadonlySet<number>; beforeMarket?: (api: FakeBinance) => void } = {}): Promise<Live> {
  const clock = new ManualClock(START)
  const exchange = new ccxt.binance()
  const api = installFakeBinance(exchange, { now: () => clock.now(), gaps: fake.gaps })
  const feed = await createCcxtFeed({
    symbols: ['BTCUSDT'],
    exchangeInstance: exchange,
    now: () => clock.now(),
    retry: { sleep: async () => undefined },
  })
  fake.beforeMarket?.(api)
  const market = await createFeedMarket(feed, { clock, historyDays: HISTORY_DAYS, staleMs: STALE_MS, backoffMs: () => 5 * SECOND })
  const env = loadEnv({
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    SMC_DEMO_API_KEY: 'smc_demo_test_key_0123456789',
    SMC_ADMIN_API_KEY: 'smc_admin_test_key_0123456789',
    RATE_LIMIT_ENABLED: 'false',
    PAPER_INITIAL_BALANCE: '1000000',
    MARKET_SOURCE: 'ccxt',
    MARKET_SYMBOLS: 'BTCUSDT',
    MARKET_HISTORY_DAYS: String(HISTORY_DAYS),
    MARKET_STALE_MS: String(STALE_MS),
  })
  const services = createServices(env, { clock, market, logger: createLogger('silent') })
  await bootstrapCredentials(services)
  const app = createApp(services)
  const checked = contractFetch((req) => app.fetch(req))
  const scopes = ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics'] as const
  const { token } = await services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'trader', [...scopes], 30 * 86_400)
  const call = (method: string, path: string, body?: unknown) =>
    checked(
      new Request(new URL(path, 'http://test.local'), {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
  const live: Live = {
    clock,
    api,
    market,
    services,
    call,
    async get(path) {
      const res = await call('GET', path)
      expect(res.status, path).toBe(200)
      return res.json()
    },
    async close() {
      await services.stream.close()
      market.stop()
      closeDatabase(services.db)
    },
  }
  opened.push(live)
  return live
}

interface ApiCandle {
  timestamp: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  closed: boolean
}

/** Every 1m candle from `from` (ms) on, paging forward with next_start_time as a client would. */
async function allMinutes(live: Live, from: number): Promise<ApiCandle[]> {
  const out: ApiCandle[] = []
  let start: number | null = from / 1000
  let pages = 0
  while (start !== null) {
    const page: { data: ApiCandle[]; next_start_time: number | null } = await live.get(
      `/v1/market-data/BTCUSDT/ohlcv?interval=1m&start_time=${start}&limit=1000`,
    )
    out.push(...page.data)
    start = page.next_start_time
    if (++pages > 10) throw new Error('paging does not end')
  }
  return out
}

/** What the API must serve for the exchange's kline of minute `t`. */
const exchangeCandle = (t: number, closed = true): ApiCandle => {
  const c = candleOf(klineAt(t, BASE))
  return { timestamp: t / 1000, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, closed }
}

const networkDown = () => new ccxt.NetworkError('binance GET https://api.binance.com/api/v3/depth fetch failed: getaddrinfo ENOTFOUND api.binance.com')

describe('MARKET_SOURCE=ccxt: backfill', () => {
  it('serves the exchange’s history field by field, closed, then the forming candle of the first poll', async () => {
    const live = await startLive()
    const candles = await allMinutes(live, SINCE)
    expect(candles).toHaveLength(HISTORY_DAYS * 1440 + 1)
    const expected: ApiCandle[] = []
    for (let t = SINCE; t < START_MINUTE; t += MINUTE) expected.push(exchangeCandle(t))
    expected.push(exchangeCandle(START_MINUTE, false))
    expect(candles).toEqual(expected)
    // Backfilled through ccxt's paging (1,000 klines a request), then one poll of the latest 3.
    expect(live.api.requestsTo('/api/v3/klines').map((r) => Object.fromEntries(r.params))).toEqual([
      { symbol: 'BTCUSDT', interval: '1m', limit: '1000', startTime: String(SINCE) },
      { symbol: 'BTCUSDT', interval: '1m', limit: '1000', startTime: String(SINCE + 1000 * MINUTE) },
      { symbol: 'BTCUSDT', interval: '1m', limit: '1000', startTime: String(SINCE + 2000 * MINUTE) },
      { symbol: 'BTCUSDT', interval: '1m', limit: '3' },
    ])
    // Nothing earlier than the backfill window.
    const before = await live.get<{ data: ApiCandle[] }>(`/v1/market-data/BTCUSDT/ohlcv?interval=1m&end_time=${SINCE / 1000 - 1}`)
    expect(before.data).toEqual([])
  })

  it('returns minutes the exchange has no kline for as flat candles at the previous close, volume 0', async () => {
    // A lone missing minute, an outage of 7 minutes across the first page boundary, and the last
    // closed minute before the start (absent from the history; the first poll's newer candle fills it).
    const gaps = new Set([
      SINCE + 5 * MINUTE,
      ...[997, 998, 999, 1000, 1001, 1002, 1003].map((k) => SINCE + k * MINUTE),
      START_MINUTE - MINUTE,
    ])
    const live = await startLive({ gaps })
    const candles = await allMinutes(live, SINCE)
    expect(candles).toHaveLength(HISTORY_DAYS * 1440 + 1)
    const expected: ApiCandle[] = []
    for (let t = SINCE; t <= START_MINUTE; t += MINUTE) {
      if (!gaps.has(t)) expected.push(exchangeCandle(t, t < START_MINUTE))
      else {
        const prev = expected[expected.length - 1]!.close
        expected.push({ timestamp: t / 1000, open: prev, high: prev, low: prev, close: prev, volume: 0, closed: true })
      }
    }
    expect(candles).toEqual(expected)
    // The flat candles carry the close of the last real minute before them, through the whole outage.
    const lastBefore = candleOf(klineAt(SINCE + 996 * MINUTE, BASE)).close
    expect(candles.slice(997, 1004).map((c) => [c.open, c.high, c.low, c.close, c.volume])).toEqual(
      Array.from({ length: 7 }, () => [lastBefore, lastBefore, lastBefore, lastBefore, 0]),
    )
    // Aggregates include the flat minutes (volume 0): the 1h candle of the outage equals the sum of its minutes.
    const hourStart = Math.floor((SINCE + 997 * MINUTE) / 3_600_000) * 3_600_000
    const [hour] = (await live.get<{ data: ApiCandle[] }>(`/v1/market-data/BTCUSDT/ohlcv?interval=1h&start_time=${hourStart / 1000}&limit=1`)).data
    const minutes = candles.filter((c) => c.timestamp * 1000 >= hourStart && c.timestamp * 1000 < hourStart + 3_600_000)
    expect(minutes).toHaveLength(60)
    expect(hour!.open).toBe(minutes[0]!.open)
    expect(hour!.close).toBe(minutes[59]!.close)
    expect(hour!.high).toBe(Math.max(...minutes.map((c) => c.high)))
    expect(hour!.low).toBe(Math.min(...minutes.map((c) => c.low)))
    expect(hour!.volume).toBeCloseTo(minutes.reduce((s, c) => s + c.volume, 0), 5)
  })
})

describe('MARKET_SOURCE=ccxt: polling', () => {
  it('ticker = the forming candle’s close, book = the exchange’s depth, only the newest candle open', async () => {
    const live = await startLive()
    live.clock.set(START_MINUTE + 2 * MINUTE + 20 * SECOND) // 12:02:20: 12:00 and 12:01 have closed
    await live.market.pollNow()
    expect(live.market.failures()).toEqual({ count: 0, lastError: null })
    expect(live.market.status()).toEqual({ state: 'live', reason: null })

    const forming = candleOf(klineAt(START_MINUTE + 2 * MINUTE, BASE))
    const ticker = await live.get('/v1/market-data/BTCUSDT')
    expect(ticker.price).toBe(forming.close)
    expect(ticker.bid).toBe(bid[0]![0])
    expect(ticker.ask).toBe(ask[0]![0])
    expect(ticker.timestamp).toBe(new Date(live.clock.now()).toISOString())

    const book = await live.get('/v1/market-data/BTCUSDT/orderbook?limit=5')
    expect(book.bids.map((l: string[]) => l.map(Number))).toEqual(bid.slice(0, 5))
    expect(book.asks.map((l: string[]) => l.map(Number))).toEqual(ask.slice(0, 5))
    const full = await live.get('/v1/market-data/BTCUSDT/orderbook?limit=100')
    expect(full.asks).toHaveLength(DEPTH_BTCUSDT.asks.length) // the exchange's levels, nothing synthesised
    expect(full.bids.map((l: string[]) => l.map(Number))).toEqual(bid)

    const latest = await live.get<{ data: ApiCandle[] }>('/v1/market-data/BTCUSDT/ohlcv?interval=1m&limit=5')
    expect(latest.data).toEqual([
      exchangeCandle(START_MINUTE - 2 * MINUTE),
      exchangeCandle(START_MINUTE - MINUTE),
      exchangeCandle(START_MINUTE),
      exchangeCandle(START_MINUTE + MINUTE),
      exchangeCandle(START_MINUTE + 2 * MINUTE, false),
    ])
    // Polled as documented: the latest 3 klines and 100 levels of depth.
    const [klines] = live.api.requestsTo('/api/v3/klines').slice(-1)
    expect(Object.fromEntries(klines!.params)).toEqual({ interval: '1m', limit: '3', symbol: 'BTCUSDT' })
    expect(live.api.requestsTo('/api/v3/depth')).toHaveLength(2) // at start, and now

    // The next minute: the candle that was forming closes, the new one forms.
    live.clock.advance(MINUTE)
    await live.market.pollNow()
    const next = await live.get<{ data: ApiCandle[] }>('/v1/market-data/BTCUSDT/ohlcv?interval=1m&limit=2')
    expect(next.data).toEqual([exchangeCandle(START_MINUTE + 2 * MINUTE), exchangeCandle(START_MINUTE + 3 * MINUTE, false)])
    expect((await live.get('/v1/market-data/BTCUSDT')).price).toBe(candleOf(klineAt(START_MINUTE + 3 * MINUTE, BASE)).close)
  })

  it('opens with the exchange’s book and forming candle: the first poll is part of the start', async () => {
    const live = await startLive()
    expect(live.market.status()).toEqual({ state: 'live', reason: null })
    expect(live.api.requestsTo('/api/v3/depth')).toHaveLength(1)
    const book = await live.get('/v1/market-data/BTCUSDT/orderbook?limit=100')
    expect(book.asks.map((l: string[]) => l.map(Number))).toEqual(ask)
    expect(book.bids.map((l: string[]) => l.map(Number))).toEqual(bid)
    expect((await live.get('/v1/market-data/BTCUSDT')).price).toBe(candleOf(klineAt(START_MINUTE, BASE)).close)
  })

  it('is not live until a first poll succeeds (no fill against a book the exchange never showed)', async () => {
    // The backfill succeeds, the first poll's depth request fails.
    const live = await startLive({ beforeMarket: (api) => api.failAt('/api/v3/depth', 0, networkDown()) })
    expect(live.market.status()).toEqual({ state: 'stale', reason: expect.stringMatching(/^no order book from binance yet \(last error: .*fetch failed/) })
    const refused = await live.call('POST', '/v1/trades', { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    expect(refused.status).toBe(400)
    expect((await refused.json()).error.code).toBe('MARKET_CLOSED')
    // The history is served meanwhile.
    expect((await allMinutes(live, SINCE)).length).toBe(HISTORY_DAYS * 1440)

    live.clock.advance(5 * SECOND) // the backoff
    live.market.advance()
    await live.market.pollNow()
    expect(live.market.status()).toEqual({ state: 'live', reason: null })
    const res = await live.call('POST', '/v1/trades', { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    expect(res.status).toBe(201)
    expect((await res.json()).average_price).toBe(ask[0]![0])
  })

  it('the market timer polls through advance(), one request set at a time', async () => {
    const live = await startLive()
    live.clock.advance(SECOND)
    live.market.advance()
    live.market.advance() // while a poll is in flight: nothing more
    await live.market.pollNow()
    expect(live.api.requestsTo('/api/v3/depth')).toHaveLength(2)
    expect(live.market.lastUpdate()).toBe(START + SECOND)
    expect(live.market.now()).toBe(START + SECOND)
  })
})

describe('MARKET_SOURCE=ccxt: paper fills walk the exchange’s book', () => {
  it('a market buy fills at the fake book’s ask levels, at their VWAP when it walks several', async () => {
    const live = await startLive()
    await live.market.pollNow()

    // Within the best level: filled at it.
    const small = await live.call('POST', '/v1/trades', { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.5 })
    expect(small.status).toBe(201)
    expect(await small.json()).toMatchObject({ status: 'filled', filled_quantity: 0.5, average_price: ask[0]![0], arrival_price: ask[0]![0], slippage_bps: 0 })

    // The next order in the same instant meets what is left of the best level (0.50021), then walks
    // the next two: 0.50021 @ a0 + 4.10527 @ a1 + 0.39452 @ a2.
    const quantity = 5
    const res = await live.call('POST', '/v1/trades', { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity, client_order_id: 'walk' })
    expect(res.status).toBe(201)
    const order = await res.json()
    const walked: [number, number][] = [
      [ask[0]![0], 0.50021],
      [ask[1]![0], ask[1]![1]],
      [ask[2]![0], +(quantity - 0.50021 - ask[1]![1]).toFixed(5)],
    ]
    const vwap = walked.reduce((s, [p, q]) => s + p * q, 0) / quantity
    expect(order).toMatchObject({ status: 'filled', filled_quantity: quantity, arrival_price: ask[0]![0] })
    expect(order.average_price).toBeCloseTo(vwap, 6)
    expect(order.average_price).toBeGreaterThan(ask[0]![0])
    const { trades } = await live.get(`/v1/trades/history?limit=100`)
    const fills = trades
      .filter((t: { order_id: string }) => t.order_id === order.order_id)
      .map((t: { price: number; quantity: number }) => [t.price, t.quantity])
      .sort((a: number[], b: number[]) => a[0]! - b[0]!)
    expect(fills).toEqual(walked)

    // What was taken is gone from the book served in this instant; a new poll brings the exchange's back.
    const after = await live.get('/v1/market-data/BTCUSDT/orderbook?limit=3')
    expect(Number(after.asks[0][0])).toBe(ask[2]![0])
    live.clock.advance(SECOND)
    await live.market.pollNow()
    const fresh = await live.get('/v1/market-data/BTCUSDT/orderbook?limit=3')
    expect(fresh.asks.map((l: string[]) => l.map(Number))).toEqual(ask.slice(0, 3))
  })

  it('a market sell walks the bids', async () => {
    const live = await startLive()
    await live.market.pollNow()
    await live.call('POST', '/v1/trades', { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 2 })
    live.clock.advance(SECOND)
    await live.market.pollNow()
    const quantity = 1.5 // 1.2 @ b0 + 0.3 @ b1
    const res = await live.call('POST', '/v1/trades', { symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity })
    expect(res.status).toBe(201)
    const order = await res.json()
    expect(order).toMatchObject({ status: 'filled', arrival_price: bid[0]![0] })
    expect(order.average_price).toBeCloseTo((bid[0]![0] * 1.2 + bid[1]![0] * 0.3) / quantity, 6)
  })
})

describe('MARKET_SOURCE=ccxt: a network error, then recovery', () => {
  it('stale past MARKET_STALE_MS: health degraded naming the exchange, orders refused; live again when polls succeed', async () => {
    const live = await startLive()
    await live.market.pollNow()
    const order = { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 }
    expect((await live.call('POST', '/v1/trades', order)).status).toBe(201)
    const health0 = await live.get('/v1/health')
    expect(health0.components.market_data).toMatchObject({ status: 'healthy', state: 'live', source: 'ccxt' })
    const lastGood = live.clock.now()

    live.api.outage(networkDown)
    live.clock.advance(10 * SECOND)
    live.market.advance()
    await live.market.pollNow()
    expect(live.market.failures()).toMatchObject({ count: 1, lastError: expect.stringMatching(/fetch failed/) })
    // Within MARKET_STALE_MS: still live (trading on a 10 s old price is allowed).
    expect(live.market.status().state).toBe('live')

    // Backoff: the timer does not hammer a failing exchange (5 s here).
    const requests = live.api.requests.length
    live.clock.advance(4 * SECOND)
    live.market.advance()
    await live.market.pollNow()
    expect(live.api.requests.length).toBeGreaterThan(requests) // pollNow itself always tries
    const afterForced = live.api.requests.length
    live.market.advance() // retry not due yet (backoff from the failure just now)
    expect(live.api.requests.length).toBe(afterForced)

    live.clock.set(lastGood + STALE_MS + 1500)
    live.market.advance()
    await live.market.pollNow()
    const status = live.market.status()
    expect(status.state).toBe('stale')
    expect(status.reason).toMatch(/^no update from binance for 32 s \(last error: .*fetch failed.*\)$/)

    const health = await live.get('/v1/health')
    expect(health.status).toBe('degraded')
    expect(health.components.market_data).toMatchObject({
      status: 'degraded',
      state: 'stale',
      source: 'ccxt',
      message: status.reason,
      last_update: new Date(lastGood).toISOString(),
      age_ms: STALE_MS + 1500,
    })
    expect(health.components.market_data.message).toContain('binance')

    const refused = await live.call('POST', '/v1/trades', order)
    expect(refused.status).toBe(400)
    expect((await refused.json()).error).toMatchObject({ code: 'MARKET_CLOSED', details: { symbol: 'BTCUSDT', state: 'stale' } })
    // Reads keep working on the last data.
    expect((await live.call('GET', '/v1/market-data/BTCUSDT')).status).toBe(200)

    // The exchange comes back.
    live.api.outage(undefined)
    live.clock.advance(5 * SECOND)
    live.market.advance()
    await live.market.pollNow()
    expect(live.market.status()).toEqual({ state: 'live', reason: null })
    expect(live.market.failures()).toEqual({ count: 0, lastError: null })
    expect((await live.get('/v1/health')).components.market_data).toMatchObject({ status: 'healthy', state: 'live' })
    const accepted = await live.call('POST', '/v1/trades', order)
    expect(accepted.status).toBe(201)
    expect(await accepted.json()).toMatchObject({ status: 'filled', average_price: ask[0]![0] })
  })

  it('after an outage longer than the poll window, the missed minutes are the exchange’s candles, not flat ones', async () => {
    const live = await startLive()
    await live.market.pollNow()
    live.api.outage(networkDown)
    live.clock.advance(10 * MINUTE)
    await live.market.pollNow()
    expect(live.market.status().state).toBe('stale')
    live.api.outage(undefined)
    await live.market.pollNow()
    expect(live.market.status().state).toBe('live')

    const now = live.clock.now()
    const forming = Math.floor(now / MINUTE) * MINUTE
    const candles = await allMinutes(live, START_MINUTE - 2 * MINUTE)
    const expected: ApiCandle[] = []
    for (let t = START_MINUTE - 2 * MINUTE; t <= forming; t += MINUTE) expected.push(exchangeCandle(t, t !== forming))
    expect(candles).toEqual(expected)
  })
})

describe('MARKET_SOURCE=ccxt: an unknown symbol', () => {
  it('refuses the start with a message naming the symbol and the exchange, before any market data is fetched', async () => {
    const clock = new ManualClock(START)
    const exchange = new ccxt.binance()
    const api = installFakeBinance(exchange, { now: () => clock.now() })
    const start = createCcxtFeed({ symbols: ['NOPEUSDT'], exchangeInstance: exchange, now: () => clock.now(), retry: { sleep: async () => undefined } }).then(
      (feed) => createFeedMarket(feed, { clock, historyDays: HISTORY_DAYS, staleMs: STALE_MS }),
    )
    await expect(start).rejects.toThrow(
      "unknown symbol NOPEUSDT on binance: no spot market has this id or base+quote (4 spot markets loaded; symbols are written like BTCUSDT for binance's BTC/USDT)",
    )
    expect(api.requests.map((r) => r.path)).toEqual(['/api/v3/exchangeInfo'])
  })
})
