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

describe('instruments', () => {
  it('lists the trading rules of every tradable symbol, which the order validation applies', async () => {
    const { instruments } = await get('/v1/instruments')
    expect(instruments.map((i: { symbol: string }) => i.symbol)).toEqual(ctx.services.market.symbols())
    for (const i of instruments) {
      const m = ctx.services.market.requireInstrument(i.symbol)
      expect(i).toEqual({
        symbol: m.symbol,
        base_asset: m.baseAsset,
        quote_asset: m.quoteAsset,
        tick_size: m.tickSize,
        lot_size: m.lotSize,
        min_quantity: m.minQuantity,
        min_notional: m.minNotional,
        price_precision: m.pricePrecision,
        quantity_precision: m.quantityPrecision,
      })
      expect(await get(`/v1/instruments/${i.symbol.toLowerCase()}`)).toEqual(i)
    }
    // An order off the lot grid is truncated to the lot size the instrument advertises, or, with
    // strict precision, refused naming it.
    const btc = instruments.find((i: { symbol: string }) => i.symbol === 'BTCUSDT')
    const trader = await ctx.token(['write_trades'])
    const body = { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 50_000, quantity: btc.lot_size * 1001.5 }
    const normalised = await ctx.call('POST', '/v1/trades', { token: trader, body })
    expect(normalised.status).toBe(201)
    expect((await normalised.json()).quantity).toBe(+(btc.lot_size * 1001).toFixed(btc.quantity_precision))
    const res = await ctx.call('POST', '/v1/trades', { token: trader, body: { ...body, precision: 'strict' } })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 'INVALID_ORDER_SIZE', details: { lot_size: btc.lot_size } })
  })

  it('an unknown or disabled symbol is INVALID_SYMBOL, and a disabled one leaves the list', async () => {
    const res = await ctx.call('GET', '/v1/instruments/NOPEUSDT', { token })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('INVALID_SYMBOL')
    const enabled = ctx.services.market.symbols().filter((x) => x !== 'ADAUSDT')
    const put = await ctx.call('PUT', '/v1/config', { token: ctx.adminToken, body: { 'exchanges.simulated.symbols': enabled } })
    expect(put.status).toBe(200)
    expect((await get('/v1/instruments')).instruments.map((i: { symbol: string }) => i.symbol)).toEqual(enabled)
    expect((await ctx.call('GET', '/v1/instruments/ADAUSDT', { token })).status).toBe(400)
    await ctx.call('PUT', '/v1/config', { token: ctx.adminToken, body: { 'exchanges.simulated.symbols': ctx.services.market.symbols() } })
  })
})
