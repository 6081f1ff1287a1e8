import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type TestContext, type TestSocket } from '../testing'

let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext({ WS_HEARTBEAT_MS: '100' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const stats = async () => (await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })).json()

async function connect(token: string): Promise<TestSocket> {
  const s = await openSocket(server.wsUrl, { token })
  await s.next((f) => f.type === 'authenticated' || f.type === 'error')
  return s
}

describe('/v1/ws limits', () => {
  it('allows 10 concurrent connections per token: the 11th gets CONNECTION_LIMIT_EXCEEDED and 1008', async () => {
    const token = await ctx.token(['read_market_data'])
    const ten = await Promise.all(Array.from({ length: 10 }, () => connect(token)))
    expect(ten.every((s) => s.frames.some((f) => f.type === 'authenticated'))).toBe(true)
    const eleventh = await openSocket(server.wsUrl, { token })
    const err = await eleventh.next('error')
    expect(err.seq).toBe(1)
    expect(err.data).toMatchObject({ code: 'CONNECTION_LIMIT_EXCEEDED', details: { limit: 10 } })
    expect((await eleventh.closed).code).toBe(1008)
    // Another token of the same user is counted on its own.
    const other = await connect(await ctx.token(['read_market_data']))
    expect(other.frames.at(-1)!.type).toBe('authenticated')
    // A freed slot can be used again.
    await ten[0]!.close()
    await new Promise((r) => setTimeout(r, 20))
    expect((await connect(token)).frames.at(-1)!.type).toBe('authenticated')
    expect((await stats()).connection_limit_rejections).toBe(1)
  })

  it('drops messages above the rate limit with one RATE_LIMIT_EXCEEDED notice, and keeps the connection', async () => {
    const s = await connect(await ctx.token(['read_market_data']))
    for (let i = 0; i < 50; i++) s.send({ type: 'ping', request_id: `p${i}` })
    const err = await s.next('error')
    expect(err.data).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', details: { limit_per_second: 20 } })
    await s.nothing(undefined, 200)
    const pongs = s.frames.filter((f) => f.type === 'pong')
    expect(pongs.length).toBeGreaterThanOrEqual(20)
    expect(pongs.length).toBeLessThan(25)
    expect(s.frames.filter((f) => f.type === 'error')).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 1000))
    s.send({ type: 'ping', request_id: 'later' })
    expect((await s.next('pong')).data.request_id).toBe('later')
    expect((await stats()).rate_limited_messages).toBeGreaterThanOrEqual(25)
  })

  it('disconnects a dead peer that stops answering pings, keeps live ones', async () => {
    const live = await connect(await ctx.token(['read_market_data']))
    const dead = await openSocket(server.wsUrl, { token: await ctx.token(['read_market_data']), wsOptions: { autoPong: false } })
    await dead.next('authenticated')
    const { code } = await dead.closed
    expect(code).toBe(1006) // cut off without a closing handshake
    await new Promise((r) => setTimeout(r, 250))
    live.send({ type: 'ping' })
    await live.next('pong')
    expect((await stats()).dead_peer_disconnects).toBeGreaterThanOrEqual(1)
  })

  it('closes the connection when its token expires (TOKEN_EXPIRED, 1008)', async () => {
    const pair = await ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'demo', ['read_market_data'], 60)
    const s = await connect(pair.token)
    ctx.clock.advance(61_000)
    const err = await s.next('error', 2000)
    expect(err.data.code).toBe('TOKEN_EXPIRED')
    expect((await s.closed).code).toBe(1008)
  })
})
