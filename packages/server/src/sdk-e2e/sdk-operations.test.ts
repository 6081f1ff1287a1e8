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
