import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { computePerformance } from '../../../analytics'
import { createTestContext, TEST_EPOCH, type TestContext } from '../../../testing'

// Backtests through the API on the simulated market's history (5 days of 15m candles), followed
// through seed 004's executions API.
let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '5', ML_ENABLED: 'false' })
  token = await ctx.token(['read_trades', 'write_trades'], 'alice')
})
afterEach(async () => {
  ctx.services.backtests.stopAll()
  await ctx.services.backtests.idle()
  await ctx.close()
})

const call = async (method: string, path: string, body?: unknown, t = token) => {
  const res = await ctx.call(method, path, { token: t, body })
  return { status: res.status, body: await res.json() }
}
const iso = (ms: number) => new Date(ms).toISOString()
const DAY = 86_400_000
const request = { strategy: 'sma_crossover', params: { fast: 5, slow: 20 }, symbol: 'BTCUSDT', interval: '15m', start_time: iso(TEST_EPOCH - 4 * DAY), end_time: iso(TEST_EPOCH - 1 * DAY) }

async function finished(id: number) {
  await ctx.services.backtests.idle()
  return (await call('GET', `/v1/executions/${id}/status`)).body
}

describe('backtests over the API', () => {
  it('202, runs in the background to completed; events, trades, equity and metrics through the executions API', async () => {
    const start = await call('POST', '/v1/backtests', request)
    expect(start.status).toBe(202)
    expect(start.body).toMatchObject({ execution_number: 1, status: 'running' })
    const status = await finished(start.body.execution_id)
    expect(status).toMatchObject({ status: 'completed', progress: 100, processed: 288, total: 288, has_checkpoint: true, error_message: null })

    const events = await call('GET', `/v1/executions/${start.body.execution_id}/events?page_size=5`)
    expect(events.body.events.map((e: { sequence: number }) => e.sequence)).toEqual([1, 2, 3, 4, 5])
    expect(events.body.count).toBeGreaterThan(5)
    expect(events.body.next).toContain('page=2')
    const since = await call('GET', `/v1/executions/${start.body.execution_id}/events?since_sequence=3&event_type=trade_executed`)
    expect(since.body.events.every((e: { sequence: number; event_type: string }) => e.sequence > 3 && e.event_type === 'trade_executed')).toBe(true)

    const trades = (await call('GET', `/v1/executions/${start.body.execution_id}/trades`)).body
    expect(trades.count).toBeGreaterThan(0)
    // Events carry times as the rest of the API does (date-time strings): a position_closed event
    // reports its round trip as GET …/trades does; a signal names its candle.
    const closed = (await call('GET', `/v1/executions/${start.body.execution_id}/events?event_type=position_closed&page_size=1`)).body.events[0].event
    expect([closed.entry_time, closed.exit_time]).toEqual([trades.trades[0].trade.entry_time, trades.trades[0].trade.exit_time])
    const signal = (await call('GET', `/v1/executions/${start.body.execution_id}/events?event_type=strategy_signal&page_size=1`)).body.events[0].event
    expect(signal.candle_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/)
    const equity = (await call('GET', `/v1/executions/${start.body.execution_id}/equity?max_points=50`)).body
    expect(equity.equity_curve.length).toBeLessThanOrEqual(50)
    expect(equity.granularity_seconds).toBeGreaterThan(0)
    const full = (await call('GET', `/v1/executions/${start.body.execution_id}/equity?page_size=1000`)).body
    expect(full.count).toBe(288)
    expect(equity.equity_curve.at(-1)).toEqual(full.equity_curve.at(-1))

    // The final checkpoint equals the analytics computed from the run's own trades.
    const { checkpoint } = (await call('GET', `/v1/executions/${start.body.execution_id}/metrics/latest`)).body
    const perf = computePerformance(
      trades.trades.map((t: { trade: { symbol: string; direction: 'long' | 'short'; quantity: number; entry_price: number; exit_price: number; pnl: number; fees: number; exit_time: string; entry_time: string } }) => ({
        symbol: t.trade.symbol,
        side: t.trade.direction,
        quantity: t.trade.quantity,
        entryPrice: t.trade.entry_price,
        exitPrice: t.trade.exit_price,
        pnl: t.trade.pnl,
        commission: t.trade.fees,
        openedAt: Date.parse(t.trade.entry_time),
        closedAt: Date.parse(t.trade.exit_time),
      })),
      { startingEquity: 10_000 },
    )
    expect(checkpoint.total_trades).toBe(perf.total_trades)
    expect(checkpoint.winning_trades).toBe(perf.winning_trades)
  })

  it('a re-run is execution 2 with identical trades and equity', async () => {
    const first = (await call('POST', '/v1/backtests', request)).body
    await finished(first.execution_id)
    const again = await call('POST', `/v1/backtests/${first.task_id}/executions`)
    expect([again.status, again.body.execution_number]).toEqual([202, 2])
    await finished(again.body.execution_id)
    const strip = (b: { trades: { trade: unknown }[] }) => b.trades.map((t) => t.trade)
    expect(strip((await call('GET', `/v1/executions/${again.body.execution_id}/trades`)).body)).toEqual(strip((await call('GET', `/v1/executions/${first.execution_id}/trades`)).body))
    const eq = async (id: number) => (await call('GET', `/v1/executions/${id}/equity?page_size=1000`)).body.equity_curve.map((p: { equity: number; timestamp: string }) => [p.timestamp, p.equity])
    expect(await eq(again.body.execution_id)).toEqual(await eq(first.execution_id))
    const task = (await call('GET', `/v1/backtests/${first.task_id}`)).body
    expect(task.executions.map((e: { execution_number: number }) => e.execution_number).sort()).toEqual([1, 2])
  })

  it('ownership: another user gets 403 not_owner, an unknown id 404, admin_full reads it; a finished run cannot be paused', async () => {
    const run = (await call('POST', '/v1/backtests', request)).body
    await finished(run.execution_id)
    const bob = await ctx.token(['read_trades', 'write_trades'], 'bob')
    const other = await call('GET', `/v1/executions/${run.execution_id}/status`, undefined, bob)
    expect([other.status, other.body.error.details.reason, other.body.error.details.execution_id]).toEqual([403, 'not_owner', run.execution_id])
    // The 404 names the id as the 403 does (a number).
    const unknown = await call('GET', '/v1/executions/999999/status')
    expect([unknown.status, unknown.body.error.details.execution_id]).toEqual([404, 999999])
    expect((await call('GET', `/v1/executions/${run.execution_id}/status`, undefined, ctx.adminToken)).status).toBe(200)
    const pause = await call('POST', `/v1/executions/${run.execution_id}/pause`)
    expect([pause.status, pause.body.error.code]).toEqual([400, 'INVALID_STATE_TRANSITION'])
    expect((await call('GET', '/v1/executions?task_type=backtest&status=completed')).body.count).toBe(1)
  })

  it.each([
    [{ strategy: 'nope' }, 400, 'STRATEGY_NOT_FOUND', undefined],
    [{ params: { fast: 50, slow: 20 } }, 400, 'VALIDATION_FAILED', 'params.'],
    [{ params: { fast: 'x' } }, 400, 'VALIDATION_FAILED', 'params.fast'],
    [{ start_time: iso(TEST_EPOCH - DAY), end_time: iso(TEST_EPOCH - 2 * DAY) }, 400, 'VALIDATION_FAILED', 'start_time'],
    [{ start_time: iso(TEST_EPOCH - 60 * DAY), end_time: iso(TEST_EPOCH - 59 * DAY) }, 400, 'INSUFFICIENT_HISTORY', undefined],
    // 288 candles, but slow = 300 warms up over 301: the run could never trade.
    [{ params: { fast: 100, slow: 300 } }, 400, 'INSUFFICIENT_HISTORY', 'start_time'],
    // 800 days of 1m candles: 1,152,000, over MAX_BACKTEST_CANDLES.
    [{ interval: '1m', start_time: iso(TEST_EPOCH - 800 * DAY) }, 400, 'VALIDATION_FAILED', 'end_time'],
  ])('bad input %# → %i %s', async (change, status, code, field) => {
    const res = await call('POST', '/v1/backtests', { ...request, ...change })
    expect([res.status, res.body.error.code]).toEqual([status, code])
    if (field) expect(String(res.body.error.details.field)).toContain(field)
  })

  it('page_size 1001 is 400; more than 2 runs at once is 429 CONCURRENT_RUN_LIMIT; stop ends a run as stopped', async () => {
    expect((await call('GET', '/v1/executions?page_size=1001')).status).toBe(400)
    // The contract names the page's bound (1,000,000) and the route enforces it.
    const far = await call('GET', '/v1/executions?page=1000001')
    expect([far.status, far.body.error.code, far.body.error.details.field]).toEqual([400, 'VALIDATION_FAILED', 'page'])
    const a = (await call('POST', '/v1/backtests', request)).body
    const b = (await call('POST', '/v1/backtests', request)).body
    const c = await call('POST', '/v1/backtests', request)
    expect([c.status, c.body.error.code]).toEqual([429, 'CONCURRENT_RUN_LIMIT'])
    const stopped = await call('POST', `/v1/executions/${a.execution_id}/stop`)
    expect([stopped.status, stopped.body.status]).toEqual([200, 'stopped'])
    await ctx.services.backtests.idle()
    expect((await call('GET', `/v1/executions/${a.execution_id}/status`)).body.status).toBe('stopped')
    expect((await call('GET', `/v1/executions/${b.execution_id}/status`)).body.status).toBe('completed')
  })

  it('the limit counts backtests only: running trading executions (strategy accounts) do not take its places', async () => {
    for (const id of ['sa_1', 'sa_2', 'sa_3'])
      ctx.services.executions.createTrading('alice', { source: 'strategy_account', source_id: id, strategy: 'sma_crossover', symbols: ['BTCUSDT'] })
    expect((await call('GET', '/v1/executions?task_type=trading&status=running')).body.count).toBe(3)
    const a = await call('POST', '/v1/backtests', request)
    const b = await call('POST', '/v1/backtests', request)
    expect([a.status, b.status]).toEqual([202, 202])
    const c = await call('POST', '/v1/backtests', request)
    expect([c.status, c.body.error.code, c.body.error.details.active]).toEqual([429, 'CONCURRENT_RUN_LIMIT', 2])
  })

  it("an admin's re-run counts against the task owner's limit (the new execution is theirs)", async () => {
    const a = (await call('POST', '/v1/backtests', request)).body
    await call('POST', '/v1/backtests', request)
    const again = await call('POST', `/v1/backtests/${a.task_id}/executions`, undefined, ctx.adminToken)
    expect([again.status, again.body.error.code]).toEqual([429, 'CONCURRENT_RUN_LIMIT'])
    expect(again.body.error.message).toContain("The task's owner (alice) has 2 backtests in progress")
    await ctx.services.backtests.idle()
    const later = await call('POST', `/v1/backtests/${a.task_id}/executions`, undefined, ctx.adminToken)
    expect([later.status, later.body.execution_number]).toEqual([202, 2])
  })

  it('a range reaching past now ends with the last closed candle: the task keeps that end, and a later re-run reads the same candles', async () => {
    const ahead = { ...request, start_time: iso(TEST_EPOCH - 2 * DAY), end_time: iso(TEST_EPOCH + DAY) }
    const first = (await call('POST', '/v1/backtests', ahead)).body
    const a = await finished(first.execution_id)
    const task = (await call('GET', `/v1/backtests/${first.task_id}`)).body
    expect(Date.parse(task.end_time)).toBeLessThanOrEqual(TEST_EPOCH)
    expect(Date.parse(task.end_time)).toBe(Date.parse(ahead.start_time) + a.total * 15 * 60_000)
    // Later, more candles have closed; the re-run still covers the task's range.
    ctx.clock.advance(45 * 60_000)
    const again = (await call('POST', `/v1/backtests/${first.task_id}/executions`)).body
    const b = await finished(again.execution_id)
    expect([b.status, b.total]).toEqual(['completed', a.total])
    const equity = async (id: number) => (await call('GET', `/v1/executions/${id}/equity?page_size=1000`)).body.equity_curve
    expect(await equity(again.execution_id)).toEqual(await equity(first.execution_id))
  })

  it('lists the strategies with their parameter schemas', async () => {
    const { body } = await call('GET', '/v1/strategies')
    expect(body.strategies.map((x: { name: string }) => x.name).sort()).toEqual(['breakout', 'rsi_reversion', 'sma_crossover', 'smc_trend'])
    expect(body.strategies.find((x: { name: string }) => x.name === 'sma_crossover').parameters.properties.fast.default).toBeDefined()
  })
})

