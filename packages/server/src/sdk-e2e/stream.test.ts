import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SMCClient, SMCStreamError, StreamClient, type StreamEvents, type StreamOptions } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, contractWebSocket, createTestContext, type TestContext } from '../testing'

// The SDK's stream client against real servers on ephemeral ports. Every frame it receives and
// every message it sends is checked against the AsyncAPI contract, every REST response against
// the OpenAPI one.
const failures: string[] = []
const WebSocket = contractWebSocket(failures)
const fetch = contractFetch((req) => globalThis.fetch(req))
const contexts: TestContext[] = []
const streams: StreamClient[] = []
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()))
  await Promise.all(contexts.splice(0).map((c) => c.close()))
  expect(failures.splice(0)).toEqual([])
})

const ALL = ['read_market_data', 'read_trades', 'write_trades', 'read_risk_metrics']
const fast = { initialDelayMs: 20, maxDelayMs: 100 }

async function start(env: Record<string, string> = {}): Promise<{ ctx: TestContext; server: RunningServer }> {
  const ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ...env })
  contexts.push(ctx)
  return { ctx, server: await ctx.listen() }
}

function stream(server: RunningServer, options: StreamOptions): StreamClient {
  const s = new StreamClient({ baseUrl: server.url, WebSocket, reconnect: fast, ...options })
  streams.push(s)
  return s
}

