import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'

// GTD orders and the order list's filters (issue 17), through the whole app on an in-memory db;
// the clock and the market move only when a test moves them.
let ctx: TestContext
let token: string

beforeEach(async () => {
  // Some tests move the clock alone (no market tick) and still trade: prices never go stale (STALE_PRICE
  // has its own suite, risk/stale-price.test.ts).
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', PAPER_INITIAL_BALANCE: '100000', MARKET_STALE_MS: '3600000' })
  token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'gtd-trader')
})
afterEach(() => ctx.close())

const iso = (ms: number): string => new Date(ms).toISOString()

async function post(body: Record<string, unknown>): Promise<Response> {
  return ctx.call('POST', '/v1/trades', { token, body })
}

/** A buy limit far below the market: it rests. */
async function restingBuy(extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const bid = ctx.services.market.ticker('BTCUSDT').bid
  const res = await post({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(bid * 0.9), quantity: 0.01, ...extra })
  expect(res.status).toBe(201)
  return res.json()
}

async function order(id: string): Promise<Record<string, any>> {
  return (await ctx.call('GET', `/v1/orders/${id}`, { token })).json()
}

/** Move the clock to `at` and let the market tick there. */
function tickAt(at: number): void {
  ctx.clock.set(at)
  ctx.services.market.advance()
}

describe('GTD orders', () => {
  it('expire on the tick at exactly expires_at, not one millisecond before', async () => {
    const expiresAt = ctx.clock.now() + 5 * 60_000
    const o = await restingBuy({ time_in_force: 'GTD', expires_at: iso(expiresAt) })
    expect(o).toMatchObject({ status: 'new', time_in_force: 'GTD', expires_at: iso(expiresAt), filled_at: null })

    tickAt(expiresAt - 1)
    expect((await order(o.order_id)).status).toBe('new')

    tickAt(expiresAt)
    const expired = await order(o.order_id)
    expect(expired).toMatchObject({ status: 'expired', updated_at: iso(expiresAt), reject_reason: 'GTD order: expires_at reached' })
    // Terminal through the transition table: it can no longer be cancelled.
    const cancel = await ctx.call('DELETE', `/v1/orders/${o.order_id}`, { token })
    expect((await cancel.json()).error.code).toBe('ORDER_NOT_CANCELLABLE')
  })

  it('a GTD order that fills before its expiry is filled, not expired', async () => {
    const expiresAt = ctx.clock.now() + 60_000
    const ask = ctx.services.market.ticker('BTCUSDT').ask
    const res = await post({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(ask * 1.01), quantity: 0.01, time_in_force: 'GTD', expires_at: iso(expiresAt) })
    const o = await res.json()
    expect(o.status).toBe('filled')
    expect(o.filled_at).toBe(iso(ctx.clock.now()))
    tickAt(expiresAt + 1)
    expect((await order(o.order_id)).status).toBe('filled')
  })

  it('bad expiries are 400 VALIDATION_FAILED naming expires_at', async () => {
    const now = ctx.clock.now()
    const bid = ctx.services.market.ticker('BTCUSDT').bid
    const base = { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(bid * 0.9), quantity: 0.01 }
    for (const body of [
      { ...base, time_in_force: 'GTD', expires_at: iso(now - 1000) }, // in the past
      { ...base, time_in_force: 'GTD', expires_at: iso(now) }, // not in the future
      { ...base, time_in_force: 'GTD' }, // missing
      { ...base, time_in_force: 'GTC', expires_at: iso(now + 60_000) }, // another time in force
      { ...base, expires_at: iso(now + 60_000) }, // the default (GTC)
    ]) {
      const res = await post(body)
      expect(res.status).toBe(400)
      const { error } = await res.json()
      expect(error.code).toBe('VALIDATION_FAILED')
      expect(error.details.field).toBe('expires_at')
    }
    // Nothing was booked.
    const list = await (await ctx.call('GET', '/v1/orders?status=all', { token })).json()
    expect(list.total_count).toBe(0)
  })

  it('a repeated client_order_id with another expiry is IDEMPOTENCY_CONFLICT', async () => {
    const at = ctx.clock.now() + 60_000
    await restingBuy({ time_in_force: 'GTD', expires_at: iso(at), client_order_id: 'gtd-1' })
    const bid = ctx.services.market.ticker('BTCUSDT').bid
    const res = await post({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(bid * 0.9), quantity: 0.01, time_in_force: 'GTD', expires_at: iso(at + 1000), client_order_id: 'gtd-1' })
    expect(res.status).toBe(409)
    expect((await res.json()).error.details.fields).toEqual(['expires_at'])
  })
})

describe('GET /v1/orders', () => {
  it('status aliases active (= open) and all, has_more, and the created_at window', async () => {
    const t0 = ctx.clock.now()
    const a = await restingBuy()
    ctx.clock.set(t0 + 60_000)
    const b = await restingBuy()
    ctx.clock.set(t0 + 120_000)
    const c = await restingBuy()
    await ctx.call('DELETE', `/v1/orders/${c.order_id}`, { token })

    const get = async (q: string) => (await ctx.call('GET', `/v1/orders?${q}`, { token })).json()
    const active = await get('status=active')
    expect(active.orders.map((o: any) => o.order_id)).toEqual([b.order_id, a.order_id])
    expect(await get('status=open')).toEqual(active)
    const all = await get('status=all')
    expect(all.orders.map((o: any) => o.order_id)).toEqual([c.order_id, b.order_id, a.order_id])
    expect(await get('')).toEqual(all)

    const page = await get('limit=2')
    expect([page.orders.length, page.total_count, page.has_more]).toEqual([2, 3, true])
    expect((await get('limit=2&offset=2')).has_more).toBe(false)

    const window = await get(`start_date=${iso(t0 + 60_000)}&end_date=${iso(t0 + 120_000)}`)
    expect(window.orders.map((o: any) => o.order_id)).toEqual([c.order_id, b.order_id])
    expect((await get(`end_date=${iso(t0 + 59_999)}`)).orders.map((o: any) => o.order_id)).toEqual([a.order_id])

    const bad = await ctx.call('GET', `/v1/orders?start_date=${iso(t0 + 1)}&end_date=${iso(t0)}`, { token })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.details.field).toBe('start_date')
  })
})
