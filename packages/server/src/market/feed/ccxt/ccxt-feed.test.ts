import { readdirSync, readFileSync } from 'node:fs'
import ccxt from 'ccxt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freezeInstruments } from '../../instruments'
import type { LiveFeed } from '../live-feed'
import { buildExchange, preferSpot } from './ccxt-feed'
import { createCcxtFeed, type CcxtFeedOptions } from './index'
import { candleOf, DEPTH_BTCUSDT, installFakeBinance, klineAt, MINUTE, type FakeBinanceOptions } from './fixtures/fake-binance'

/** Server clock of every test: 2025-01-15 12:00:30 UTC, so 12:00 is the forming minute. */
const NOW = Date.UTC(2025, 0, 15, 12, 0, 30)
const CURRENT_MINUTE = Date.UTC(2025, 0, 15, 12, 0)

const feeds: LiveFeed[] = []
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.close()))
})

/** A real ccxt binance whose REST calls all go to the fake; plus a recording no-wait sleep. */
async function start(
  symbols: string[],
  fake: Partial<FakeBinanceOptions> = {},
  options: Partial<CcxtFeedOptions> = {},
  beforeStart?: (api: ReturnType<typeof installFakeBinance>) => void,
) {
  const exchange = new ccxt.binance()
  const api = installFakeBinance(exchange, { now: NOW, ...fake })
  beforeStart?.(api)
  const sleeps: number[] = []
  const feed = await createCcxtFeed({
    symbols,
    exchangeInstance: exchange,
    now: () => NOW,
    retry: { sleep: async (ms) => void sleeps.push(ms) },
    ...options,
  })
  feeds.push(feed)
  return { feed, api, exchange, sleeps }
}

const expectedCandles = (since: number, until: number, base: number, gaps: ReadonlySet<number> = new Set()) => {
  const out = []
  for (let t = since; t < until; t += MINUTE) if (!gaps.has(t)) out.push(candleOf(klineAt(t, base)))
  return out
}

