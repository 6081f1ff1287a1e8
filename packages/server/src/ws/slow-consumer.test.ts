import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type TestContext, type TestSocket } from '../testing'

// Own server: a paused reader also misses pings, and a short heartbeat would cut it off as dead first.
let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext({ WS_MAX_BUFFERED_BYTES: '1048576' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const stats = async () => (await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })).json()

async function connect(token: string): Promise<TestSocket> {
  const s = await openSocket(server.wsUrl, { token })
  await s.next('authenticated')
  return s
}

describe('/v1/ws slow consumers', () => {
  it('disconnects a slow consumer once its unsent data passes the bound (1013), without hurting others', async () => {
    const token = await ctx.token(['read_trades'], 'slowpoke')
    const slow = await connect(token)
    const healthy = await connect(await ctx.token(['read_trades'], 'slowpoke'))
    for (const s of [slow, healthy]) {
      s.send({ type: 'subscribe', channel: 'trades' })
      await s.next('subscribed')
    }
    slow.ws.pause() // stops reading: the kernel buffers fill, then the server's
    const note = 'x'.repeat(8000)
    const total = 3000
    // In batches, so the healthy client (in this same process) gets to read in between.
    for (let i = 0; i < total; i++) {
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1))
      ctx.services.events.publish({
        kind: 'trade_update',
        userId: 'slowpoke',
        symbol: 'BTCUSDT',
        data: {
          order_id: `ord_${i}`,
          client_order_id: null,
          symbol: 'BTCUSDT',
          side: 'buy',
          type: 'limit',
          quantity: 1,
          price: 1,
          status: 'new',
          filled_quantity: 0,
          average_price: null,
          timestamp: new Date(ctx.clock.now()).toISOString(),
          note,
        },
        at: ctx.clock.now(),
      })
    }
    const st = await stats()
    expect(st.slow_consumer_disconnects).toBe(1)
    expect(st.messages_dropped).toBeGreaterThan(0)
    slow.ws.resume()
    const closed = await slow.closed
    expect(closed.code).toBe(1013)
    expect(closed.reason).toMatch(/^slow consumer/)
    const got = slow.frames.filter((f) => f.type === 'trade_update')
    expect(got.length).toBeGreaterThan(0)
    expect(got.length).toBeLessThan(total)
    // What it got is a gapless prefix (seq checked by the test socket); the healthy one got everything.
    while (healthy.frames.filter((f) => f.type === 'trade_update').length < total) await healthy.next('trade_update')
  })
})
