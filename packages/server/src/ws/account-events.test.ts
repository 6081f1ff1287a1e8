import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DomainEvent } from '../core'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type TestContext, type TestSocket } from '../testing'

let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const ALL = ['read_market_data', 'read_trades', 'write_trades', 'read_risk_metrics']

async function subscribed(user: string, channels: string[], scopes = ALL): Promise<TestSocket> {
  const s = await openSocket(server.wsUrl, { token: await ctx.token(scopes, user) })
  await s.next('authenticated')
  s.send({ action: 'subscribe', channels })
  await s.next('subscribed')
  return s
}

let n = 0
/** A trade_update as the paper exchange publishes it (on the real server's event bus). */
function tradeEvent(userId: string, symbol = 'BTCUSDT'): DomainEvent {
  const at = ctx.clock.now()
  return {
    kind: 'trade_update',
    accountId: `acc_${userId}`,
    userId,
    symbol,
    data: {
      order_id: `ord_${++n}`,
      client_order_id: null,
      symbol,
      side: 'buy',
      type: 'market',
      quantity: 0.1,
      price: 45000,
      status: 'filled',
      event: 'filled',
      filled_quantity: 0.1,
      average_price: 45000,
      trade_id: `trade_${n}`,
      fill_price: 45000,
      fill_quantity: 0.1,
      fee: 4.5,
      realized_pnl: 0,
      liquidity: 'taker',
      timestamp: new Date(at).toISOString(),
    },
    at,
  }
}

function riskEvent(userId: string): DomainEvent {
  const at = ctx.clock.now()
  return {
    kind: 'risk_event',
    accountId: `acc_${userId}`,
    userId,
    symbol: 'BTCUSDT',
    data: {
      id: `risk_${++n}`,
      type: 'position_limit_warning',
      severity: 'medium',
      message: 'Position limit approaching for BTCUSDT',
      symbol: 'BTCUSDT',
      details: { usage: 0.85 },
      timestamp: new Date(at).toISOString(),
      resolved: false,
      resolved_at: null,
    },
    at,
  }
}

