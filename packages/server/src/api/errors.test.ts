import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, TEST_DEMO_KEY, type TestContext } from '../testing'

let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext()
  token = await ctx.token(['read_market_data'])
})
afterEach(() => ctx.close())

const envelope = async (res: Response) => (await res.json()).error as { code: string; message: string; details: Record<string, unknown>; request_id: string }

describe('every error is the envelope with a stable code', () => {
  it('malformed JSON → 400 VALIDATION_FAILED', async () => {
    const res = await ctx.request('/v1/auth/generate-token', {
      method: 'POST',
      headers: { 'X-API-Key': TEST_DEMO_KEY, 'Content-Type': 'application/json' },
      body: '{"user_id": "demo",',
    })
    expect(res.status).toBe(400)
    expect((await envelope(res)).code).toBe('VALIDATION_FAILED')
  })

  it('wrong types → 400 naming the field', async () => {
    const res = await ctx.call('POST', '/v1/auth/generate-token', {
      headers: { 'X-API-Key': TEST_DEMO_KEY },
      body: { user_id: 'demo', permissions: ['read_trades'], expires_in: 'soon' },
    })
    const e = await envelope(res)
    expect(res.status).toBe(400)
    expect(e.code).toBe('VALIDATION_FAILED')
    expect(e.details.field).toBe('expires_in')
    expect(e.message).toContain('expires_in')
  })

  it('unknown body fields are rejected rather than ignored', async () => {
    const res = await ctx.call('POST', '/v1/auth/generate-token', {
      headers: { 'X-API-Key': TEST_DEMO_KEY },
      body: { user_id: 'demo', permissions: ['read_trades'], admin: true },
    })
    expect(res.status).toBe(400)
    // Named by the key itself, not by the object holding it.
    const e = await envelope(res)
    expect(e.details.field).toBe('admin')
    expect(e.message).toBe('Invalid json field "admin": Unrecognized key: "admin"')
  })

  it('out-of-range query values → 400 naming the parameter', async () => {
    for (const [path, field] of [
      ['/v1/market-data/BTCUSDT/ohlcv?limit=1001', 'limit'],
      ['/v1/market-data/BTCUSDT/ohlcv?limit=0', 'limit'],
      ['/v1/market-data/BTCUSDT/ohlcv?interval=2m', 'interval'],
      ['/v1/market-data/BTCUSDT/ohlcv?start_time=yesterday', 'start_time'],
      ['/v1/market-data/BTCUSDT/orderbook?limit=101', 'limit'],
    ] as const) {
      const res = await ctx.call('GET', path, { token })
      expect(res.status, path).toBe(400)
      const e = await envelope(res)
      expect(e.code).toBe('VALIDATION_FAILED')
      expect(e.details.field, path).toBe(field)
    }
  })

  it('unknown symbol → 400 INVALID_SYMBOL', async () => {
    for (const path of ['/v1/market-data/DOGEUSDT', '/v1/market-data/DOGEUSDT/ohlcv', '/v1/market-data/DOGEUSDT/orderbook']) {
      const res = await ctx.call('GET', path, { token })
      expect(res.status).toBe(400)
      expect((await envelope(res)).code).toBe('INVALID_SYMBOL')
    }
  })

  it('unknown route → 404 NOT_FOUND', async () => {
    const res = await ctx.call('GET', '/v1/nothing-here', { token })
    expect(res.status).toBe(404)
    expect((await envelope(res)).code).toBe('NOT_FOUND')
  })

  it('the request id is echoed in the header and the envelope', async () => {
    const res = await ctx.call('GET', '/v1/market-data/NOPE', { token, headers: { 'X-Request-Id': 'bot-42' } })
    expect(res.headers.get('x-request-id')).toBe('bot-42')
    expect((await envelope(res)).request_id).toBe('bot-42')
  })

  it('an unexpected failure → 500 INTERNAL_ERROR without internals', async () => {
    ctx.services.db.$client.close()
    const res = await ctx.call('POST', '/v1/auth/generate-token', {
      headers: { 'X-API-Key': TEST_DEMO_KEY },
      body: { user_id: 'demo', permissions: ['read_trades'] },
    })
    expect(res.status).toBe(500)
    const e = await envelope(res)
    expect(e.code).toBe('INTERNAL_ERROR')
    expect(JSON.stringify(e)).not.toMatch(/sqlite|database|at .*\.ts/i)
    // Reopened so close() in afterEach does not throw.
    ;(ctx.services.db as { $client: { close(): void } }).$client = { close() {} }
  })
})
