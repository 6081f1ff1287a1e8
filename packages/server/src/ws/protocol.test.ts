import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type TestSocket, type TestContext } from '../testing'

let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  // Short enough for the never-authenticates test, long enough for a loaded CI machine to authenticate in time.
  ctx = await createTestContext({ WS_AUTH_TIMEOUT_MS: '2000' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const tick = (): void => {
  ctx.clock.advance(1000)
  ctx.services.market.advance()
}

async function authed(scopes: string[], user = 'demo'): Promise<TestSocket> {
  const s = await openSocket(server.wsUrl, { token: await ctx.token(scopes, user) })
  await s.next('authenticated')
  return s
}

/** The connection still works: a ping is answered. */
async function stillOpen(s: TestSocket): Promise<void> {
  s.send({ type: 'ping', request_id: 'alive' })
  expect((await s.next('pong')).data.request_id).toBe('alive')
}

describe('/v1/ws protocol', () => {
  it('authenticates with an authenticate message (seed 002) and uses seed 002 subscribe/unsubscribe', async () => {
    const s = await openSocket(server.wsUrl)
    const hello = await s.next('connected')
    expect(hello.data.authenticated).toBe(false)
    expect(hello.data.limits).toEqual({ max_connections_per_token: 10, messages_per_second: 20, max_subscriptions: 50, max_message_bytes: 16384 })
    // Before authenticating, only authenticate and ping are allowed.
    s.send({ action: 'subscribe', channels: ['trading.BTCUSDT'] })
    expect((await s.next('error')).data.code).toBe('AUTHENTICATION_REQUIRED')
    s.send({ action: 'authenticate', token: await ctx.token(['read_market_data']), request_id: 'a1' })
    const auth = await s.next('authenticated')
    expect(auth.data).toMatchObject({ user_id: 'demo', scopes: ['read_market_data'], request_id: 'a1' })
    s.send({ action: 'subscribe', channels: ['trading.BTCUSDT', 'market_data.ETHUSDT', 'system.health'], request_id: 's1' })
    const ack = await s.next('subscribed')
    expect(ack.data).toEqual({ channels: ['trading.BTCUSDT', 'market_data.ETHUSDT', 'system.health'], added: ['trading.BTCUSDT', 'market_data.ETHUSDT', 'system.health'], request_id: 's1' })
    const health = await s.next('health_update')
    expect(health.channel).toBe('system.health')
    expect(health.data.websocket_connections).toBeGreaterThanOrEqual(1)
    tick()
    const quote = await s.next('quote_update')
    const book = ctx.services.market.orderBook('BTCUSDT', 1)
    expect(quote.channel).toBe('trading.BTCUSDT')
    expect(quote.data).toMatchObject({ symbol: 'BTCUSDT', bid: book.bids[0]![0], ask: book.asks[0]![0], bid_size: book.bids[0]![1], ask_size: book.asks[0]![1] })
    expect((await s.next('market_data_update')).data.symbol).toBe('ETHUSDT')
    s.send({ action: 'unsubscribe', channels: ['trading.BTCUSDT', 'market_data.ETHUSDT'] })
    expect((await s.next('unsubscribed')).data).toEqual({ channels: ['system.health'], removed: ['trading.BTCUSDT', 'market_data.ETHUSDT'] })
    tick()
    await s.nothing((f) => f.type === 'quote_update' || f.type === 'market_data_update')
    await s.close()
  })

  it('subscribing twice is idempotent and unsubscribing an unsubscribed channel is not an error', async () => {
    const s = await authed(['read_market_data'])
    s.send({ type: 'subscribe', channel: 'market_data', symbol: 'btcusdt' })
    expect((await s.next('subscribed')).data.added).toEqual(['market_data.BTCUSDT'])
    s.send({ type: 'subscribe', channel: 'market_data.BTC/USDT' })
    expect((await s.next('subscribed')).data).toEqual({ channels: ['market_data.BTCUSDT'], added: [] })
    tick()
    await s.next('market_data_update')
    await s.nothing('market_data_update') // once, not twice
    s.send({ type: 'unsubscribe', channel: 'market_data', symbol: 'SOLUSDT' })
    expect((await s.next('unsubscribed')).data).toEqual({ channels: ['market_data.BTCUSDT'], removed: [] })
    await s.close()
  })

  it('answers every client mistake with an error frame naming it, and keeps the connection open', async () => {
    const s = await authed(['read_market_data'])
    const cases: [unknown, string, RegExp][] = [
      ['{not json', 'INVALID_MESSAGE', /JSON/],
      ['[1,2]', 'INVALID_MESSAGE', /object/],
      [{ type: 'dance' }, 'INVALID_MESSAGE', /Unknown message type 'dance'/],
      [{ channel: 'market_data' }, 'INVALID_MESSAGE', /type/],
      [{ type: 'subscribe' }, 'INVALID_MESSAGE', /channel/],
      [{ type: 'subscribe', channel: 'invalid.channel' }, 'INVALID_CHANNEL', /'invalid.channel' does not exist/],
      [{ type: 'subscribe', channel: 'market_data' }, 'INVALID_CHANNEL', /needs a symbol/],
      [{ type: 'subscribe', channel: 'market_data', symbol: 'NOPE' }, 'INVALID_SYMBOL', /Unknown symbol 'NOPE'/],
      [{ type: 'subscribe', channel: 'trades', symbol: 'BTCUSDT' }, 'INVALID_CHANNEL', /orders\.BTCUSDT/],
      [{ type: 'subscribe', channel: 'trades' }, 'INSUFFICIENT_PERMISSIONS', /read_trades/],
      [{ type: 'subscribe', channel: 'orders.BTCUSDT' }, 'INSUFFICIENT_PERMISSIONS', /read_trades/],
      [{ type: 'subscribe', channel: 'risk' }, 'INSUFFICIENT_PERMISSIONS', /read_risk_metrics/],
      [{ type: 'resume' }, 'INVALID_MESSAGE', /last_event_id/],
      [{ type: 'subscribe', channel: 'x'.repeat(20_000) }, 'MESSAGE_TOO_LARGE', /16384/],
    ]
    for (const [msg, code, message] of cases) {
      s.send(msg)
      const err = await s.next('error')
      expect(err.data.code, JSON.stringify(msg).slice(0, 80)).toBe(code)
      expect(err.data.message).toMatch(message)
    }
    const unknown = cases[5]!
    s.send({ ...(unknown[0] as object), request_id: 'r-7' })
    const withId = await s.next('error')
    expect(withId.data.request_id).toBe('r-7')
    expect(withId.data.details.available_channels).toContain('trading.{symbol}')
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect((await s.next('error')).data.message).toMatch(/Binary/)
    // An atomic request: one bad channel subscribes none of them.
    s.send({ action: 'subscribe', channels: ['market_data.BTCUSDT', 'bogus'] })
    expect((await s.next('error')).data.details.channel).toBe('bogus')
    await stillOpen(s)
    s.send({ type: 'subscribe', channel: 'system.health' })
    expect((await s.next('subscribed')).data.channels).toEqual(['system.health'])
    await s.close()
  })

  it('closes a frame above the hard payload cap with 1009 (never buffers it)', async () => {
    const s = await authed(['read_market_data'])
    s.ws.send('x'.repeat(2 * 1024 * 1024))
    expect((await s.closed).code).toBe(1009)
  })

  it('rejects expired tokens and tokens of another user on re-authentication', async () => {
    const s = await openSocket(server.wsUrl)
    await s.next('connected')
    const pair = await ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'demo', ['read_market_data'], 1)
    ctx.clock.advance(5000)
    s.send({ type: 'authenticate', token: pair.token })
    const err = await s.next('error')
    expect(err.data).toMatchObject({ code: 'AUTHENTICATION_FAILED', details: { reason: 'token has expired' } })
    expect((await s.closed).code).toBe(1008)

    const a = await authed(['read_market_data'], 'demo')
    a.send({ type: 'authenticate', token: await ctx.token(['read_market_data'], 'someone_else') })
    expect((await a.next('error')).data.code).toBe('AUTHENTICATION_FAILED')
    expect((await a.closed).code).toBe(1008)
  })

  it('re-authentication with a fresh token keeps the subscriptions it still covers', async () => {
    const s = await authed(['read_market_data', 'read_trades'])
    s.send({ action: 'subscribe', channels: ['market_data.BTCUSDT', 'trades'] })
    await s.next('subscribed')
    s.send({ type: 'authenticate', token: await ctx.token(['read_market_data']) })
    const auth = await s.next('authenticated')
    expect(auth.data.scopes).toEqual(['read_market_data'])
    expect((await s.next('unsubscribed')).data).toEqual({ channels: ['market_data.BTCUSDT'], removed: ['trades'], reason: 'scope_missing' })
    await s.close()
  })

  it('closes a connection that never authenticates (1008)', async () => {
    const s = await openSocket(server.wsUrl)
    await s.next('connected')
    const err = await s.next('error', 6000)
    expect(err.data.code).toBe('AUTHENTICATION_FAILED')
    expect((await s.closed).code).toBe(1008)
  })

  it('accepts the token as an Authorization header, and answers other paths with 404', async () => {
    const s = await openSocket(server.wsUrl, { headers: { Authorization: `Bearer ${await ctx.token(['read_market_data'])}` } })
    expect((await s.next('authenticated')).data.user_id).toBe('demo')
    await s.close()
    const wrong = new WebSocket(server.wsUrl.replace('/v1/ws', '/v1/nope'))
    wrong.on('error', () => {})
    const status = await new Promise<number>((resolve) => wrong.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(404)
    wrong.terminate()
  })
})
