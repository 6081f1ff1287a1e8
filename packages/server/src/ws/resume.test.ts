import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type ServerFrame, type TestContext, type TestSocket } from '../testing'

const contexts: TestContext[] = []
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()))
})

async function start(env: Record<string, string> = {}): Promise<{ ctx: TestContext; server: RunningServer }> {
  const ctx = await createTestContext(env)
  contexts.push(ctx)
  return { ctx, server: await ctx.listen() }
}

let n = 0
const kinds = new WeakMap<TestContext, number>()
/** Publish an account event: trade_update, position_update, trade_update, … per server. */
function publish(ctx: TestContext, userId = 'demo'): void {
  const at = ctx.clock.now()
  const k = kinds.get(ctx) ?? 0
  kinds.set(ctx, k + 1)
  n++
  ctx.services.events.publish({
    kind: k % 2 === 0 ? 'trade_update' : 'position_update',
    userId,
    symbol: 'BTCUSDT',
    data:
      k % 2 === 0
        ? {
            order_id: `ord_${n}`,
            client_order_id: null,
            symbol: 'BTCUSDT',
            side: 'buy',
            type: 'market',
            quantity: 1,
            price: 1,
            status: 'filled',
            event: 'filled',
            filled_quantity: 1,
            average_price: 1,
            trade_id: `trade_${n}`,
            fill_price: 1,
            fill_quantity: 1,
            fee: 0,
            realized_pnl: 0,
            liquidity: 'taker',
            timestamp: new Date(at).toISOString(),
          }
        : {
            position_id: 'pos_1',
            symbol: 'BTCUSDT',
            side: 'long',
            quantity: n,
            entry_price: 1,
            current_price: 1,
            unrealized_pnl: 0,
            realized_pnl: 0,
            action: 'increased',
            position_value: n,
            position_percent: 0,
            daily_pnl: 0,
            last_trade: null,
            timestamp: new Date(at).toISOString(),
          },
    at,
  })
}

async function subscribe(ctx: TestContext, server: RunningServer, lastEventId?: string): Promise<{ s: TestSocket; ack: ServerFrame }> {
  const s = await openSocket(server.wsUrl, { token: await ctx.token(['read_trades']) })
  await s.next('authenticated')
  s.send({ type: 'subscribe', channels: ['trades', 'positions'], ...(lastEventId ? { last_event_id: lastEventId } : {}) })
  return { s, ack: await s.next('subscribed') }
}

const accountEvents = (s: TestSocket) => s.frames.filter((f) => f.type === 'trade_update' || f.type === 'position_update')

