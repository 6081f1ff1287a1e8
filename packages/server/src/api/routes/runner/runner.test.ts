import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../../http-server'
import { createTestContext, openSocket, type TestContext } from '../../../testing'

// Strategy accounts, the scheduler and the leaderboard over the API; the strategies channel.
let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '30', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' })
  token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'alice')
})
afterEach(async () => {
  await ctx.services.runner.scheduler.idle()
  await ctx.close()
})

const call = async (method: string, path: string, body?: unknown, t = token) => {
  const res = await ctx.call(method, path, { token: t, body })
  return { status: res.status, body: await res.json() }
}
const account = { name: 'fast-btc', strategy: 'sma_crossover', params: { fast: 3, slow: 8 }, symbols: ['BTCUSDT'], interval: '1m' }

describe('strategy accounts over the API', () => {
  it('create, list, get, patch (params validated by field), another user gets 404, delete', async () => {
    const created = await call('POST', '/v1/strategy-accounts', account)
    expect(created.status).toBe(201)
    const id = created.body.account_id
    expect(created.body).toMatchObject({ name: 'fast-btc', strategy: 'sma_crossover', active: true, symbols: ['BTCUSDT'] })
    expect((await call('GET', '/v1/strategy-accounts')).body.accounts).toHaveLength(1)
    const bad = await call('PATCH', `/v1/strategy-accounts/${id}`, { params: { fast: 20 } })
    expect([bad.status, String(bad.body.error.details.field)]).toEqual([400, expect.stringContaining('params.')])
    expect((await call('PATCH', `/v1/strategy-accounts/${id}`, { active: false })).body.active).toBe(false)
    const bob = await ctx.token(['read_trades', 'write_trades'], 'bob')
    expect((await call('GET', `/v1/strategy-accounts/${id}`, undefined, bob)).status).toBe(404)
    expect((await call('DELETE', `/v1/strategy-accounts/${id}`)).body).toEqual({ deleted: id })
    expect((await call('GET', `/v1/strategy-accounts/${id}`)).status).toBe(404)
    const unknown = await call('POST', '/v1/strategy-accounts', { ...account, strategy: 'nope' })
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'STRATEGY_NOT_FOUND'])
  })

  it('the scheduler: trigger (admin) runs a cycle; a second trigger meanwhile is 409; pause/resume errors; decisions and the leaderboard', async () => {
    const { body: a } = await call('POST', '/v1/strategy-accounts', account)
    expect((await call('POST', '/v1/scheduler/trigger')).status).toBe(403)
    const first = await call('POST', '/v1/scheduler/trigger', undefined, ctx.adminToken)
    expect([first.status, first.body.status]).toEqual([200, 'triggered'])
    const again = await call('POST', '/v1/scheduler/trigger', undefined, ctx.adminToken)
    expect([again.status, again.body.error.code]).toEqual([409, 'CYCLE_IN_PROGRESS'])
    await ctx.services.runner.scheduler.idle()
    const stats = (await call('GET', '/v1/scheduler/stats')).body
    expect(stats.total_executions).toBe(1)
    expect(stats.last_10_executions[0]).toMatchObject({ cycle_id: first.body.cycle_id, accounts_processed: 1 })
    const decisions = (await call('GET', `/v1/strategy-accounts/${a.account_id}/decisions`)).body
    expect(decisions.decisions[0]).toMatchObject({ account_id: a.account_id, symbol: 'BTCUSDT', cycle_id: first.body.cycle_id })
    expect(['BUY', 'SELL', 'HOLD', 'CLOSE']).toContain(decisions.decisions[0].action)
    const board = (await call('GET', '/v1/leaderboard')).body.leaderboard
    expect(board).toHaveLength(1)
    expect(board[0]).toMatchObject({ rank: 1, account_id: a.account_id })
    const resume = await call('POST', '/v1/scheduler/resume', undefined, ctx.adminToken)
    expect([resume.status, resume.body.error.code]).toEqual([400, 'SCHEDULER_NOT_PAUSED'])
    expect((await call('POST', '/v1/scheduler/pause', undefined, ctx.adminToken)).status).toBe(200)
    const twice = await call('POST', '/v1/scheduler/pause', undefined, ctx.adminToken)
    expect([twice.status, twice.body.error.code]).toEqual([400, 'SCHEDULER_ALREADY_PAUSED'])
    expect((await call('GET', '/v1/scheduler/status')).body.is_paused).toBe(true)
  })

  it("a strategy account's events reach its owner on `strategies`, never on `trades`/`positions`", async () => {
    const server: RunningServer = await ctx.listen()
    await call('POST', '/v1/strategy-accounts', account)
    const s = await openSocket(server.wsUrl, { token })
    s.send({ type: 'subscribe', channels: ['strategies', 'trades', 'positions'] })
    await s.next('subscribed')
    await call('POST', '/v1/scheduler/trigger', undefined, ctx.adminToken)
    await ctx.services.runner.scheduler.idle()
    const event = await s.next('strategy_event')
    expect(event.channel).toBe('strategies')
    await s.nothing((f) => f.type === 'trade_update' || f.type === 'position_update', 200)
    expect((await call('GET', '/v1/positions')).body.positions).toHaveLength(0)
    await s.close()
  })
})