describe('createCcxtFeed on binance (recorded wire format through ccxt 4 parsing)', () => {
  it('maps canonical symbols to spot markets and builds instruments from the exchangeInfo filters', async () => {
    const { feed, api, exchange } = await start(['BTCUSDT', 'ethusdt', 'SHIBUSDT'])
    expect(feed.name).toBe('binance')
    expect(feed.instruments.map((i) => i.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SHIBUSDT'])
    expect(exchange.markets!['BTC/USDT']!.id).toBe('BTCUSDT')

    const [btc, eth, shib] = feed.instruments
    expect(btc).toMatchObject({
      symbol: 'BTCUSDT',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      tickSize: 0.01,
      lotSize: 0.00001,
      minQuantity: 0.00001,
      minNotional: 5,
      pricePrecision: 2,
      quantityPrecision: 5,
      initialPrice: 97419.01,
      dailyQuoteVolume: 1737484938.7942371,
    })
    // Parkinson on the 24 h range 95,630.12 … 97,850: about 23 % a year.
    expect(btc!.annualVolatility).toBeCloseTo(Math.log(97850 / 95630.12) / Math.sqrt(4 * Math.LN2) * Math.sqrt(365), 3)
    expect(eth).toMatchObject({ tickSize: 0.01, lotSize: 0.0001, minQuantity: 0.0001, pricePrecision: 2, quantityPrecision: 4, initialPrice: 3328.06 })
    expect(shib).toMatchObject({ tickSize: 1e-8, lotSize: 1, minQuantity: 1, pricePrecision: 8, quantityPrecision: 0, initialPrice: 0.00002142 })
    // The server's own validation accepts them.
    expect(() => freezeInstruments(feed.instruments)).not.toThrow()

    // Spot only, public only: one exchangeInfo, one 24 h ticker per symbol, nothing else.
    expect(api.requests.map((r) => `${r.path}?${r.params}`)).toEqual([
      '/api/v3/exchangeInfo?',
      '/api/v3/ticker/24hr?symbol=BTCUSDT',
      '/api/v3/ticker/24hr?symbol=ETHUSDT',
      '/api/v3/ticker/24hr?symbol=SHIBUSDT',
    ])
    expect(exchange.enableRateLimit).toBe(true)
  })

  it('refuses an unknown symbol with a message naming it and the exchange', async () => {
    const err = await start(['BTCUSDT', 'DOGEXYZ']).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(/^unknown symbol DOGEXYZ on binance: no spot market/)
    await expect(start(['NOPE1', 'NOPE2'])).rejects.toThrow(/unknown symbols NOPE1, NOPE2 on binance/)
  })

  it('refuses a market the exchange does not trade now, an unknown exchange and an empty symbol list', async () => {
    await expect(start(['LUNAUSDT'])).rejects.toThrow('binance does not trade LUNAUSDT (LUNA/USDT) now (market inactive)')
    await expect(createCcxtFeed({ exchange: 'nosuchexchange', symbols: ['BTCUSDT'] })).rejects.toThrow(
      /unknown ccxt exchange "nosuchexchange"/,
    )
    await expect(start([])).rejects.toThrow('ccxt feed on binance: no symbols configured')
    await expect(start(['BTCUSDT', 'BTC/USDT'])).rejects.toThrow('symbol BTCUSDT is configured twice')
  })

  it('pages history across the 1,000-candle limit: 2,500 minutes in 3 requests, each candle once, ascending', async () => {
    const { feed, api } = await start(['BTCUSDT'])
    const since = CURRENT_MINUTE - 3000 * MINUTE
    const until = since + 2500 * MINUTE
    const candles = await feed.history('BTCUSDT', since, until)

    expect(candles).toHaveLength(2500)
    expect(candles).toEqual(expectedCandles(since, until, 97_000))
    const klines = api.requestsTo('/api/v3/klines')
    expect(klines.map((r) => Object.fromEntries(r.params))).toEqual([
      { interval: '1m', limit: '1000', symbol: 'BTCUSDT', startTime: String(since) },
      { interval: '1m', limit: '1000', symbol: 'BTCUSDT', startTime: String(since + 1000 * MINUTE) },
      { interval: '1m', limit: '1000', symbol: 'BTCUSDT', startTime: String(since + 2000 * MINUTE) },
    ])
  })

  it('goes through ccxt’s rate limiter for every request (binance spot: exchangeInfo costs 4, klines 0.4)', async () => {
    const costs: number[] = []
    const { feed, api, exchange } = await start(['BTCUSDT'])
    const throttle = vi.spyOn(exchange, 'throttle').mockImplementation(function (this: typeof exchange, cost?: number) {
      costs.push(cost!)
      return this.throttler.throttle(cost)
    })
    await feed.history('BTCUSDT', CURRENT_MINUTE - 3000 * MINUTE, CURRENT_MINUTE)
    expect(costs).toEqual([0.4, 0.4, 0.4])
    throttle.mockRestore()
    // At startup the leaky bucket (one token per rateLimit = 50 ms) held the 24 h ticker request
    // back until exchangeInfo's 4 tokens had drained: ~200 ms, not back to back.
    const [info, ticker] = api.requests
    expect(ticker!.at - info!.at).toBeGreaterThanOrEqual(3 * exchange.rateLimit!)
  })

  it('returns only closed candles in [since, until), stopping at the forming minute', async () => {
    const { feed, api } = await start(['BTCUSDT'])
    const since = CURRENT_MINUTE - 1500 * MINUTE
    const candles = await feed.history('BTCUSDT', since, CURRENT_MINUTE + 10 * MINUTE)
    expect(candles).toEqual(expectedCandles(since, CURRENT_MINUTE, 97_000))
    expect(api.requestsTo('/api/v3/klines')).toHaveLength(2)

    // A window inside one page, with an unaligned start: open times in [since, until) only.
    const inner = await feed.history('BTCUSDT', since + 30_000, since + 5 * MINUTE)
    expect(inner.map((c) => c.time)).toEqual([1, 2, 3, 4].map((k) => since + k * MINUTE))
    expect(await feed.history('BTCUSDT', since, since)).toEqual([])
  })

  it('leaves a gap in the exchange’s data as absent minutes', async () => {
    const since = CURRENT_MINUTE - 3000 * MINUTE
    const until = since + 2500 * MINUTE
    // A missing first minute, an outage of 7 minutes straddling the first page boundary, one lone
    // minute, and the last minute of the window.
    const gaps = new Set([since, ...[997, 998, 999, 1000, 1001, 1002, 1003].map((k) => since + k * MINUTE), since + 1700 * MINUTE, until - MINUTE])
    const { feed } = await start(['BTCUSDT'], { gaps })
    const candles = await feed.history('BTCUSDT', since, until)
    expect(candles).toHaveLength(2500 - gaps.size)
    expect(candles).toEqual(expectedCandles(since, until, 97_000, gaps))
    for (const t of gaps) expect(candles.find((c) => c.time === t)).toBeUndefined()
    // Strictly ascending, so nothing was repeated around the gap.
    for (let i = 1; i < candles.length; i++) expect(candles[i]!.time).toBeGreaterThan(candles[i - 1]!.time)
  })

  it('stops paging when the exchange has nothing more (before the listing, history starts at it)', async () => {
    const listedAt = CURRENT_MINUTE - 100 * MINUTE
    const { feed, api } = await start(['BTCUSDT'], { listedAt })
    const candles = await feed.history('BTCUSDT', CURRENT_MINUTE - 5000 * MINUTE, CURRENT_MINUTE - 50 * MINUTE)
    expect(candles).toEqual(expectedCandles(listedAt, CURRENT_MINUTE - 50 * MINUTE, 97_000))
    expect(api.requestsTo('/api/v3/klines')).toHaveLength(1)
  })

  it('retries a network error inside paging with exponential backoff and recovers', async () => {
    const { feed, api, sleeps } = await start(['BTCUSDT'])
    // The second page fails twice: once as ccxt reports a network failure, once as a raw fetch error.
    api.failAt('/api/v3/klines', 1, new ccxt.NetworkError('binance GET https://api.binance.com/api/v3/klines fetch failed'), new TypeError('fetch failed'))
    const since = CURRENT_MINUTE - 3000 * MINUTE
    const until = since + 2500 * MINUTE
    const candles = await feed.history('BTCUSDT', since, until)

    expect(candles).toEqual(expectedCandles(since, until, 97_000))
    expect(sleeps).toEqual([200, 400])
    expect(api.requestsTo('/api/v3/klines').map((r) => Number(r.params.get('startTime')))).toEqual([
      since,
      since + 1000 * MINUTE,
      since + 1000 * MINUTE,
      since + 1000 * MINUTE,
      since + 2000 * MINUTE,
    ])
  })

  it('rejects history once the retries are used up, and does not retry an exchange error', async () => {
    const { feed, api, sleeps } = await start(['BTCUSDT'])
    const down = () => new ccxt.RequestTimeout('binance GET https://api.binance.com/api/v3/klines request timed out (10000 ms)')
    api.failAt('/api/v3/klines', 0, down(), down(), down())
    const err = await feed.history('BTCUSDT', CURRENT_MINUTE - 10 * MINUTE, CURRENT_MINUTE).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/^binance fetchOHLCV BTC\/USDT 1m since .* failed after 3 attempts: .*timed out/)
    expect((err as Error).cause).toBeInstanceOf(ccxt.RequestTimeout)
    expect(sleeps).toEqual([200, 400])
    expect(api.requestsTo('/api/v3/klines')).toHaveLength(3)

    api.failAt('/api/v3/klines', 3, new ccxt.BadRequest('binance {"code":-1100,"msg":"Illegal characters found in parameter"}'))
    await expect(feed.history('BTCUSDT', CURRENT_MINUTE - 10 * MINUTE, CURRENT_MINUTE)).rejects.toBeInstanceOf(ccxt.BadRequest)
    expect(api.requestsTo('/api/v3/klines')).toHaveLength(4)
    // And afterwards the feed works again.
    expect(await feed.history('BTCUSDT', CURRENT_MINUTE - 10 * MINUTE, CURRENT_MINUTE)).toHaveLength(10)
  })

  it('retries a network error while loading markets at startup (reloading, not reusing the failed load)', async () => {
    const { feed, api, sleeps } = await start(['BTCUSDT'], {}, {}, (fake) =>
      fake.failAt('/api/v3/exchangeInfo', 0, new ccxt.ExchangeNotAvailable('binance 503 Service Unavailable')),
    )
    expect(feed.instruments.map((i) => i.symbol)).toEqual(['BTCUSDT'])
    expect(api.requestsTo('/api/v3/exchangeInfo')).toHaveLength(2)
    expect(sleeps).toEqual([200])
  })

  it('refuses to start when the exchange stays unreachable', async () => {
    const err = () => new ccxt.NetworkError('binance GET https://api.binance.com/api/v3/exchangeInfo fetch failed: getaddrinfo ENOTFOUND')
    await expect(
      start(['BTCUSDT'], {}, {}, (fake) => fake.failAt('/api/v3/exchangeInfo', 0, err(), err(), err())),
    ).rejects.toThrow(/^binance loadMarkets failed after 3 attempts: .*ENOTFOUND/)
  })

  it('polls the latest candles (the last one forming) and the order book', async () => {
    const { feed, api } = await start(['BTCUSDT', 'ETHUSDT'], {}, { depth: 5 })
    const { candles, book } = await feed.poll('BTCUSDT')
    expect(candles).toEqual([2, 1, 0].map((k) => candleOf(klineAt(CURRENT_MINUTE - k * MINUTE, 97_000))))
    expect(book).toEqual({
      symbol: 'BTCUSDT',
      timestamp: NOW, // binance spot depth carries no time: the feed's clock stamps it
      bids: DEPTH_BTCUSDT.bids.slice(0, 5).map(([p, q]) => [Number(p), Number(q)]),
      asks: DEPTH_BTCUSDT.asks.slice(0, 5).map(([p, q]) => [Number(p), Number(q)]),
    })
    expect(book.bids[0]![0]).toBe(97419)
    expect(book.asks[0]![0]).toBe(97419.01)
    expect(Object.fromEntries(api.requestsTo('/api/v3/klines')[0]!.params)).toEqual({ interval: '1m', limit: '3', symbol: 'BTCUSDT' })
    expect(Object.fromEntries(api.requestsTo('/api/v3/depth')[0]!.params)).toEqual({ limit: '5', symbol: 'BTCUSDT' })
  })

  it('poll rejects on a network error without retrying (the feed market retries)', async () => {
    const { feed, api, sleeps } = await start(['BTCUSDT'])
    api.failAt('/api/v3/depth', 0, new ccxt.NetworkError('binance GET https://api.binance.com/api/v3/depth fetch failed'))
    await expect(feed.poll('BTCUSDT')).rejects.toBeInstanceOf(ccxt.NetworkError)
    expect(sleeps).toEqual([])
    const { book } = await feed.poll('BTCUSDT')
    expect(book.bids.length).toBe(DEPTH_BTCUSDT.bids.length)
  })

  it('rejects symbols the feed does not serve and closes the exchange', async () => {
    const { feed, exchange } = await start(['BTCUSDT'])
    await expect(feed.poll('ETHUSDT')).rejects.toThrow('ETHUSDT is not served by this binance feed (serving BTCUSDT)')
    await expect(feed.history('XRPUSDT', 0, 1)).rejects.toThrow(/XRPUSDT is not served/)
    const close = vi.spyOn(exchange, 'close')
    await feed.close()
    expect(close).toHaveBeenCalledTimes(1)
  })
})

describe('exchange construction from CCXT_EXCHANGE / CCXT_OPTIONS', () => {
  it('passes the options to the constructor but drops credentials', () => {
    const exchange = buildExchange(ccxt, 'binance', { apiKey: 'k', secret: 's', timeout: 1234, options: { recvWindow: 7000 } })
    expect(exchange.id).toBe('binance')
    expect(exchange.timeout).toBe(1234)
    expect(exchange.options.recvWindow).toBe(7000)
    expect(exchange.apiKey || undefined).toBeUndefined()
    expect(exchange.secret || undefined).toBeUndefined()
    expect(() => buildExchange(ccxt, 'nosuchexchange', {})).toThrow(/unknown ccxt exchange "nosuchexchange"/)
  })

  it('loads spot markets only unless CCXT_OPTIONS says otherwise', () => {
    const spot = new ccxt.binance()
    preferSpot(spot, {})
    expect(spot.options.fetchMarkets).toMatchObject({ types: ['spot'] })
    expect(spot.options.defaultType).toBe('spot')
    const chosen = new ccxt.binance({ options: { fetchMarkets: { types: ['spot', 'linear'] } } })
    preferSpot(chosen, { fetchMarkets: { types: ['spot', 'linear'] } })
    expect(chosen.options.fetchMarkets).toMatchObject({ types: ['spot', 'linear'] })
  })
})

describe('ccxt stays lazy', () => {
  it('no module of the ccxt feed imports ccxt statically (only `import type`, and `await import` in createCcxtFeed)', () => {
    const dir = new URL('./', import.meta.url)
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    expect(sources).toContain('ccxt-feed.ts')
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8')
      for (const line of text.split('\n').filter((l) => /from 'ccxt'|import\('ccxt'\)/.test(l))) {
        expect(line, `${file}: ${line}`).toMatch(/^import type |await import\('ccxt'\)|typeof import\('ccxt'\)/)
      }
    }
  })
})
