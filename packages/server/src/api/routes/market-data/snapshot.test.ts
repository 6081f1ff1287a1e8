import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../../../http-server'
import { contractFetch, createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext
let server: RunningServer
let client: SMCClient
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  server = await ctx.listen()
  client = new SMCClient(ctx.adminToken, { baseUrl: server.url, fetch: contractFetch((req) => fetch(req)), retry: false })
})
afterEach(() => ctx.close())

describe('market snapshot and prices', () => {
  it('every snapshot figure equals the per-symbol ticker at the same instant; the summary adds them up', async () => {
    ctx.clock.advance(90_000)
    ctx.services.market.advance()
    const { symbols, summary } = await client.getMarketSnapshot()
    expect(Object.keys(symbols)).toEqual(ctx.services.market.symbols())
    let changes = 0
    let quote = 0
    for (const [symbol, snap] of Object.entries(symbols)) {
      const t = await client.getMarketData(symbol)
      expect(snap).toMatchObject({ price: t.price, bid: t.bid, ask: t.ask, high_24h: t.high_24h, low_24h: t.low_24h, volume_24h: t.volume_24h, price_change_pct_24h: t.change_24h })
      expect(snap.spread).toBeCloseTo(t.ask - t.bid, 8)
      expect(snap.spread_bps).toBeCloseTo(((t.ask - t.bid) / ((t.ask + t.bid) / 2)) * 10_000, 2)
      expect(snap.quote_volume_24h).toBeGreaterThan(snap.volume_24h * snap.low_24h * 0.99)
      expect(snap.quote_volume_24h).toBeLessThan(snap.volume_24h * snap.high_24h * 1.01)
      expect((await client.getPrice(symbol)).price).toBe(t.price)
      changes += snap.price_change_pct_24h
      quote += snap.quote_volume_24h
    }
    expect(summary.total_symbols).toBe(6)
    expect(summary.average_change_24h).toBeCloseTo(changes / 6, 4)
    expect(summary.total_quote_volume_24h).toBeCloseTo(quote, 2)
    expect(summary.last_updated).toBe(new Date(ctx.clock.now()).toISOString())
    const { prices } = await client.getPrices()
    expect(prices.map((p) => [p.symbol, p.price])).toEqual(Object.entries(symbols).map(([k, v]) => [k, v.price]))
  })

  it('a symbol disabled through PUT /v1/config leaves the snapshot and the price list; its price is INVALID_SYMBOL', async () => {
    const enabled = ctx.services.market.symbols().filter((s) => s !== 'ADAUSDT')
    await client.updateConfig({ 'exchanges.simulated.symbols': enabled })
    const { symbols, summary } = await client.getMarketSnapshot()
    expect(Object.keys(symbols)).toEqual(enabled)
    expect(summary.total_symbols).toBe(5)
    expect((await client.getPrices()).prices.map((p) => p.symbol)).toEqual(enabled)
    await expect(client.getPrice('ADAUSDT')).rejects.toMatchObject({ status: 400, code: 'INVALID_SYMBOL' })
  })
})
