import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'

// A market-scoped pause (seed 002's `markets`): the paused symbols deny added exposure with
// details.scope market, other symbols fill, a resting limit on a paused symbol is held while the
// market crosses it and fills after the resume (orders_placed counts it).
let ctx: TestContext
let token: string

beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  const scopes = ['read_trades', 'write_trades'] as const
  token = (await ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'market-pause', [...scopes], 30 * 86_400)).token
})
afterEach(() => ctx.close())

const admin = (path: string, body: unknown) => ctx.call('POST', path, { token: ctx.adminToken, body })
const post = async (body: Record<string, unknown>) => {
  const res = await ctx.call('POST', '/v1/trades', { token, body })
  return { status: res.status, body: await res.json() }
}
const step = () => {
  ctx.clock.advance(60_000)
  ctx.services.market.advance()
}

describe('admin pause with markets', () => {
  it('pauses BTCUSDT only: BTC buys denied (scope market), ETH fills; a held BTC limit fills after resume', async () => {
    const bid = ctx.services.market.ticker('BTCUSDT').bid
    const price = Math.floor(bid * 0.9995)
    const resting = await post({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price, quantity: 0.01, time_in_force: 'GTC' })
    expect(resting.status).toBe(201)
    expect(resting.body.status).toBe('new')

    const paused = await admin('/v1/admin/pause', { markets: ['btcusdt'], reason: 'exchange maintenance' })
    expect(paused.status).toBe(200)
    expect(await paused.json()).toMatchObject({
      status: 'paused',
      scope: 'market',
      user_id: null,
      reason: 'exchange maintenance',
      affected_markets: ['BTCUSDT'],
      positions_maintained: true,
      resumed_at: null,
      orders_placed: 0,
      orders_cancelled: 0,
    })

    const denied = await post({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    expect(denied.status).toBe(400)
    expect(denied.body.error).toMatchObject({ code: 'TRADING_PAUSED', details: { scope: 'market', symbol: 'BTCUSDT', reason: 'exchange maintenance' } })
    const eth = await post({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.1 })
    expect(eth.status).toBe(201)
    expect(eth.body.status).toBe('filled')

    // Move the market until its ask crosses the resting buy: held, it does not fill.
    let crossed = false
    for (let i = 0; i < 2_000 && !crossed; i++) {
      step()
      crossed = ctx.services.market.ticker('BTCUSDT').ask <= price
    }
    expect(crossed).toBe(true)
    const held = await (await ctx.call('GET', `/v1/orders/${resting.body.order_id}`, { token })).json()
    expect(held.status).toBe('new')

    const resumed = await admin('/v1/admin/resume', { markets: ['BTCUSDT'] })
    expect(resumed.status).toBe(200)
    const r = await resumed.json()
    expect(r).toMatchObject({ status: 'active', scope: 'market', affected_markets: ['BTCUSDT'], positions_maintained: true, orders_placed: 1 })
    expect(r.resumed_at).toBe(new Date(ctx.clock.now()).toISOString())

    // Released: it fills on a later tick whose touch crosses it.
    let status = 'new'
    for (let i = 0; i < 2_000 && status !== 'filled'; i++) {
      ctx.clock.advance(1_000)
      ctx.services.market.advance()
      status = (await (await ctx.call('GET', `/v1/orders/${resting.body.order_id}`, { token })).json()).status
    }
    expect(status).toBe('filled')
    expect((await post({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })).status).toBe(201)
  })

  it('rejects unknown markets and markets with user_id; emergency stop reports total_position', async () => {
    expect((await (await admin('/v1/admin/pause', { markets: ['NOPEUSDT'] })).json()).error.code).toBe('INVALID_SYMBOL')
    const both = await admin('/v1/admin/pause', { markets: ['BTCUSDT'], user_id: 'market-pause' })
    expect(both.status).toBe(400)
    expect((await both.json()).error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'markets' } })

    expect((await post({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })).status).toBe(201)
    const stop = await admin('/v1/admin/emergency-stop', { confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'drill', flatten_positions: false })
    expect(stop.status).toBe(200)
    const body = await stop.json()
    const mark = ctx.services.market.ticker('BTCUSDT').price
    expect(body).toMatchObject({ positions_maintained: true, affected_markets: ctx.services.market.symbols() })
    expect(body.total_position).toBeCloseTo(0.01 * mark, 0)
  })
})
