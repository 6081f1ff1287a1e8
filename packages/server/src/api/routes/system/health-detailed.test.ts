import os from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
})
afterEach(() => ctx.close())

const trade = { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 }

describe('GET /v1/health components', () => {
  it('reports every component with its own measured latency; only the serving ones set the status', async () => {
    const h = await (await ctx.call('GET', '/v1/health')).json()
    expect(Object.keys(h.components).sort()).toEqual(['database', 'environment', 'execution', 'market_data', 'predictor', 'scheduler', 'system_load', 'websocket'])
    for (const c of Object.values<{ response_time: number }>(h.components)) expect(c.response_time).toBeGreaterThanOrEqual(0)
    // The model is enabled but untrained in a test context: degraded, yet the API is healthy.
    expect(h.components.predictor).toMatchObject({ status: 'degraded', enabled: true, trained: false, trained_at: null })
    expect(h.status).toBe('healthy')
    expect(h.components.environment).toMatchObject({ node_version: process.version, pid: process.pid, database: 'memory', market_source: 'simulated' })
    const load = h.components.system_load
    expect(load.process_rss_mb).toBeCloseTo(process.memoryUsage().rss / 1024 / 1024, -2)
    expect(load.memory_percent).toBeGreaterThan(0)
    expect(load.memory_percent).toBeLessThanOrEqual(100)
    expect(load.disk_percent).toBeGreaterThan(0)
    expect(h.components.scheduler).toMatchObject({ status: 'healthy', total_executions: 0, last_execution_at: null })
  })

  it('follows the live state: sockets, open orders, a global pause, the trained model', async () => {
    const server = await ctx.listen()
    const ws = new WebSocket(`${server.wsUrl}?token=${await ctx.token(['read_market_data'])}`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const token = await ctx.token(['read_trades', 'write_trades'])
    const ticker = await (await ctx.call('GET', '/v1/market-data/BTCUSDT', { token: ctx.adminToken })).json()
    const limit = await ctx.call('POST', '/v1/trades', { token, body: { ...trade, type: 'limit', price: Math.floor(ticker.bid * 0.9) } })
    expect(limit.status).toBe(201)
    let h = await (await ctx.call('GET', '/v1/health')).json()
    expect(h.components.websocket.active_connections).toBe(1)
    expect(h.components.execution).toMatchObject({ status: 'healthy', open_orders: 1, trading_paused: false })
    ws.close()

    expect((await ctx.call('POST', '/v1/admin/pause', { token: ctx.adminToken, body: { reason: 'maintenance' } })).status).toBe(200)
    h = await (await ctx.call('GET', '/v1/health')).json()
    expect(h.components.execution).toMatchObject({ status: 'degraded', trading_paused: true, message: 'trading paused for everyone: maintenance' })
    expect(h.status).toBe('degraded')

    ctx.services.ml.train(ctx.services.market)
    h = await (await ctx.call('GET', '/v1/health')).json()
    expect(h.components.predictor).toMatchObject({ status: 'healthy', trained: true, symbols: ctx.services.market.symbols().length, live_resolved: 0 })
    expect(Date.parse(h.components.predictor.trained_at)).toBe(ctx.clock.now())
  })
})

describe('GET /v1/health/detailed', () => {
  it('needs admin_full', async () => {
    expect((await ctx.call('GET', '/v1/health/detailed')).status).toBe(401)
    expect((await ctx.call('GET', '/v1/health/detailed', { token: await ctx.token(['read_trades']) })).status).toBe(403)
  })

  it('measures the host, the process and the event loop', async () => {
    const d = await (await ctx.call('GET', '/v1/health/detailed', { token: ctx.adminToken })).json()
    expect(d.system.cpu_cores).toBe(os.availableParallelism())
    expect(d.system.hostname).toBe(os.hostname())
    expect(d.system.memory_total_mb).toBeCloseTo(os.totalmem() / 1024 / 1024, 0)
    expect(d.system.memory_free_mb).toBeLessThan(d.system.memory_total_mb)
    expect(d.system.disk.path).toBe(process.cwd())
    expect(d.system.disk.total_gb).toBeGreaterThan(0)
    expect(d.system.disk.free_gb).toBeLessThanOrEqual(d.system.disk.total_gb)
    expect(d.system.process.pid).toBe(process.pid)
    expect(d.system.process.cpu_user_seconds).toBeGreaterThan(0)
    expect(d.system.process.rss_mb).toBeGreaterThan(10)
    const loop = d.system.event_loop_delay_ms
    expect(loop.p50).toBeLessThanOrEqual(loop.p95)
    expect(loop.p95).toBeLessThanOrEqual(loop.p99)
    expect(loop.p99).toBeLessThanOrEqual(loop.max)
    expect(Object.keys(d.components)).toHaveLength(8)
    expect(d.components.database.status).toBe('healthy')
  })

  it('counts the last minute of requests (POST /v1/trades latencies apart) and today\'s orders from the store', async () => {
    const token = await ctx.token(['read_trades', 'write_trades'])
    for (let i = 0; i < 3; i++) expect((await ctx.call('POST', '/v1/trades', { token, body: trade })).status).toBe(201)
    expect((await ctx.call('POST', '/v1/trades', { token, body: { ...trade, quantity: -1 } })).status).toBe(400)
    expect((await ctx.call('GET', '/v1/nope')).status).toBe(404)
    const d = await (await ctx.call('GET', '/v1/health/detailed', { token: ctx.adminToken })).json()
    // The detailed request itself is still running while it is measured.
    expect(d.performance.requests_per_minute).toBe(5)
    expect(d.performance.client_error_rate_percent).toBe(40)
    expect(d.performance.error_rate_percent).toBe(0)
    expect(d.performance.trades.count).toBe(4)
    expect(d.performance.trades.latency_p50_ms).toBeGreaterThan(0)
    expect(d.performance.trades.latency_p95_ms).toBeGreaterThanOrEqual(d.performance.trades.latency_p50_ms)
    expect(d.performance.trades.latency_max_ms).toBeGreaterThanOrEqual(d.performance.trades.latency_p95_ms)
    expect(d.executions_today).toMatchObject({ since: '2024-01-15T00:00:00.000Z', orders_placed: 3, orders_filled: 3, orders_open: 0, taker_fills: d.executions_today.fills, maker_fills: 0 })
    expect(d.executions_today.fills).toBeGreaterThanOrEqual(3)
    expect(d.executions_today.notional).toBeGreaterThan(0)

    // A minute later the window is empty, and after midnight so is today.
    ctx.clock.advance(61_000)
    const later = await (await ctx.call('GET', '/v1/health/detailed', { token: ctx.adminToken })).json()
    expect(later.performance).toMatchObject({ requests_per_minute: 0, latency_p95_ms: null, trades: { count: 0, latency_p95_ms: null } })
    ctx.clock.advance(12 * 3600_000)
    const tomorrow = await (await ctx.call('GET', '/v1/health/detailed', { token: ctx.adminToken })).json()
    expect(tomorrow.executions_today).toMatchObject({ since: '2024-01-16T00:00:00.000Z', orders_placed: 0, fills: 0, notional: 0 })
  })
})
