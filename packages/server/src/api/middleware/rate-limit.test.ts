import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../testing'

let ctx: TestContext
afterEach(() => ctx.close())

describe('rate limits', () => {
  it('allows bursts of 20/s per token, then 429 with Retry-After and details', async () => {
    ctx = await createTestContext()
    const token = await ctx.token(['read_market_data'])
    for (let i = 0; i < 20; i++) {
      const res = await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-ratelimit-limit')).toBe('100')
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(99 - i))
    }
    const refused = await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('1')
    const { error } = await refused.json()
    expect(error.code).toBe('RATE_LIMIT_EXCEEDED')
    expect(error.details).toEqual({ limit: 20, window: 1, retry_after: 1 })

    // Another token has its own budget.
    const other = await ctx.token(['read_market_data'])
    expect((await ctx.call('GET', '/v1/market-data/BTCUSDT', { token: other })).status).toBe(200)

    ctx.clock.advance(1000)
    expect((await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })).status).toBe(200)
  })

  it('allows 100/min per token; the reset header names the window end', async () => {
    ctx = await createTestContext()
    const token = await ctx.token(['read_market_data'])
    const start = ctx.clock.now()
    for (let i = 0; i < 100; i++) {
      if (i % 20 === 0 && i > 0) ctx.clock.advance(1000)
      expect((await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })).status).toBe(200)
    }
    ctx.clock.advance(1000)
    const refused = await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })
    expect(refused.status).toBe(429)
    const { error } = await refused.json()
    expect(error.details.limit).toBe(100)
    expect(error.details.window).toBe(60)
    const reset = Number(refused.headers.get('x-ratelimit-reset'))
    expect(reset * 1000).toBe(start - (start % 60_000) + 60_000)
    expect(Number(refused.headers.get('retry-after'))).toBe(Math.ceil((reset * 1000 - ctx.clock.now()) / 1000))
  })

  it('limits unauthenticated callers per address and follows runtime config changes', async () => {
    ctx = await createTestContext()
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) statuses.push((await ctx.call('GET', '/v1/health')).status)
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true)
    expect(statuses[20]).toBe(429)

    const admin = await ctx.call('PUT', '/v1/config', { token: ctx.adminToken, body: { 'rate_limits.burst_per_second': 2 } })
    expect(admin.status).toBe(200)
    const token = await ctx.token(['read_market_data'])
    const codes = []
    for (let i = 0; i < 3; i++) codes.push((await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })).status)
    expect(codes).toEqual([200, 200, 429])
  })
})
