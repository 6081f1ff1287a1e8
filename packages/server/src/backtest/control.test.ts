import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, TEST_EPOCH, type TestContext } from '../testing'

// Pause and stop reach the running engine and are answered once its records up to there are
// stored: a paused run reads complete, a stopped run ends with its checkpoint and its stopped event.
// Both runners: the worker thread (the server's default) and the server's own thread.
const DAY = 86_400_000
const body = {
  strategy: 'smc_trend',
  symbol: 'BTCUSDT',
  interval: '1m' as const,
  start_time: TEST_EPOCH - 4 * DAY,
  end_time: TEST_EPOCH - DAY,
}

let ctx: TestContext | undefined
afterEach(async () => {
  ctx?.services.backtests.stopAll()
  await ctx?.services.backtests.idle()
  await ctx?.close()
  ctx = undefined
})

async function start(worker: boolean) {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '5', ML_ENABLED: 'false', BACKTEST_WORKER: String(worker) })
  const token = await ctx.token(['read_trades', 'write_trades'], 'alice')
  const c = ctx
  const get = async (path: string) => (await c.call('GET', path, { token })).json()
  // Straight after the 202: the engine is in its first slices of 4,320 candles.
  const run = await c.services.backtests.create('alice', body)
  return { c, get, id: run.execution_id }
}

describe.each([true, false])('pause and stop (worker %s)', (worker) => {
  it('a paused run reads complete: its paused event, equity up to the pause and the reply all agree', async () => {
    const { c, get, id } = await start(worker)
    const status = await c.services.backtests.pause(id)
    expect(status.status).toBe('paused')
    expect(status.processed).toBeGreaterThan(0)
    expect(status.processed).toBeLessThan(4320)
    // Nothing moves while paused.
    await new Promise((r) => setTimeout(r, 50))
    const later = await get(`/v1/executions/${id}/status`)
    expect([later.status, later.processed, later.total]).toEqual(['paused', status.processed, 4320])
    const events = await get(`/v1/executions/${id}/events?event_type=status_changed`)
    expect(events.events.map((e: { event: { status: string } }) => e.event.status)).toEqual(['running', 'paused'])
    expect(events.events[1].event.processed).toBe(status.processed)
    expect((await get(`/v1/executions/${id}/equity?page_size=1`)).count).toBe(status.processed)

    c.services.backtests.resume(id)
    await c.services.backtests.idle()
    const done = await get(`/v1/executions/${id}/status`)
    expect([done.status, done.processed]).toEqual(['completed', 4320])
  })

  it('a stopped run ends with its last checkpoint and status_changed stopped, at the candle it reached', async () => {
    const { c, get, id } = await start(worker)
    await c.services.backtests.pause(id)
    const stopped = await c.services.backtests.stop(id)
    expect(stopped.status).toBe('stopped')
    expect(stopped.total).toBe(4320)
    const events = (await get(`/v1/executions/${id}/events?event_type=status_changed`)).events
    expect(events.map((e: { event: { status: string } }) => e.event.status)).toEqual(['running', 'paused', 'stopped'])
    expect(stopped.checkpoint?.processed).toBe(stopped.processed)
    expect((await get(`/v1/executions/${id}/equity?page_size=1`)).count).toBe(stopped.processed)
    // Nothing is written after the stop's reply.
    const eventCount = async () => (await get(`/v1/executions/${id}/events?page_size=1`)).count
    const before = await eventCount()
    await c.services.backtests.idle()
    await new Promise((r) => setTimeout(r, 50))
    expect(await eventCount()).toBe(before)
    expect((await get(`/v1/executions/${id}/status`)).status).toBe('stopped')
  })

  it('stop straight after the start: the run still ends with stopped, its total known', async () => {
    const { c, get, id } = await start(worker)
    const stopped = await c.services.backtests.stop(id)
    expect([stopped.status, stopped.total]).toEqual(['stopped', 4320])
    const events = (await get(`/v1/executions/${id}/events?event_type=status_changed`)).events
    expect(events.map((e: { event: { status: string } }) => e.event.status)).toEqual(['running', 'stopped'])
    expect((await get(`/v1/executions/${id}/metrics/latest`)).checkpoint.processed).toBe(stopped.processed)
  })
})
