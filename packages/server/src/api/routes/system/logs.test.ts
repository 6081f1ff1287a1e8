import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, TEST_DEMO_KEY, type TestContext } from '../../../testing'

let ctx: TestContext
beforeEach(async () => {
  // stdout silent: the buffer still fills at its own level.
  ctx = await createTestContext({ LOG_LEVEL: 'silent', LOG_BUFFER_LEVEL: 'info', RATE_LIMIT_ENABLED: 'false' })
})
afterEach(() => ctx.close())

describe('GET /v1/logs', () => {
  it('serves recent records newest first, with increasing ids, filtered by level, component and since_id', async () => {
    const log = ctx.services.logger
    log.info({ symbol: 'BTCUSDT' }, 'first')
    log.child({ component: 'ws' }).warn('second')
    log.error('third')
    const res = await ctx.call('GET', '/v1/logs?limit=3', { token: ctx.adminToken })
    expect(res.status).toBe(200)
    const { logs } = await res.json()
    expect(logs.map((l: { message: string }) => l.message)).toEqual(['third', 'second', 'first'])
    expect(logs[0].id).toBeGreaterThan(logs[1].id)
    expect(logs[2]).toMatchObject({ level: 'info', component: 'server', fields: { symbol: 'BTCUSDT' } })
    const warn = (await (await ctx.call('GET', '/v1/logs?level=warn&limit=2', { token: ctx.adminToken })).json()).logs
    expect(warn.map((l: { level: string }) => l.level)).toEqual(['error', 'warn'])
    const ws = (await (await ctx.call('GET', '/v1/logs?component=ws', { token: ctx.adminToken })).json()).logs
    expect(ws.map((l: { message: string }) => l.message)).toEqual(['second'])
    const since = (await (await ctx.call('GET', `/v1/logs?since_id=${logs[1].id}`, { token: ctx.adminToken })).json()).logs
    // Requests are logged too (at info): the records after `second` are `third` and those.
    expect(since.every((l: { id: number }) => l.id > logs[1].id)).toBe(true)
    expect(since.map((l: { message: string }) => l.message).filter((m: string) => m !== 'request')).toEqual(['third'])
  })

  it('never holds a token, API key or password: records naming them are redacted', async () => {
    const res = await ctx.call('POST', '/v1/auth/generate-token', { headers: { 'X-API-Key': TEST_DEMO_KEY }, body: { user_id: 'demo', permissions: ['read_trades'] } })
    const { token, refresh_token } = await res.json()
    ctx.services.logger.warn({ token, refresh_token, api_key: TEST_DEMO_KEY, headers: { authorization: `Bearer ${token}` }, password: 'hunter2' }, 'a careless record')
    const text = JSON.stringify(ctx.services.logs.query({ limit: 1000 }))
    for (const secret of [token, refresh_token, TEST_DEMO_KEY, 'hunter2']) expect(text).not.toContain(secret)
    expect(text).toContain('[redacted]')
  })

  it('is for admin_full only', async () => {
    const t = await ctx.token(['read_trades'])
    expect((await ctx.call('GET', '/v1/logs', { token: t })).status).toBe(403)
  })
})
