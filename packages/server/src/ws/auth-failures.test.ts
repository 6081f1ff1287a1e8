import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type TestContext } from '../testing'
import { AuthFailureLimiter } from './auth-failures'

describe('AuthFailureLimiter', () => {
  it('allows limit − 1 failures, then refuses until the oldest is a window old', () => {
    const l = new AuthFailureLimiter(3, 60_000)
    l.record('a', 0)
    l.record('a', 10_000)
    expect(l.retryAfterMs('a', 10_000)).toBe(0)
    l.record('a', 20_000)
    expect(l.retryAfterMs('a', 20_000)).toBe(40_000)
    expect(l.retryAfterMs('b', 20_000)).toBe(0)
    expect(l.retryAfterMs('a', 59_999)).toBe(1)
    expect(l.retryAfterMs('a', 60_000)).toBe(0)
    // A failure while refused keeps the window full from the next-oldest one.
    l.record('a', 60_000)
    expect(l.retryAfterMs('a', 60_000)).toBe(10_000)
  })

  it('limit 0 turns it off', () => {
    const l = new AuthFailureLimiter(0, 60_000)
    for (let i = 0; i < 100; i++) l.record('a', i)
    expect(l.retryAfterMs('a', 100)).toBe(0)
  })
})

describe('/v1/ws failed authentications per address', () => {
  let ctx: TestContext
  let server: RunningServer
  beforeAll(async () => {
    ctx = await createTestContext({ WS_AUTH_TIMEOUT_MS: '100' })
    server = await ctx.listen()
  })
  afterAll(() => ctx.close())

  /** The raw answer to an upgrade request (status, headers, body), without a WebSocket client. */
  const upgrade = (token: string) =>
    new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
      const req = request(`${server.wsUrl}?token=${token}`.replace('ws://', 'http://'), {
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      })
      req.on('upgrade', (res, socket) => {
        socket.destroy()
        resolve({ status: res.statusCode ?? 0, body: '' })
      })
      req.on('response', (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }))
      })
      req.on('error', reject)
      req.end()
    })

  it('after 5 failures in a minute the address gets 429 before the handshake, even with a valid token; a minute later it may try again', async () => {
    const valid = await ctx.token(['read_market_data'])
    for (let i = 0; i < 4; i++) {
      const s = await openSocket(server.wsUrl, { token: `bad-${i}` })
      expect((await s.next('error')).data.code).toBe('AUTHENTICATION_FAILED')
      expect((await s.closed).code).toBe(1008)
      ctx.clock.advance(5_000)
    }
    // A connection that never authenticates counts too (the fifth failure).
    const silent = await openSocket(server.wsUrl)
    expect((await silent.next('error')).data.code).toBe('AUTHENTICATION_FAILED')
    await silent.closed

    const refused = await upgrade(valid)
    expect(refused.status).toBe(429)
    expect(refused.retryAfter).toBe('40')
    const envelope = JSON.parse(refused.body)
    expect(envelope.error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', details: { limit: 5, window: '1m', retry_after: 40 } })
    expect(typeof envelope.error.request_id).toBe('string')
    const stats = await (await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })).json()
    expect(stats).toMatchObject({ auth_failures: 5, upgrades_refused: 1 })

    ctx.clock.advance(40_000)
    expect((await upgrade(valid)).status).toBe(101)
    const ok = await openSocket(server.wsUrl, { token: valid })
    expect((await ok.next('authenticated')).data.user_id).toBe('demo')
    await ok.close()
  })
})
