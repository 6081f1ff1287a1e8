import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext
let token: string
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  token = await ctx.token(['read_market_data'])
})
afterAll(() => ctx.close())

const get = async (path: string) => {
  const res = await ctx.call('GET', path, { token })
  expect(res.status, path).toBe(200)
  return res.json()
}

describe('market data', () => {
  it('ticker bid/ask equal the order book top', async () => {
    for (const symbol of ctx.services.market.symbols()) {
      const t = await get(`/v1/market-data/${symbol}`)
      const book = await get(`/v1/market-data/${symbol}/orderbook`)
      expect(Number(book.bids[0][0])).toBe(t.bid)
      expect(Number(book.asks[0][0])).toBe(t.ask)
      expect(t.bid).toBeLessThan(t.ask)
      expect(t.low_24h).toBeLessThanOrEqual(t.price)
      expect(t.high_24h).toBeGreaterThanOrEqual(t.price)
    }
  })

  it('order book: default depth 20, max 100, sorted sides', async () => {
    const book = await get('/v1/market-data/ETHUSDT/orderbook')
    expect(book.bids).toHaveLength(20)
    expect(book.asks).toHaveLength(20)
    const deep = await get('/v1/market-data/ETHUSDT/orderbook?limit=100')
    expect(deep.bids).toHaveLength(100)
    const bids = deep.bids.map((l: string[]) => Number(l[0]))
    const asks = deep.asks.map((l: string[]) => Number(l[0]))
    expect([...bids].sort((a, b) => b - a)).toEqual(bids)
    expect([...asks].sort((a, b) => a - b)).toEqual(asks)
  })

  it('ohlcv: intervals aggregate, limit and time range apply, ascending', async () => {
    const hourly = await get('/v1/market-data/BTCUSDT/ohlcv?interval=1h&limit=24')
    expect(hourly.interval).toBe('1h')
    expect(hourly.data).toHaveLength(24)
    const times = hourly.data.map((k: { timestamp: number }) => k.timestamp)
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(3600)
    expect(times[0] % 3600).toBe(0)

    const start = times[5]
    const minutes = await get(`/v1/market-data/BTCUSDT/ohlcv?interval=1m&start_time=${start}&end_time=${start + 3599}&limit=1000`)
    expect(minutes.data).toHaveLength(60)
    const h = hourly.data[5]
    expect(minutes.data[0].open).toBe(h.open)
    expect(minutes.data[59].close).toBe(h.close)
    expect(Math.max(...minutes.data.map((k: { high: number }) => k.high))).toBe(h.high)
    expect(Math.min(...minutes.data.map((k: { low: number }) => k.low))).toBe(h.low)

    const dflt = await get('/v1/market-data/BTCUSDT/ohlcv')
    expect(dflt.interval).toBe('1h')
    expect(dflt.data.length).toBeLessThanOrEqual(500)
  })

  it('symbols are matched case-insensitively', async () => {
    const t = await get('/v1/market-data/btcusdt')
    expect(t.symbol).toBe('BTCUSDT')
  })

  it('prices move when the clock and the market advance', async () => {
    const before = await get('/v1/market-data/SOLUSDT')
    ctx.clock.advance(5 * 60_000)
    ctx.services.market.advance()
    const after = await get('/v1/market-data/SOLUSDT')
    expect(Date.parse(after.timestamp)).toBeGreaterThan(Date.parse(before.timestamp))
  })
})