describe('/v1/ws account events', () => {
  it("delivers trade, position and risk events to the owner's subscribed connections only, once each", async () => {
    const alice = await subscribed('alice', ['trades', 'orders.BTCUSDT', 'risk'])
    const alice2 = await subscribed('alice', ['orders.ETHUSDT'])
    const bob = await subscribed('bob', ['trades', 'positions', 'risk'])
    ctx.services.events.publish(tradeEvent('alice'))
    const t = await alice.next('trade_update')
    expect(t.channel).toBe('trades')
    expect(t.data.order_id).toBe(`ord_${n}`)
    expect(t.id).toMatch(/^evt_[0-9a-f]+_1$/)
    await alice.nothing('trade_update') // not again for orders.BTCUSDT
    await alice2.nothing('trade_update') // another symbol
    ctx.services.events.publish(tradeEvent('alice', 'ETHUSDT'))
    expect((await alice2.next('trade_update')).channel).toBe('orders.ETHUSDT')
    expect((await alice.next('trade_update')).data.symbol).toBe('ETHUSDT')
    ctx.services.events.publish(riskEvent('alice'))
    const r = await alice.next('risk_event')
    expect(r.channel).toBe('risk')
    expect(r.data.type).toBe('position_limit_warning')
    await bob.nothing()
    // Events of kinds the stream does not carry, or without an owner, go nowhere.
    ctx.services.events.publish({ kind: 'something_else', userId: 'alice', data: {}, at: ctx.clock.now() })
    ctx.services.events.publish({ ...tradeEvent('alice'), userId: undefined })
    await alice.nothing()
    for (const s of [alice, alice2, bob]) await s.close()
  })

  it('a trade placed through REST arrives as trade_update and position_update', async () => {
    const s = await subscribed('carol', ['trades', 'positions'])
    const token = await ctx.token(ALL, 'carol')
    const res = await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01, client_order_id: 'ws-e2e-1' } })
    expect(res.status).toBe(201)
    const order = await res.json()
    const updates = []
    for (;;) {
      const u = await s.next('trade_update')
      expect(u.data.order_id).toBe(order.order_id)
      expect(u.data.client_order_id).toBe('ws-e2e-1')
      updates.push(u)
      if (u.data.status === 'filled') break
    }
    expect(updates.at(-1)!.data).toMatchObject({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01, filled_quantity: 0.01, average_price: order.average_price })
    const p = await s.next('position_update')
    expect(p.channel).toBe('positions')
    expect(p.data).toMatchObject({ symbol: 'BTCUSDT', side: 'long', quantity: 0.01, entry_price: order.average_price })
    const positions = await (await ctx.call('GET', '/v1/positions', { token })).json()
    expect(positions.positions[0].id).toBe(p.data.position_id)
    await s.close()
  })

  it('an administrator’s pause and resume reach the account’s `risk` subscribers as a trading_paused event', async () => {
    const token = await ctx.token(ALL, 'dave')
    // The account exists once the user has used it.
    expect((await ctx.call('GET', '/v1/account', { token })).status).toBe(200)
    const s = await subscribed('dave', ['risk'])
    const pause = await ctx.call('POST', '/v1/admin/pause', { token: ctx.adminToken, body: { user_id: 'dave', reason: 'review', duration_seconds: 60 } })
    expect(pause.status).toBe(200)
    const paused = await s.next('risk_event')
    expect(paused.channel).toBe('risk')
    expect(paused.data).toMatchObject({ type: 'trading_paused', severity: 'high', resolved: false, details: { scope: 'account', reason: 'review' } })
    expect(paused.data.details.resume_at).toBe(new Date(ctx.clock.now() + 60_000).toISOString())
    // Pausing again does not repeat the event.
    await ctx.call('POST', '/v1/admin/pause', { token: ctx.adminToken, body: { user_id: 'dave', reason: 'still reviewing' } })
    expect((await ctx.call('POST', '/v1/admin/resume', { token: ctx.adminToken, body: { user_id: 'dave' } })).status).toBe(200)
    const resumed = await s.next('risk_event')
    expect(resumed.data).toMatchObject({ id: paused.data.id, type: 'trading_paused', resolved: true })
    const events = await (await ctx.call('GET', '/v1/risk/events', { token })).json()
    expect(events.events.filter((e: { type: string }) => e.type === 'trading_paused')).toHaveLength(1)
    await s.close()
  })

  it('an account opened during a global pause gets its trading_paused event too, resolved on resume', async () => {
    const admin = (path: string, body: object) => ctx.call('POST', path, { token: ctx.adminToken, body })
    await admin('/v1/admin/pause', { reason: 'before you came' })
    const token = await ctx.token(ALL, 'frank')
    const open = async () => (await (await ctx.call('GET', '/v1/risk/events', { token })).json()).events.filter((e: { type: string }) => e.type === 'trading_paused')
    expect(await open()).toMatchObject([{ resolved: false, details: { scope: 'global', reason: 'before you came' } }])
    await admin('/v1/admin/resume', {})
    expect(await open()).toMatchObject([{ resolved: true }])
  })

  it('a global pause holds an account-paused account until both are lifted', async () => {
    const token = await ctx.token(ALL, 'erin')
    expect((await ctx.call('GET', '/v1/account', { token })).status).toBe(200)
    const admin = (path: string, body: object) => ctx.call('POST', path, { token: ctx.adminToken, body })
    await admin('/v1/admin/pause', { user_id: 'erin', reason: 'account' })
    await admin('/v1/admin/pause', { reason: 'everyone' })
    await admin('/v1/admin/resume', {})
    const status = await (await ctx.call('GET', '/v1/trading/status', { token })).json()
    expect(status).toMatchObject({ status: 'paused', scope: 'account', reason: 'account' })
    const open = async () => (await (await ctx.call('GET', '/v1/risk/events', { token })).json()).events.filter((e: { type: string; resolved: boolean }) => e.type === 'trading_paused' && !e.resolved)
    expect(await open()).toHaveLength(1)
    await admin('/v1/admin/resume', { user_id: 'erin' })
    expect(await open()).toHaveLength(0)
  })
})
