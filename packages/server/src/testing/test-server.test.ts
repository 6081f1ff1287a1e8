import { SMCClient } from 'smc-trading-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractFetch } from './contract'
import { startTestServer, type TestServer } from './test-server'

let server: TestServer
let client: SMCClient
beforeAll(async () => {
  server = await startTestServer()
  const { token } = await new SMCClient(undefined, { baseUrl: server.baseUrl }).generateToken(
    { user_id: 'demo', permissions: ['read_market_data', 'read_trades', 'write_trades'] },
    { apiKey: server.apiKey },
  )
  client = new SMCClient(token, { baseUrl: server.baseUrl, fetch: contractFetch((r) => globalThis.fetch(r)), retry: false })
})
afterAll(() => server.close())

describe('startTestServer', () => {
  it('serves the API on a free port with the demo keys, on a clock that moves only when told', async () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
    const t0 = server.now()
    const a = await client.getMarketData('BTCUSDT')
    expect(Date.parse(a.timestamp)).toBe(t0)
    await server.advance(5 * 60_000)
    expect(server.now()).toBe(t0 + 5 * 60_000)
    const b = await client.getMarketData('BTCUSDT')
    expect(Date.parse(b.timestamp)).toBe(t0 + 5 * 60_000)
    await expect(server.setClock(t0)).rejects.toThrow(/never goes back/)
    const admin = await server.token(['admin_full'], 'ops')
    expect(admin.split('.')).toHaveLength(3)
  })

  it('plays a planted price path so a stop loss triggers on purpose, at the planted low', async () => {
    const price = server.market.price('ETHUSDT')
    const entry = await client.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.5, stop_loss: Math.round(price * 0.97), take_profit: Math.round(price * 1.1) })
    expect(entry.status).toBe('filled')
    const path = server.market.plant('ETHUSDT', [
      { open: price, high: price * 1.001, low: price * 0.995, close: price * 0.996 },
      { open: price * 0.996, high: price * 0.997, low: price * 0.95, close: price * 0.96 },
      { open: price * 0.96, high: price * 0.965, low: price * 0.955, close: price * 0.958 },
    ])
    expect(path.from % 60_000).toBe(0)
    expect(path.to - path.from).toBe(3 * 60_000)
    // Before the path reaches the stop, nothing happens.
    await server.setClock(path.from + 60_000)
    expect((await client.getPositions({ symbol: 'ETHUSDT', status: 'open' })).positions).toHaveLength(1)
    await server.setClock(path.to)
    expect(server.market.price('ETHUSDT')).toBeCloseTo(price * 0.958, 0)
    const stops = (await client.listOrders({ symbol: 'ETHUSDT', status: 'filled' })).orders.filter((o) => o.link_type === 'stop_loss')
    expect(stops).toHaveLength(1)
    expect(stops[0]!.average_price!).toBeLessThanOrEqual(price * 0.97)
    expect(stops[0]!.average_price!).toBeGreaterThan(price * 0.95)
    expect((await client.getPositions({ symbol: 'ETHUSDT', status: 'open' })).positions).toHaveLength(0)
    // The candles endpoint shows the planted candles, and the price stays flat after the path.
    const ohlcv = await client.getOhlcv('ETHUSDT', { interval: '1m', limit: 5 })
    const lows = ohlcv.data.map((c) => c.low)
    expect(Math.min(...lows)).toBeCloseTo(price * 0.95, 0)
    await server.market.step(2)
    expect(server.market.price('ETHUSDT')).toBeCloseTo(price * 0.958, 0)
    expect(server.market.price('BTCUSDT')).not.toBe(undefined)
  })

  it('refuses a path that is not a price path', () => {
    expect(() => server.market.plant('ETHUSDT', [])).toThrow(/at least one/)
    expect(() => server.market.plant('ETHUSDT', [{ open: 10, high: 9, low: 8, close: 10 }])).toThrow(/high\/low/)
    expect(() => server.market.plant('NOPE', [{ open: 10, high: 11, low: 9, close: 10 }])).toThrow()
  })
})