describe('/v1/ws resume', () => {
  it('replays the account events missed while disconnected, then continues live', async () => {
    const { ctx, server } = await start()
    const first = await subscribe(ctx, server)
    expect(first.ack.data.last_event_id).toMatch(/^evt_[0-9a-f]+_0$/)
    for (let i = 0; i < 3; i++) publish(ctx)
    await first.s.next('position_update')
    await first.s.next('trade_update')
    const last = accountEvents(first.s).at(-1)!
    expect(accountEvents(first.s).map((f) => f.id.split('_').pop())).toEqual(['1', '2', '3'])
    await first.s.close()
    publish(ctx)
    publish(ctx)
    publish(ctx, 'someone_else')
    const again = await subscribe(ctx, server, last.id)
    const replayed = [await again.s.next('position_update'), await again.s.next('trade_update')]
    expect(replayed.map((f) => [f.id.split('_').pop(), f.replayed])).toEqual([
      ['4', true],
      ['5', true],
    ])
    const done = await again.s.next('resumed')
    expect(done.data).toEqual({ from_event_id: last.id, last_event_id: replayed[1]!.id, replayed: 2 })
    publish(ctx)
    const live = await again.s.next('trade_update')
    expect(live.replayed).toBeUndefined()
    expect(live.id.endsWith('_6')).toBe(true)
  })

  it('resumes from the cursor of the subscribe acknowledgement when no event had arrived yet', async () => {
    const { ctx, server } = await start()
    publish(ctx) // before the subscription: not for this client
    const first = await subscribe(ctx, server)
    const cursor = first.ack.data.last_event_id
    expect(cursor.endsWith('_1')).toBe(true)
    await first.s.close()
    publish(ctx)
    const again = await subscribe(ctx, server, cursor)
    expect((await again.s.next('position_update')).replayed).toBe(true)
    expect((await again.s.next('resumed')).data.replayed).toBe(1)
  })

  it('sends resync_required when the missed events left the buffer, or the id is not from this server', async () => {
    const { ctx, server } = await start({ WS_REPLAY_MAX_EVENTS: '5', WS_REPLAY_MAX_AGE_MS: '60000' })
    const { s, ack } = await subscribe(ctx, server)
    await s.close()
    for (let i = 0; i < 8; i++) publish(ctx)
    const tooOld = await subscribe(ctx, server, ack.data.last_event_id)
    const resync = await tooOld.s.next('resync_required')
    expect(resync.data).toMatchObject({ reason: 'events_expired', last_event_id: ack.data.last_event_id })
    expect(resync.data.latest_event_id.endsWith('_8')).toBe(true)
    expect(resync.data.oldest_available_event_id.endsWith('_4')).toBe(true)
    await tooOld.s.nothing((f) => f.replayed === true)
    // Within the count bound but past the age bound.
    const cursor = resync.data.latest_event_id
    await tooOld.s.close()
    publish(ctx)
    ctx.clock.advance(61_000)
    const stale = await subscribe(ctx, server, cursor)
    expect((await stale.s.next('resync_required')).data.reason).toBe('events_expired')
    // Ids of another store, and ids from the future.
    const epoch = cursor.split('_')[1]
    const foreign = await subscribe(ctx, server, 'evt_00000000_3')
    expect((await foreign.s.next('resync_required')).data.reason).toBe('unknown_event_id')
    const future = await subscribe(ctx, server, `evt_${epoch}_999`)
    expect((await future.s.next('resync_required')).data.reason).toBe('unknown_event_id')
    const garbage = await subscribe(ctx, server, 'hello')
    expect((await garbage.s.next('resync_required')).data.reason).toBe('unknown_event_id')
    const st = await (await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })).json()
    expect(st.resyncs_required).toBe(5)
  })

  it('resume as its own message replays onto the channels already subscribed', async () => {
    const { ctx, server } = await start()
    const { s, ack } = await subscribe(ctx, server)
    await s.close()
    publish(ctx)
    const t = await openSocket(server.wsUrl, { token: await ctx.token(['read_trades']) })
    await t.next('authenticated')
    t.send({ type: 'subscribe', channel: 'trades' })
    await t.next('subscribed')
    t.send({ type: 'resume', last_event_id: ack.data.last_event_id, request_id: 'r1' })
    expect((await t.next('trade_update')).replayed).toBe(true)
    expect((await t.next('resumed')).data).toMatchObject({ replayed: 1, request_id: 'r1' })
  })

  it('survives a restart of the listener: clients are told to go (1001) and resume on the same port', async () => {
    const { ctx, server } = await start()
    const { s } = await subscribe(ctx, server)
    publish(ctx)
    const seen = await s.next('trade_update')
    await server.close()
    expect((await s.closed).code).toBe(1001)
    publish(ctx) // while nothing listens
    await ctx.listen({ port: server.port })
    const again = await subscribe(ctx, server, seen.id)
    expect((await again.s.next('position_update')).replayed).toBe(true)
    expect((await again.s.next('resumed')).data.replayed).toBe(1)
  })

  it('survives a restart of the whole server: the replay buffer is in the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smc-ws-'))
    try {
      const env = { DATABASE_URL: join(dir, 'smc.db') }
      const a = await start(env)
      const { s } = await subscribe(a.ctx, a.server)
      publish(a.ctx)
      const seen = await s.next('trade_update')
      publish(a.ctx) // committed and journaled, but the process dies before the client reads it
      await a.ctx.close()
      contexts.splice(contexts.indexOf(a.ctx), 1)
      const b = await createTestContext(env)
      contexts.push(b)
      const server = await b.listen({ port: a.server.port })
      publish(b) // happens after the restart, before the client is back
      const again = await subscribe(b, server, seen.id)
      const replayed = [await again.s.next('position_update'), await again.s.next('trade_update')]
      expect(replayed.map((f) => f.id.split('_').pop())).toEqual(['2', '3'])
      expect((await again.s.next('resumed')).data.replayed).toBe(2)
      // A fresh database is another stream: its ids never match the old ones.
      const fresh = await start()
      const other = await subscribe(fresh.ctx, fresh.server, seen.id)
      expect((await other.s.next('resync_required')).data.reason).toBe('unknown_event_id')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
