import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../testing'
import { runMinutes, runnerContext, type RunnerContext } from './runner.test-helpers'

// Seed 004's live executions: every strategy account run is a `trading` execution.

describe('strategy account runs as trading executions (over the API, the services runner)', () => {
  let ctx: TestContext
  afterEach(async () => {
    await ctx.services.runner.scheduler.idle()
    await ctx.close()
  })

  it('create → running execution for its owner; cycles fill equity; another user gets 403; delete → stopped', async () => {
    ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' })
    const alice = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'alice')
    const bob = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'bob')
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await ctx.call(method, path, { token, body })
      return { status: res.status, body: await res.json() }
    }
    const { status, body: account } = await call('POST', '/v1/strategy-accounts', alice, {
      name: 'live',
      strategy: 'sma_crossover',
      params: { fast: 3, slow: 8 },
      symbols: ['BTCUSDT', 'ETHUSDT'],
      interval: '1m',
    })
    expect(status).toBe(201)
    const list = await call('GET', '/v1/executions?task_type=trading', alice)
    expect(list.status).toBe(200)
    expect(list.body.executions).toHaveLength(1)
    const ex = list.body.executions[0]
    expect(ex).toMatchObject({ task_type: 'trading', task_id: account.account_id, execution_number: 1, strategy: 'sma_crossover', status: 'running' })
    expect(ex.started_at).not.toBeNull()
    expect((await call('GET', '/v1/executions?task_type=trading', bob)).body.executions).toHaveLength(0)
    expect((await call('GET', `/v1/executions/${ex.execution_id}/status`, bob)).status).toBe(403)
    expect((await call('GET', `/v1/executions/${ex.execution_id}/events`, bob)).status).toBe(403)
    // A trading run follows its account: it is not paused or stopped through the executions API.
    const pause = await call('POST', `/v1/executions/${ex.execution_id}/pause`, alice)
    expect([pause.status, pause.body.error.code]).toEqual([400, 'INVALID_STATE_TRANSITION'])

    const first = await call('GET', `/v1/executions/${ex.execution_id}/events`, alice)
    expect(first.body.events[0]).toMatchObject({ event_type: 'status_changed', event: { status: 'running', source: 'strategy_account', source_id: account.account_id } })

    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(60_000)
      ctx.services.market.advance()
      ctx.services.runner.scheduler.trigger()
      await ctx.services.runner.scheduler.idle()
    }
    const equity = await call('GET', `/v1/executions/${ex.execution_id}/equity`, alice)
    expect(equity.status).toBe(200)
    expect(equity.body.equity_curve).toHaveLength(3)
    expect(equity.body.equity_curve[0]).toMatchObject({ equity: expect.any(Number), balance: expect.any(Number), drawdown_pct: expect.any(Number) })

    expect((await call('DELETE', `/v1/strategy-accounts/${account.account_id}`, alice)).status).toBe(200)
    const st = await call('GET', `/v1/executions/${ex.execution_id}/status`, alice)
    expect(st.body).toMatchObject({ status: 'stopped', has_checkpoint: true })
    expect(st.body.completed_at).not.toBeNull()
    const events = (await call('GET', `/v1/executions/${ex.execution_id}/events`, alice)).body.events
    expect(events.at(-1)).toMatchObject({ event_type: 'status_changed', event: { status: 'stopped' } })
    // Further cycles write nothing (the account is gone).
    ctx.services.runner.scheduler.trigger()
    await ctx.services.runner.scheduler.idle()
    expect((await call('GET', `/v1/executions/${ex.execution_id}/equity`, alice)).body.equity_curve).toHaveLength(4)
  })
})

describe('strategy account runs: signals, fills, round trips, checkpoints', () => {
  let rc: RunnerContext
  afterEach(async () => {
    await rc.close()
  })

  it('a trading strategy fills strategy_signal, trade_executed, trades and checkpoints; re-activation starts execution #2', async () => {
    rc = await runnerContext({ executions: true, checkpointEvery: 2 })
    const store = rc.ctx.services.executions
    const a = rc.r.accounts.create('demo', { name: 'f', strategy: 'flip', symbols: ['BTCUSDT'], interval: '1m' })
    const id = rc.r.live!.executionOf(a.account_id)!
    expect(store.status(id)).toMatchObject({ task_type: 'trading', task_id: a.account_id, status: 'running' })
    for (let i = 0; i < 4; i++) {
      await runMinutes(rc, 1)
      rc.r.scheduler.trigger()
      await rc.r.scheduler.idle()
    }
    const signals = store.events(id, { event_type: 'strategy_signal' }).events
    expect(signals.map((e) => e.event.action)).toEqual(['BUY', 'CLOSE', 'BUY', 'CLOSE'])
    expect(store.events(id, { event_type: 'trade_executed' }).events).toHaveLength(4)
    const trades = store.trades(id).trades
    expect(trades).toHaveLength(2)
    expect(trades[0]!.trade).toMatchObject({ symbol: 'BTCUSDT', direction: 'long' })
    expect(store.equity(id).equity_curve).toHaveLength(4)
    const cp = store.latestMetrics(id)
    expect(cp.checkpoint).toMatchObject({ processed: 4, total_trades: 2 })
    // Deactivate → stopped; re-activate → execution #2.
    rc.r.accounts.patch('demo', a.account_id, { active: false })
    expect(store.status(id).status).toBe('stopped')
    rc.r.accounts.patch('demo', a.account_id, { active: true })
    const id2 = rc.r.live!.executionOf(a.account_id)!
    expect(id2).not.toBe(id)
    expect(store.status(id2)).toMatchObject({ execution_number: 2, status: 'running' })
  })
})

