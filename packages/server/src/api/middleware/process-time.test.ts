import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../testing'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', CORS_ORIGINS: 'https://app.example' })
})
afterEach(() => ctx.close())

const timed = (res: Response) => {
  expect(res.headers.get('api-version')).toBe('v1')
  expect(res.headers.get('x-process-time')).toMatch(/^\d+\.\d{6}$/)
}

describe('X-Process-Time and API-Version on every response', () => {
  it('on a 200, a 401, a 404 and a 400', async () => {
    timed(await ctx.request('/v1/health'))
    timed(await ctx.request('/v1/positions'))
    timed(await ctx.request('/v1/nope'))
    timed(await ctx.call('GET', '/v1/market-data/BTCUSDT/ohlcv?limit=x', { token: ctx.adminToken }))
  })

  it('a request asking for another API-Version → 400 UNSUPPORTED_API_VERSION; v1 is fine', async () => {
    const res = await ctx.request('/v1/health', { headers: { 'API-Version': 'v2' } })
    expect(res.status).toBe(400)
    timed(res)
    expect((await res.json()).error).toMatchObject({ code: 'UNSUPPORTED_API_VERSION', details: { supported: ['v1'] } })
    expect((await ctx.request('/v1/health', { headers: { 'API-Version': 'v1' } })).status).toBe(200)
  })
})

describe('CORS', () => {
  it('answers a preflight without credentials and exposes the rate-limit, request-id and timing headers', async () => {
    const res = await ctx.app.request('/v1/trades', {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
    const get = await ctx.request('/v1/health', { headers: { Origin: 'https://app.example' } })
    expect(get.headers.get('access-control-expose-headers')).toContain('X-Process-Time')
    expect(get.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining')
  })
})