/** The next emission of `event` (matching `pred`). */
function next<K extends keyof StreamEvents>(s: StreamClient, event: K, pred: (...a: StreamEvents[K]) => boolean = () => true, ms = 3000): Promise<StreamEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no ${String(event)} within ${ms} ms`))), ms)
    const off = s.on(event, (...a) => {
      if (!pred(...a)) return
      clearTimeout(timer)
      off()
      resolve(a)
    })
  })
}

const tick = (ctx: TestContext): void => {
  ctx.clock.advance(1000)
  ctx.services.market.advance()
}

let n = 0
function publishTrade(ctx: TestContext, userId = 'demo'): string {
  const at = ctx.clock.now()
  const orderId = `ord_${++n}`
  ctx.services.events.publish({
    kind: 'trade_update',
    userId,
    symbol: 'BTCUSDT',
    data: { order_id: orderId, client_order_id: null, symbol: 'BTCUSDT', side: 'sell', type: 'limit', quantity: 1, price: 2, status: 'new', event: 'placed', filled_quantity: 0, average_price: null, trade_id: null, fill_price: null, fill_quantity: null, fee: null, realized_pnl: null, liquidity: null, timestamp: new Date(at).toISOString() },
    at,
  })
  return orderId
}

describe('StreamClient against a real server', () => {
  it('subscribes, receives with callbacks and async iteration, unsubscribes', async () => {
    const { ctx, server } = await start()
    const s = stream(server, { token: await ctx.token(['read_market_data']) })
    const connected = next(s, 'connected')
    await s.connect()
    expect((await connected)[0]).toMatchObject({ reconnected: false, user: { user_id: 'demo' } })
    expect(await s.subscribe('market_data', 'btcusdt')).toEqual(['market_data.BTCUSDT'])
    expect(await s.subscribe('trading.ETHUSDT')).toEqual(['market_data.BTCUSDT', 'trading.ETHUSDT'])
    const prices: number[] = []
    s.onMarketDataUpdate((m) => prices.push(m.price))
    const iter = s.messages({ types: ['quote_update'] })
    const update = next(s, 'market_data_update')
    tick(ctx)
    const { value: quote } = await iter.next()
    expect(quote!.type).toBe('quote_update')
    expect(quote!.data.symbol).toBe('ETHUSDT')
    await update
    expect(prices).toEqual([ctx.services.market.ticker('BTCUSDT').price])
    expect(await s.unsubscribe('market_data', 'BTCUSDT')).toEqual(['trading.ETHUSDT'])
    tick(ctx)
    await iter.next()
    expect(prices).toHaveLength(1)
    await iter.return!()
    // Refusals are errors with the server's code; the connection stays usable.
    const bad = await s.subscribe('market_data', 'NOPE').catch((e) => e)
    expect(bad).toBeInstanceOf(SMCStreamError)
    expect(bad.code).toBe('INVALID_SYMBOL')
    expect((await s.subscribe('trades').catch((e) => e)).code).toBe('INSUFFICIENT_PERMISSIONS')
    expect(s.channels).toEqual(['trading.ETHUSDT'])
    await s.close()
    expect(s.state).toBe('closed')
  })

  it("seed 000's SDK usage: a trade placed through REST arrives as trade_update and position_update", async () => {
    const { ctx, server } = await start()
    const client = new SMCClient(await ctx.token(ALL), { baseUrl: server.url, fetch, retry: false })
    const s = client.stream({ WebSocket, reconnect: fast })
    streams.push(s)
    const trades: { status: string; order_id: string }[] = []
    client.onTradeUpdate((data) => trades.push(data))
    const position = new Promise<StreamEvents['position_update'][0]>((resolve) => client.onPositionUpdate(resolve))
    await client.connect()
    expect(s.channels.sort()).toEqual(['positions', 'trades'])
    const order = await client.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    const p = await position
    expect(p).toMatchObject({ symbol: 'BTCUSDT', side: 'long', quantity: 0.01, entry_price: order.average_price })
    expect(trades.at(-1)).toMatchObject({ order_id: order.order_id, status: 'filled' })
    expect(s.lastEventId).toMatch(/^evt_/)
    await client.disconnect()
  })

  it('server restart mid-stream: reconnects, re-authenticates, resubscribes and gets the missed events', async () => {
    const { ctx, server } = await start()
    let tokens = 0
    const s = stream(server, { token: async () => (tokens++, ctx.token(ALL)) })
    const events: string[] = []
    s.on('connected', (i) => events.push(`connected:${i.reconnected}`))
    s.on('disconnected', (i) => events.push(`disconnected:${i.code}`))
    s.on('reconnecting', () => events.push('reconnecting'))
    const orders: string[] = []
    s.onTradeUpdate((t) => orders.push(t.order_id))
    await s.connect()
    await s.subscribe('trades')
    await s.subscribe('market_data', 'BTCUSDT')
    const first = publishTrade(ctx)
    await next(s, 'trade_update')
    await server.close() // the listener restarts; the services (and their replay buffer) stay
    await next(s, 'reconnecting')
    const missed = [publishTrade(ctx), publishTrade(ctx)]
    await ctx.listen({ port: server.port })
    const [resumed] = await next(s, 'resumed')
    expect(resumed.replayed).toBe(2)
    expect(orders).toEqual([first, ...missed])
    expect(events).toContain('connected:true')
    expect(events.slice(0, 3)).toEqual(['connected:false', 'disconnected:1001', 'reconnecting'])
    expect(tokens).toBeGreaterThanOrEqual(2) // asked for a token again
    expect(s.channels).toEqual(['trades', 'market_data.BTCUSDT'])
    tick(ctx) // and market data flows again on the restored subscription
    await next(s, 'market_data_update')
    const live = publishTrade(ctx)
    await next(s, 'trade_update', (t) => t.order_id === live)
    expect(orders).toEqual([first, ...missed, live])
  })

  it('whole-server restart on a database file: the stream resumes from the persisted replay buffer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smc-sdk-ws-'))
    try {
      const env = { DATABASE_URL: join(dir, 'smc.db') }
      const a = await start(env)
      let ctx = a.ctx
      const s = stream(a.server, { token: () => ctx.token(ALL), reconnect: { initialDelayMs: 50, maxDelayMs: 200 } })
      const orders: string[] = []
      s.onTradeUpdate((t) => orders.push(t.order_id))
      await s.connect()
      await s.subscribe('trades')
      publishTrade(ctx)
      await next(s, 'trade_update')
      await a.ctx.close()
      contexts.splice(contexts.indexOf(a.ctx), 1)
      ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ...env })
      contexts.push(ctx)
      const missed = publishTrade(ctx) // e.g. a resting order reacting before the bot is back
      await ctx.listen({ port: a.server.port })
      await next(s, 'resumed', (r) => r.replayed === 1, 5000)
      expect(orders.at(-1)).toBe(missed)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reports resync_required when the missed events are gone, and goes on from the latest', async () => {
    const { ctx, server } = await start({ WS_REPLAY_MAX_EVENTS: '2' })
    const s = stream(server, { token: () => ctx.token(ALL) })
    await s.connect()
    await s.subscribe('trades')
    await server.close()
    await next(s, 'reconnecting')
    for (let i = 0; i < 5; i++) publishTrade(ctx)
    await ctx.listen({ port: server.port })
    const [resync] = await next(s, 'resync_required')
    expect(resync.reason).toBe('events_expired')
    expect(s.lastEventId).toBe(resync.latest_event_id)
    const live = publishTrade(ctx)
    expect((await next(s, 'trade_update'))[0].order_id).toBe(live)
  })

  it('authenticates with a message when asked (no token in the URL)', async () => {
    const { ctx, server } = await start()
    const s = stream(server, { token: await ctx.token(['read_market_data']), auth: 'message' })
    await s.connect()
    const health = next(s, 'health_update')
    expect(await s.subscribe('system.health')).toEqual(['system.health'])
    expect((await health)[0].status).toBe('healthy')
  })

  it('gives up on a rejected fixed token; with a token function it reconnects with a fresh token', async () => {
    const { ctx, server } = await start()
    const bad = stream(server, { token: 'not-a-token' })
    const err = await bad.connect().catch((e) => e)
    expect(err).toBeInstanceOf(SMCStreamError)
    expect(err.code).toBe('AUTHENTICATION_FAILED')
    expect(bad.state).toBe('closed')

    // The token expires mid-stream: the server closes (TOKEN_EXPIRED) and the client comes back with a new one.
    const restarted = await start({ WS_HEARTBEAT_MS: '50' })
    let issued = 0
    const s = stream(restarted.server, {
      token: async () => (await restarted.ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'demo', ['read_trades'], 60 + issued++)).token,
    })
    await s.connect()
    await s.subscribe('trades')
    const expired = next(s, 'error', (e) => e instanceof SMCStreamError && e.code === 'TOKEN_EXPIRED')
    restarted.ctx.clock.advance(120_000)
    await expired
    await next(s, 'connected', (i) => i.reconnected)
    expect(issued).toBe(2)
    expect(s.channels).toEqual(['trades'])
    void ctx
  })

  it('an upgrade refused with 429 (too many failed authentications here) waits out the server’s minute', async () => {
    const { ctx, server } = await start()
    for (let i = 0; i < 5; i++) {
      const bad = stream(server, { token: `bad-${i}` })
      expect(((await bad.connect().catch((e) => e)) as SMCStreamError).code).toBe('AUTHENTICATION_FAILED')
    }
    const s = stream(server, { token: await ctx.token(['read_trades']) })
    const reconnecting = next(s, 'reconnecting')
    void s.connect().catch(() => {})
    const [info] = await reconnecting
    expect(info.delayMs).toBeGreaterThanOrEqual(60_000)
    expect(s.state).toBe('reconnecting')
  })

  it('the 11th connection of a token is refused with CONNECTION_LIMIT_EXCEEDED', async () => {
    const { ctx, server } = await start()
    const token = await ctx.token(['read_market_data'])
    const ten = Array.from({ length: 10 }, () => stream(server, { token }))
    await Promise.all(ten.map((s) => s.connect()))
    const eleventh = stream(server, { token, reconnect: false })
    const err = await eleventh.connect().catch((e) => e)
    expect(err.code).toBe('CONNECTION_LIMIT_EXCEEDED')
    // With reconnection on, it gets in once a slot frees up.
    const patient = stream(server, { token })
    const waiting = patient.connect()
    await next(patient, 'reconnecting')
    await ten[0]!.close()
    await waiting
    expect(patient.state).toBe('open')
  })

  it('an async iterator that falls too far behind fails with OVERFLOW instead of growing', async () => {
    const { ctx, server } = await start()
    const s = stream(server, { token: await ctx.token(ALL), iteratorBufferSize: 5 })
    await s.connect()
    await s.subscribe('trades')
    const iter = s.messages({ types: ['trade_update'] })
    for (let i = 0; i < 10; i++) publishTrade(ctx)
    await next(s, 'trade_update', (t) => t.order_id === `ord_${n}`)
    const err = await iter.next().catch((e) => e)
    expect(err.code).toBe('OVERFLOW')
    // The stream itself is unaffected.
    const later = s.messages({ types: ['trade_update'] })
    publishTrade(ctx)
    expect((await later.next()).value!.data.order_id).toBe(`ord_${n}`)
    await later.return!()
  })
})
