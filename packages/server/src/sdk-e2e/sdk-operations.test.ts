import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// The SDK's operations methods (contract documents, health, metrics) against a real server on an
// ephemeral port; every response is checked against the contract.
let ctx: TestContext
let server: RunningServer
const fetch = contractFetch((req) => globalThis.fetch(req))
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const client = (token?: string) => new SMCClient(token, { baseUrl: server.url, fetch, retry: false })

describe('SDK: the served contract documents', () => {
  it('getAsyncApiDocument and getAsyncApiYaml return the socket bundle the build produces', async () => {
    const c = client()
    const doc = await c.getAsyncApiDocument()
    expect(doc).toEqual(JSON.parse(readFileSync(new URL('../generated/asyncapi.json', import.meta.url), 'utf8')))
    expect(Object.keys(doc.channels).length).toBeGreaterThan(0)
    expect(await c.getAsyncApiYaml()).toBe(readFileSync(new URL('../generated/asyncapi.yaml', import.meta.url), 'utf8'))
  })
})

describe('SDK: health', () => {
  it('getHealth carries every component; getDetailedHealth (admin_full) measures the host and the last minute', async () => {
    const health = await client().getHealth()
    expect(Object.keys(health.components)).toEqual(expect.arrayContaining(['websocket', 'scheduler', 'execution', 'predictor', 'environment', 'system_load']))
    const trader = client(await ctx.token(['read_trades', 'write_trades']))
    await trader.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    const admin = client(ctx.adminToken)
    const d = await admin.getDetailedHealth()
    expect(d.system.cpu_cores).toBeGreaterThan(0)
    expect(d.performance.trades.count).toBe(1)
    expect(d.performance.trades.latency_p95_ms).toBeGreaterThan(0)
    expect(d.executions_today.orders_filled).toBe(1)
    const denied = await trader.getDetailedHealth().catch((e) => e)
    expect(denied.code).toBe('INSUFFICIENT_PERMISSIONS')
  })
})

describe('SDK: JSON metrics', () => {
  it('getMetricsSummary and getMetricsPerformance (admin_full), getTradingMetrics (the caller’s account)', async () => {
    const trader = client(await ctx.token(['read_trades', 'write_trades'], 'metrics-sdk'))
    await trader.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.1 })
    const admin = client(ctx.adminToken)
    const summary = await admin.getMetricsSummary()
    expect(summary.requests.total).toBeGreaterThan(0)
    expect(summary.executions_today.orders_filled).toBeGreaterThanOrEqual(1)
    const perf = await admin.getMetricsPerformance()
    expect(perf.routes.find((r) => r.method === 'POST' && r.route === '/v1/trades')?.requests).toBeGreaterThanOrEqual(1)
    const mine = await trader.getTradingMetrics({ hours: 1 })
    expect(mine.volume.by_market.map((m) => m.symbol)).toEqual(['ETHUSDT'])
    expect(mine.risk.open_positions).toBe(1)
    expect((await trader.getMetricsSummary().catch((e) => e)).code).toBe('INSUFFICIENT_PERMISSIONS')
  })
})
