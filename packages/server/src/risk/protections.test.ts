import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SMCClient } from 'smc-trading-sdk'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// Protections (cooldown, stoploss_guard, max_drawdown) through the whole app: each triggers on real
// fills, creates a lock listed at GET /v1/risk/locks, denies added exposure with RISK_LOCKED naming
// it, lets reducing orders through, and goes away (DELETE by the owner or an admin, or its time).
let ctx: TestContext
let token: string
let other: string

beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  const scopes = ['read_trades', 'write_trades', 'read_risk_metrics'] as const
  const issue = async (user: string) => (await ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, user, [...scopes], 7 * 86_400)).token
  token = await issue('protected')
  other = await issue('someone-else')
})
afterEach(() => ctx.close())

const order = async (symbol: string, side: 'buy' | 'sell', quantity: number, as = token) => {
  const res = await ctx.call('POST', '/v1/trades', { token: as, body: { symbol, side, type: 'market', quantity } })
  return { status: res.status, body: await res.json() }
}
const filled = async (symbol: string, side: 'buy' | 'sell', quantity: number) => {
  const r = await order(symbol, side, quantity)
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  expect(r.body.status).toBe('filled')
}
const setProtections = async (protections: Record<string, unknown>) => {
  const res = await ctx.call('PUT', '/v1/risk/limits', { token, body: { protections } })
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(200)
  return (await res.json()).protections
}
const locks = async (q = '', as = token) => (await (await ctx.call('GET', `/v1/risk/locks${q}`, { token: as })).json()).locks as any[]
/** Move the clock and the market together (so prices stay fresh). */
const elapse = (ms: number) => {
  for (let t = 0; t < ms; t += 60_000) {
    ctx.clock.advance(Math.min(60_000, ms - t))
    ctx.services.market.advance()
  }
}
/** How far the account is down today, in percent of its initial balance (opened today). */
const lossPercent = async () => {
  const a = await (await ctx.call('GET', '/v1/account', { token })).json()
  return ((a.initial_balance - a.balance) / a.initial_balance) * 100
}