describe('executions.{id} on the stream', () => {
  it('the owner gets execution_update frames up to completed; another user is refused', async () => {
    const { openSocket } = await import('../../../testing')
    const server = await ctx.listen()
    // A longer run (3 days of 1m candles), paused at once so the subscription comes first.
    const run = (await call('POST', '/v1/backtests', { ...request, interval: '1m', start_time: iso(TEST_EPOCH - 4 * DAY) })).body
    expect((await call('POST', `/v1/executions/${run.execution_id}/pause`)).status).toBe(200)
    const s = await openSocket(server.wsUrl, { token })
    s.send({ type: 'subscribe', channel: `executions.${run.execution_id}` })
    await s.next('subscribed')
    expect((await call('POST', `/v1/executions/${run.execution_id}/resume`)).body.status).toBe('running')
    await ctx.services.backtests.idle()
    let last = await s.next('execution_update')
    while (last.data.status !== 'completed') last = await s.next('execution_update')
    expect(last.channel).toBe(`executions.${run.execution_id}`)
    expect(last.data).toMatchObject({ execution_id: run.execution_id, status: 'completed', has_checkpoint: true })
    await s.close()
    const bob = await openSocket(server.wsUrl, { token: await ctx.token(['read_trades'], 'bob') })
    bob.send({ type: 'subscribe', channel: `executions.${run.execution_id}` })
    const refused = await bob.next('error')
    expect(refused.data).toMatchObject({ code: 'INSUFFICIENT_PERMISSIONS', details: { reason: 'not_owner' } })
    await bob.close()
  })
})
