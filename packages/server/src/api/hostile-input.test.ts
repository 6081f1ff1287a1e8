import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, TEST_DEMO_KEY, type TestContext } from '../testing'
import { MAX_BODY_BYTES } from './app'

let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  token = await ctx.token(['read_trades', 'write_trades'], 'alice')
})
afterEach(() => ctx.close())

const order = { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.001 }
const error = async (res: Response) => (await res.json()).error as { code: string; message: string; details: Record<string, unknown>; request_id: string }

describe('hostile input is answered in the envelope, never with a 500', () => {
  for (const contentType of [undefined, 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', '%%garbage%%']) {
    it(`a JSON-body route with Content-Type ${contentType ?? '(none)'} → 415 UNSUPPORTED_MEDIA_TYPE`, async () => {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
      if (contentType) headers['Content-Type'] = contentType
      const res = await ctx.request('/v1/trades', { method: 'POST', headers, body: JSON.stringify(order) })
      expect(res.status).toBe(415)
      expect(res.headers.get('x-request-id')).toBeTruthy()
      const e = await error(res)
      expect(e.code).toBe('UNSUPPORTED_MEDIA_TYPE')
      expect(e.details.expected).toBe('application/json')
    })
  }

  it('a body over the limit → 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await ctx.call('POST', '/v1/auth/generate-token', {
      headers: { 'X-API-Key': TEST_DEMO_KEY },
      body: JSON.stringify({ user_id: 'demo', permissions: ['read_trades'], pad: 'x'.repeat(MAX_BODY_BYTES) }),
    })
    expect(res.status).toBe(413)
    const e = await error(res)
    expect(e.code).toBe('PAYLOAD_TOO_LARGE')
    expect(e.details.limit_bytes).toBe(MAX_BODY_BYTES)
  })

  it('a validation error on a huge field echoes at most a few hundred characters', async () => {
    const res = await ctx.call('POST', '/v1/trades', { token, body: { ...order, ['k'.repeat(50_000)]: 1 } })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text.length).toBeLessThan(4096)
    expect(JSON.parse(text).error.code).toBe('VALIDATION_FAILED')
  })
})

describe('query numbers are plain decimal digits', () => {
  for (const value of ['', ' ', '1e3', '0x10', '1.5', 'Infinity']) {
    for (const [path, param] of [
      ['/v1/positions', 'limit'],
      ['/v1/trades/history', 'page'],
      ['/v1/market-data/BTCUSDT/ohlcv', 'start_time'],
      ['/v1/market-data/BTCUSDT/orderbook', 'limit'],
    ] as const) {
      it(`${path}?${param}=${JSON.stringify(value)} → 400 VALIDATION_FAILED naming ${param}`, async () => {
        const t = await ctx.token(['read_trades', 'read_market_data'], 'alice')
        const res = await ctx.call('GET', `${path}?${param}=${encodeURIComponent(value)}`, { token: t })
        expect(res.status).toBe(400)
        const e = await error(res)
        expect(e.code).toBe('VALIDATION_FAILED')
        expect(e.details.field).toBe(param)
      })
    }
  }

  it('plain digits still work, defaults still apply', async () => {
    const t = await ctx.token(['read_market_data'], 'alice')
    const res = await ctx.call('GET', '/v1/market-data/BTCUSDT/orderbook?limit=3', { token: t })
    expect(res.status).toBe(200)
    expect((await res.json()).bids).toHaveLength(3)
    const byDefault = await ctx.call('GET', '/v1/market-data/BTCUSDT/orderbook', { token: t })
    expect((await byDefault.json()).bids).toHaveLength(20)
  })
})

describe('query dates are ISO 8601 as people write them', () => {
  for (const value of ['2026-11-06T22:56:19.858731', '2026-11-06', '2026-11-06T22:56:19+02:00', '2026-11-06T22:56:19Z']) {
    it(`/v1/trades/history?start_date=${value} → 200`, async () => {
      const res = await ctx.call('GET', `/v1/trades/history?start_date=${encodeURIComponent(value)}`, { token })
      expect(res.status).toBe(200)
    })
  }
  it('a date that does not exist → 400 VALIDATION_FAILED naming the field', async () => {
    const res = await ctx.call('GET', '/v1/trades/history?end_date=2026-02-30', { token })
    expect(res.status).toBe(400)
    const e = await error(res)
    expect(e.details.field).toBe('end_date')
  })
})

describe('client_order_id idempotency', () => {
  const submit = (body: Record<string, unknown>) => ctx.call('POST', '/v1/trades', { token, body })

  it('an identical repeat answers 200 with the original; a different order with the same id is 409 naming the fields', async () => {
    const first = await submit({ ...order, client_order_id: 'idem-1' })
    expect(first.status).toBe(201)
    const original = await first.json()
    const again = await submit({ ...order, client_order_id: 'idem-1' })
    expect(again.status).toBe(200)
    expect((await again.json()).order_id).toBe(original.order_id)

    const other = await submit({ ...order, side: 'sell', quantity: 0.002, client_order_id: 'idem-1' })
    expect(other.status).toBe(409)
    const e = await error(other)
    expect(e.code).toBe('IDEMPOTENCY_CONFLICT')
    expect(e.details).toMatchObject({ client_order_id: 'idem-1', order_id: original.order_id, fields: ['side', 'quantity'] })
    const orders = await (await ctx.call('GET', '/v1/orders', { token })).json()
    expect(orders.total_count).toBe(1)
  })

  it('a default stop loss the server added is not a difference for an identical retry', async () => {
    const res = await ctx.call('PUT', '/v1/risk/limits', { token: await ctx.token(['write_trades', 'read_risk_metrics', 'admin_full'], 'alice'), body: { stop_loss_percent: 2 } })
    expect(res.status).toBe(200)
    expect((await submit({ ...order, client_order_id: 'idem-2' })).status).toBe(201)
    expect((await submit({ ...order, client_order_id: 'idem-2' })).status).toBe(200)
  })
})