describe('protections', () => {
  it('are off by default and configured through PUT /v1/risk/limits (null turns one off)', async () => {
    const limits = await (await ctx.call('GET', '/v1/risk/limits', { token })).json()
    expect(limits.protections).toEqual({ cooldown: null, stoploss_guard: null, max_drawdown: null })
    const cooldown = { losing_trades: 2, lock_minutes: 30, lookback_minutes: 1440 }
    expect(await setProtections({ cooldown })).toEqual({ cooldown, stoploss_guard: null, max_drawdown: null })
    expect(await setProtections({ max_drawdown: { max_drawdown_percent: 10, lock_minutes: 60 } })).toMatchObject({ cooldown, max_drawdown: { max_drawdown_percent: 10 } })
    expect(await setProtections({ cooldown: null })).toMatchObject({ cooldown: null, max_drawdown: { max_drawdown_percent: 10 } })
    const bad = await ctx.call('PUT', '/v1/risk/limits', { token, body: { protections: { cooldown: { losing_trades: 0, lock_minutes: 1, lookback_minutes: 1 } } } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.code).toBe('VALIDATION_FAILED')
  })

  it('cooldown: N consecutive losing round trips lock the symbol for M minutes; other symbols trade; the owner removes it', async () => {
    await setProtections({ cooldown: { losing_trades: 2, lock_minutes: 30, lookback_minutes: 1440 } })
    // Market in and out: spread and fees make each round trip a loss.
    await filled('BTCUSDT', 'buy', 0.01)
    await filled('BTCUSDT', 'sell', 0.01)
    expect(await locks()).toEqual([])
    await filled('BTCUSDT', 'buy', 0.01)
    await filled('BTCUSDT', 'sell', 0.01)

    const [lock] = await locks()
    expect(lock).toMatchObject({ protection: 'cooldown', symbol: 'BTCUSDT', active: true, removed_at: null, reason: '2 consecutive losing round trips of BTCUSDT' })
    expect(Date.parse(lock.until) - Date.parse(lock.created_at)).toBe(30 * 60_000)

    const denied = await order('BTCUSDT', 'buy', 0.01)
    expect(denied.status).toBe(400)
    expect(denied.body.error).toMatchObject({ code: 'RISK_LOCKED', details: { lock_id: lock.id, protection: 'cooldown', symbol: 'BTCUSDT', until: lock.until } })
    // The lock is the symbol's: another symbol still trades.
    await filled('ETHUSDT', 'buy', 0.1)
    // The lock is a risk event on the account (resolved when the lock ends).
    const events = (await (await ctx.call('GET', '/v1/risk/events', { token })).json()).events as any[]
    expect(events.find((e) => e.type === 'protection_lock')).toMatchObject({ resolved: false, details: { lock_id: lock.id, protection: 'cooldown' } })

    // Someone else's lock is unknown to them; an unknown id is 404.
    expect((await ctx.call('DELETE', `/v1/risk/locks/${lock.id}`, { token: other })).status).toBe(404)
    expect((await ctx.call('DELETE', '/v1/risk/locks/lock_nope', { token })).status).toBe(404)
    expect(await locks('', other)).toEqual([])

    // The owner, through the SDK.
    const sdk = new SMCClient(token, { baseUrl: 'http://test.local', fetch: contractFetch((req) => ctx.app.fetch(req)), retry: false })
    expect((await sdk.listRiskLocks({ active: true })).locks.map((l) => l.id)).toEqual([lock.id])
    expect(await sdk.deleteRiskLock(lock.id)).toMatchObject({ id: lock.id, active: false, removed_at: new Date(ctx.clock.now()).toISOString() })
    expect(await locks('?active=true')).toEqual([])
    expect((await locks('?active=false')).map((l) => l.id)).toEqual([lock.id])
    // The same losses do not lock again: trading resumes.
    await filled('BTCUSDT', 'buy', 0.01)
    const after = (await (await ctx.call('GET', '/v1/risk/events', { token })).json()).events as any[]
    expect(after.find((e) => e.type === 'protection_lock')?.resolved).toBe(true)
  })

  it('stoploss_guard: the day’s realized loss beyond X % locks every symbol until 00:00 UTC; reducing orders execute; an admin removes it', async () => {
    await filled('BTCUSDT', 'buy', 0.1)
    await filled('BTCUSDT', 'sell', 0.05)
    // Just below today's realized loss: the next fill (more fees) crosses it.
    await setProtections({ stoploss_guard: { max_daily_loss_percent: +((await lossPercent()) * 0.999).toFixed(6) } })
    await filled('BTCUSDT', 'sell', 0.02)

    const [lock] = await locks('?active=true')
    expect(lock).toMatchObject({ protection: 'stoploss_guard', symbol: null, active: true, until: '2024-01-16T00:00:00.000Z' })
    expect(lock.reason).toMatch(/^realized loss today/)
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const denied = await order(symbol, 'buy', 0.01)
      expect(denied.body.error).toMatchObject({ code: 'RISK_LOCKED', details: { lock_id: lock.id, protection: 'stoploss_guard', symbol: null, until: lock.until } })
    }
    // Reducing the open position is never locked.
    await filled('BTCUSDT', 'sell', 0.01)

    const admin = await ctx.call('DELETE', `/v1/risk/locks/${lock.id}`, { token: ctx.adminToken })
    expect(admin.status).toBe(200)
    expect((await admin.json()).active).toBe(false)
    // Once removed, the guard does not lock again the same day.
    await filled('BTCUSDT', 'buy', 0.01)
    expect(await locks('?active=true')).toEqual([])
  })

  it('max_drawdown: drawdown from the equity peak beyond Y % locks for M minutes, then the lock expires', async () => {
    await filled('BTCUSDT', 'buy', 0.1)
    // The entry's spread and fee are a drawdown from the initial equity (the peak).
    const a = await (await ctx.call('GET', '/v1/account', { token })).json()
    const dd = ((a.initial_balance - a.equity) / a.initial_balance) * 100
    expect(dd).toBeGreaterThan(0)
    await setProtections({ max_drawdown: { max_drawdown_percent: +(dd / 2).toFixed(6), lock_minutes: 60 } })
    await filled('BTCUSDT', 'sell', 0.01)

    const [lock] = await locks('?active=true')
    expect(lock).toMatchObject({ protection: 'max_drawdown', symbol: null, active: true })
    expect(Date.parse(lock.until) - Date.parse(lock.created_at)).toBe(60 * 60_000)
    const denied = await order('ETHUSDT', 'buy', 0.1)
    expect(denied.body.error).toMatchObject({ code: 'RISK_LOCKED', details: { lock_id: lock.id, protection: 'max_drawdown', until: lock.until } })
    await filled('BTCUSDT', 'sell', 0.01)

    // Close the position (no more drawdown can build), then let the hour pass with the market moving.
    await filled('BTCUSDT', 'sell', 0.08)
    elapse(60 * 60_000)
    const ended = await locks()
    expect(ended.find((l) => l.id === lock.id)).toMatchObject({ active: false, removed_at: null })
    await filled('ETHUSDT', 'buy', 0.1)
    const events = (await (await ctx.call('GET', '/v1/risk/events', { token })).json()).events as any[]
    expect(events.find((e) => e.type === 'protection_lock' && e.details.lock_id === lock.id)?.resolved).toBe(true)
  })
})
