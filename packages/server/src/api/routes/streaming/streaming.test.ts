import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../../http-server'
import { createTestContext, openSocket, type TestContext } from '../../../testing'

let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext()
  server = await ctx.listen()
})
afterAll(() => ctx.close())

describe('GET /v1/ws/stats', () => {
  it('reports connections, subscriptions per channel and message counts (admin_full only)', async () => {
    const s = await openSocket(server.wsUrl, { token: await ctx.token(['read_market_data', 'read_trades']) })
    await s.next('authenticated')
    s.send({ action: 'subscribe', channels: ['market_data.BTCUSDT', 'trades'] })
    await s.next('subscribed')
    const res = await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })
    expect(res.status).toBe(200)
    const stats = await res.json()
    expect(stats.active_connections).toBe(1)
    expect(stats.authenticated_connections).toBe(1)
    expect(stats.total_connections_made).toBe(1)
    expect(stats.subscriptions).toEqual({ 'market_data.BTCUSDT': 1, trades: 1 })
    expect(stats.messages_received).toBe(1)
    expect(stats.messages_sent).toBe(3) // connected, authenticated, subscribed
    const metrics = await (await ctx.call('GET', '/v1/metrics', { token: ctx.adminToken })).text()
    expect(metrics).toMatch(/^smc_ws_connections 1$/m)
    expect(metrics).toMatch(/^smc_ws_subscriptions 2$/m)
    await s.close()
    await new Promise((r) => setTimeout(r, 50))
    const after = await (await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })).json()
    expect(after.active_connections).toBe(0)
    expect(after.subscriptions).toEqual({})

    const denied = await ctx.call('GET', '/v1/ws/stats', { token: await ctx.token(['read_market_data']) })
    expect(denied.status).toBe(403)
    expect((await ctx.call('GET', '/v1/ws/stats')).status).toBe(401)
  })
})
