import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, TEST_EPOCH, type TestContext } from '../testing'

// The SDK's backtest, execution, strategy-account and engine methods against a real server, every
// response checked against the contract.
let ctx: TestContext
let server: RunningServer
let client: SMCClient
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '5', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' })
  server = await ctx.listen()
  client = new SMCClient(await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'sdk'), { baseUrl: server.url, fetch: contractFetch((req) => fetch(req)), retry: false })
})
afterAll(async () => {
  await ctx.services.backtests.idle()
  await ctx.close()
})

const DAY = 86_400_000

describe('SDK: runs', () => {
  it('backtest → watchExecution to completed → iterators agree with the counts', async () => {
    const { strategies } = await client.listStrategies()
    expect(strategies.length).toBe(4)
    const { execution_id, task_id } = await client.createBacktest({
      strategy: 'rsi_reversion',
      symbol: 'ETHUSDT',
      interval: '15m',
      start_time: new Date(TEST_EPOCH - 4 * DAY).toISOString(),
      end_time: new Date(TEST_EPOCH - DAY).toISOString(),
    })
    let last
    for await (const s of client.watchExecution(execution_id, { intervalMs: 20 })) last = s
    expect(last?.status).toBe('completed')
    const events = []
    for await (const e of client.executionEvents(execution_id)) events.push(e)
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
    const equity = []
    for await (const p of client.executionEquity(execution_id, { max_points: 40 })) equity.push(p)
    expect(equity.length).toBeLessThanOrEqual(40)
    expect((await client.getBacktest(task_id)).executions).toHaveLength(1)
    expect((await client.listExecutions({ task_type: 'backtest' })).count).toBe(1)
  })

  it('listBacktests and the single pages of events, trades and equity: count, next/previous, granularity_seconds', async () => {
    const { execution_id, task_id } = await client.createBacktest({
      strategy: 'sma_crossover',
      params: { fast: 5, slow: 20 },
      symbol: 'BTCUSDT',
      interval: '15m',
      start_time: new Date(TEST_EPOCH - 4 * DAY).toISOString(),
      end_time: new Date(TEST_EPOCH - DAY).toISOString(),
    })
    await ctx.services.backtests.idle()
    const { tasks, count } = await client.listBacktests({ page_size: 1 })
    expect([tasks[0]?.task_id, tasks[0]?.executions[0]?.execution_id, count]).toEqual([task_id, execution_id, 2])

    const events = await client.getExecutionEvents(execution_id, { page_size: 5 })
    expect(events.events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5])
    expect(events.count).toBeGreaterThan(5)
    expect([typeof events.next, events.previous]).toEqual(['string', null])

    const all = []
    for await (const t of client.executionTrades(execution_id)) all.push(t)
    expect(all.length).toBeGreaterThan(0)
    const page = await client.getExecutionTrades(execution_id, { symbol: 'BTCUSDT', page_size: 1 })
    expect([page.trades.length, page.count]).toEqual([1, all.length])
    expect((await client.getExecutionTrades(execution_id, { symbol: 'ETHUSDT' })).count).toBe(0)
    const ethTrades = []
    for await (const t of client.executionTrades(execution_id, { symbol: 'ETHUSDT' })) ethTrades.push(t)
    expect(ethTrades).toEqual([])

    const equity = await client.getExecutionEquity(execution_id, { max_points: 10 })
    expect(equity.equity_curve.length).toBeLessThanOrEqual(10)
    expect(equity.granularity_seconds).toBeGreaterThan(0)
    expect((await client.getExecutionEquity(execution_id)).granularity_seconds).toBeNull()
  })

  it('strategy accounts, the leaderboard and the engine', async () => {
    const acc = await client.createStrategyAccount({ name: 'sdk', strategy: 'sma_crossover', symbols: ['BTCUSDT'], interval: '1m' })
    expect((await client.listStrategyAccounts()).accounts.map((a) => a.account_id)).toEqual([acc.account_id])
    expect((await client.getLeaderboard()).leaderboard[0]?.account_id).toBe(acc.account_id)
    expect((await client.getSchedulerStatus()).enabled).toBe(false)
    const started = await client.startEngine({ preset: 'balanced' })
    expect(started.state).toBe('INITIALIZING')
    expect((await client.engineCommand('pause', 'sdk test')).state).toBe('PAUSED')
    expect((await client.getEngineTransitions({ limit: 5 })).transitions[0]?.to).toBe('PAUSED')
    expect((await client.engineCommand('stop')).state).toBe('STOPPED')
    expect((await client.deleteStrategyAccount(acc.account_id)).deleted).toBe(acc.account_id)
  })
})

describe('SDK: stream statistics', () => {
  it('getWsStats (admin_full)', async () => {
    const admin = new SMCClient(ctx.adminToken, { baseUrl: server.url, fetch: contractFetch((req) => fetch(req)), retry: false })
    const stats = await admin.getWsStats()
    expect(stats).toBeTypeOf('object')
  })
})