describe('strategy account runs: exit reasons', () => {
  let rc: RunnerContext
  afterEach(async () => {
    await rc.close()
  })

  it('a round trip closed by its linked stop loss says STOP_LOSS; one the strategy closed says SIGNAL', async () => {
    rc = await runnerContext({ executions: true, interval: 1 })
    const store = rc.ctx.services.executions
    // A stop 0.02 % away: the simulated market's minute moves hit it on some round trips, not all.
    const a = rc.r.accounts.create('demo', { name: 'tight', strategy: 'flip', params: { stop_pct: 0.0002 }, symbols: ['BTCUSDT'], interval: '1m' })
    const id = rc.r.live!.executionOf(a.account_id)!
    await runMinutes(rc, 40)
    const trades = store.trades(id).trades.map((t) => t.trade)
    const reasons = new Set(trades.map((t) => t.exit_reason))
    expect(reasons).toEqual(new Set(['STOP_LOSS', 'SIGNAL']))
    // The ledger agrees: as many round trips ended by a filled linked stop as say STOP_LOSS.
    const ex = rc.ctx.services.execution
    const owner = rc.r.accounts.get('demo', a.account_id)
    const orders = ex.queries.listOrders(owner.paper_account_id, { status: 'filled', limit: 1000, offset: 0 }).rows
    const stops = orders.filter((o) => o.linkType === 'stop_loss').length
    expect(trades.filter((t) => t.exit_reason === 'STOP_LOSS')).toHaveLength(stops)
    // And the account's round trips (GET /v1/round-trips) say the same, trip for trip.
    const trips = ex.listRoundTrips(owner.paper_account_id)
    expect(trips.map((t) => [new Date(t.closedAt).toISOString(), t.exitReason])).toEqual(trades.map((t) => [t.exit_time, t.exit_reason]))
  })
})

describe('after a restart', () => {
  it('the interrupted run is failed ("server restarted during the run"); the account’s first cycle starts execution #2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-restart-'))
    const env = { DATABASE_URL: join(dir, 'smc.db'), RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' }
    try {
      const first = await createTestContext(env)
      const token = await first.token(['read_trades', 'write_trades'], 'alice')
      const created = await first.call('POST', '/v1/strategy-accounts', {
        token,
        body: { name: 'live', strategy: 'sma_crossover', params: { fast: 3, slow: 8 }, symbols: ['BTCUSDT'], interval: '1m' },
      })
      const account = (await created.json()) as { account_id: string }
      const id1 = first.services.runner.live!.executionOf(account.account_id)!
      first.services.runner.scheduler.trigger()
      await first.services.runner.scheduler.idle()
      expect(first.services.executions.status(id1).status).toBe('running')
      await first.close()

      const second = await createTestContext(env)
      try {
        const s = second.services
        expect(s.executions.status(id1)).toMatchObject({ status: 'failed', error_message: 'server restarted during the run' })
        // Nothing runs until the account's first cycle after the restart.
        expect(s.runner.live!.executionOf(account.account_id)).toBeUndefined()
        second.clock.advance(60_000)
        s.market.advance()
        s.runner.scheduler.trigger()
        await s.runner.scheduler.idle()
        const id2 = s.runner.live!.executionOf(account.account_id)!
        expect(s.executions.status(id2)).toMatchObject({ task_id: account.account_id, execution_number: 2, status: 'running' })
        expect(s.executions.equity(id2).equity_curve).toHaveLength(1)
      } finally {
        await closeAfterCycles(second)
      }
    } finally {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })
      } catch {
        // left to the OS's temp cleanup
      }
    }
  })
})

async function closeAfterCycles(c: TestContext): Promise<void> {
  await c.services.runner.scheduler.idle()
  await c.close()
}
