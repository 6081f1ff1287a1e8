import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../testing'

// STALE_PRICE: the feed stops (the clock moves, the market does not), so the last price ages past
// MARKET_STALE_MS. Orders that add exposure are denied with the age; orders that reduce still execute.
let ctx: TestContext
let token: string

beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_STALE_MS: '60000' })
  const scopes = ['read_trades', 'write_trades', 'read_risk_metrics'] as const
  token = (await ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'stale', [...scopes], 86_400)).token
})
afterEach(() => ctx.close())

const order = (side: 'buy' | 'sell', quantity: number) => ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side, type: 'market', quantity } })

describe('STALE_PRICE', () => {
  it('denies added exposure on a price older than MARKET_STALE_MS, with its age; reducing orders execute; a fresh tick lifts it', async () => {
    expect((await order('buy', 0.02)).status).toBe(201)
    const lastPriceAt = ctx.services.market.lastUpdate()

    // Exactly at the limit the price is still usable.
    ctx.clock.advance(60_000)
    expect((await order('buy', 0.01)).status).toBe(201)

    ctx.clock.advance(1_500)
    const denied = await order('buy', 0.01)
    expect(denied.status).toBe(400)
    const body = (await denied.json()).error
    expect(body).toMatchObject({
      code: 'STALE_PRICE',
      details: { symbol: 'BTCUSDT', age_ms: 61_500, max_age_ms: 60_000, last_price_at: new Date(lastPriceAt).toISOString() },
    })
    // The denial is recorded like any other risk denial.
    const events = (await (await ctx.call('GET', '/v1/risk/events', { token })).json()).events as { type: string; details: { code?: string } }[]
    expect(events.some((e) => e.type === 'order_denied' && e.details.code === 'STALE_PRICE')).toBe(true)

    // Reducing the position is never blocked by an old price.
    const reduce = await order('sell', 0.01)
    expect(reduce.status).toBe(201)
    expect((await reduce.json()).status).toBe('filled')

    // The feed resumes: the same order goes through.
    ctx.services.market.advance()
    expect((await order('buy', 0.01)).status).toBe(201)
  })

  it('MARKET_STALE_MS must exceed MARKET_TICK_MS', async () => {
    await expect(createTestContext({ MARKET_STALE_MS: '1000', MARKET_TICK_MS: '1000' })).rejects.toThrow(/MARKET_STALE_MS: must be greater than MARKET_TICK_MS/)
  })
})
