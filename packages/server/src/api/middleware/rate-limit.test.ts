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
      expect(res.headers.get('x-ratelimit-burst-remaining')).toBe(String(19 - i))
      expect(res.headers.get('x-ratelimit-tier')).toBe('market_data')
    }
    const refused = await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('1')
    const { error } = await refused.json()
    expect(error.code).toBe('RATE_LIMIT_EXCEEDED')
    expect(error.details).toEqual({ tier: 'market_data', limit: 20, window: 1, retry_after: 1 })

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

  it('limits unauthenticated callers per address, health at 100 per 10 s, and follows runtime config changes', async () => {
    ctx = await createTestContext()
    const statuses: number[] = []
    for (let i = 0; i < 101; i++) statuses.push((await ctx.call('GET', '/v1/health')).status)
    expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true)
    expect(statuses[100]).toBe(429)
    const refused = await ctx.call('GET', '/v1/health')
    expect(refused.headers.get('x-ratelimit-tier')).toBe('health')
    expect(refused.headers.get('x-ratelimit-burst-remaining')).toBeNull()
    expect((await refused.json()).error.details).toMatchObject({ tier: 'health', limit: 100, window: 10 })
    // The address's other tiers keep their own buckets; ten seconds later health answers again.
    expect((await ctx.call('GET', '/v1/openapi.json')).status).toBe(429)
    expect((await ctx.call('GET', '/v1/metrics')).status).toBe(200)
    ctx.clock.advance(10_000)
    expect((await ctx.call('GET', '/v1/health')).status).toBe(200)

    const admin = await ctx.call('PUT', '/v1/config', { token: ctx.adminToken, body: { 'rate_limits.burst_per_second': 2 } })
    expect(admin.status).toBe(200)
    const token = await ctx.token(['read_market_data'])
    const codes = []
    for (let i = 0; i < 3; i++) codes.push((await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })).status)
    expect(codes).toEqual([200, 200, 429])
  })

  it('tiers: the 11th admin call in a minute is refused while trading calls of the same token still pass', async () => {
    ctx = await createTestContext()
    const token = await ctx.token(['admin_full', 'read_trades', 'write_trades', 'read_market_data'])
    for (let i = 0; i < 10; i++) {
      const res = await ctx.call('GET', '/v1/config', { token })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-ratelimit-tier')).toBe('admin')
      expect(res.headers.get('x-ratelimit-limit')).toBe('10')
    }
    const refused = await ctx.call('GET', '/v1/logs', { token })
    expect(refused.status).toBe(429)
    const { error } = await refused.json()
    expect(error.details).toMatchObject({ tier: 'admin', limit: 10, window: 60 })
    expect(error.message).toContain('admin tier')
    const order = await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.001 } })
    expect(order.status).toBe(201)
    expect(order.headers.get('x-ratelimit-tier')).toBe('trading')
    expect((await ctx.call('GET', '/v1/market-data', { token })).headers.get('x-ratelimit-tier')).toBe('market_data')
    expect((await ctx.call('GET', '/v1/metrics', { token })).headers.get('x-ratelimit-tier')).toBe('metrics')
    // A path no operation has counts against the general (trading) tier.
    expect((await ctx.call('GET', '/v1/nowhere', { token })).headers.get('x-ratelimit-tier')).toBe('trading')

    // Tiers change at runtime through PUT /v1/config (another admin's budget).
    const changed = await ctx.call('PUT', '/v1/config', { token: ctx.adminToken, body: { 'rate_limits.admin.limit': 12 } })
    expect(changed.status).toBe(200)
    expect((await changed.json()).rate_limits.tiers.admin).toEqual({ limit: 12, window_seconds: 60, burst_per_second: null })
    expect((await ctx.call('GET', '/v1/config', { token })).status).toBe(200)
    expect((await ctx.call('GET', '/v1/config', { token })).status).toBe(200)
    expect((await ctx.call('GET', '/v1/config', { token })).status).toBe(429)
    ctx.clock.advance(60_000)
    expect((await ctx.call('GET', '/v1/config', { token })).status).toBe(200)
  })

  it('tiers: metrics 30 a minute, ML 20 a minute', async () => {
    ctx = await createTestContext({ ML_ENABLED: 'false' })
    const token = await ctx.token(['read_market_data'])
    const metrics: number[] = []
    for (let i = 0; i < 31; i++) metrics.push((await ctx.call('GET', '/v1/metrics', { token })).status)
    expect(metrics.filter((s) => s === 429)).toHaveLength(1)
    expect(metrics[30]).toBe(429)
    const ml: string[] = []
    for (let i = 0; i < 21; i++) ml.push((await ctx.call('GET', '/v1/ml/model/info', { token })).headers.get('x-ratelimit-tier') ?? '')
    expect(new Set(ml)).toEqual(new Set(['ml']))
    const last = await ctx.call('GET', '/v1/ml/model/info', { token })
    expect(last.status).toBe(429)
    expect((await last.json()).error.details).toMatchObject({ tier: 'ml', limit: 20 })
  })
})
