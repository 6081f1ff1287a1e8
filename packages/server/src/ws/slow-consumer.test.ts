import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type TestContext, type TestSocket } from '../testing'

// Own server: a paused reader also misses pings, and a short heartbeat would cut it off as dead first.
const MAX_BUFFERED = 1024 * 1024
let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext({ WS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED) })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const stats = async () => (await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })).json()
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function connect(token: string): Promise<TestSocket> {
  const s = await openSocket(server.wsUrl, { token })
  await s.next('authenticated')
  return s
}

/**
 * A lean reader for floods (the test socket keeps and validates every frame): counts the frames of
 * one type, checks `seq`, and records how long each took from `data.sent_at` (this process's clock).
 */
async function counter(token: string, channel: string): Promise<{ ws: WebSocket; got: () => number; gaps: () => number; p99: () => number }> {
  const ws = new WebSocket(`${server.wsUrl}?token=${token}`)
  let seq = 0
  let gaps = 0
  let got = 0
  const lat: number[] = []
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw: Buffer) => {
      const f = JSON.parse(raw.toString()) as { seq: number; type: string; data: { sent_at?: number } }
      if (f.seq !== ++seq) gaps++
      seq = f.seq
      if (f.type === 'authenticated') ws.send(JSON.stringify({ type: 'subscribe', channel }))
      if (f.type === 'subscribed') resolve()
      if (f.type === 'error') reject(new Error(raw.toString()))
      if (f.type === 'market_data_update') {
        got++
        lat.push(performance.now() - f.data.sent_at!)
      }
    })
    ws.once('error', reject)
  })
  return { ws, got: () => got, gaps: () => gaps, p99: () => lat.sort((a, b) => a - b)[Math.floor(lat.length * 0.99)] ?? NaN }
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
    const hub = ctx.services.stream
    // In batches, so the healthy client (in this same process) gets to read in between.
    for (let i = 0; i < total; i++) {
      if (i % 10 === 0) {
        await pause(1)
        // The slow one reads again as soon as it was dropped: a peer that does not read the close
        // frame within 2 s is cut off (1006), which a busy machine would otherwise turn into.
        if (hub.counters.slowConsumerDisconnects > 0 && slow.ws.isPaused) slow.ws.resume()
      }
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
          event: 'placed',
          filled_quantity: 0,
          average_price: null,
          trade_id: null,
          fill_price: null,
          fill_quantity: null,
          fee: null,
          realized_pnl: null,
          liquidity: null,
          timestamp: new Date(ctx.clock.now()).toISOString(),
          note,
        },
        at: ctx.clock.now(),
      })
    }
    slow.ws.resume()
    const st = await stats()
    expect(st.slow_consumer_disconnects).toBe(1)
    expect(st.messages_dropped).toBeGreaterThan(0)
    const closed = await slow.closed
    expect(closed.code).toBe(1013)
    expect(closed.reason).toMatch(/^slow consumer/)
    const got = slow.frames.filter((f) => f.type === 'trade_update')
    expect(got.length).toBeGreaterThan(0)
    expect(got.length).toBeLessThan(total)
    // What it got is a gapless prefix (seq checked by the test socket); the healthy one got everything.
    while (healthy.frames.filter((f) => f.type === 'trade_update').length < total) await healthy.next('trade_update')
  })

  it('caps a paused market-data reader at WS_MAX_BUFFERED_BYTES (+ one frame), then closes it 1013; readers of the same channel get every frame; RSS stays bounded', async () => {
    const hub = ctx.services.stream
    const channel = 'market_data.ETHUSDT'
    const readers = await Promise.all([1, 2].map(async () => counter(await ctx.token(['read_market_data']), channel)))
    const slow = await counter(await ctx.token(['read_market_data']), channel)
    const slowClosed = new Promise<{ code: number; reason: string }>((r) => slow.ws.once('close', (code, reason) => r({ code, reason: reason.toString() })))
    const dropsBefore = hub.counters.slowConsumerDisconnects
    slow.ws.pause()
    // ~40 KB frames, 2,500 of them: 100 MB for a reader that never reads, were it buffered.
    const pad = 'p'.repeat(40_000)
    const frames = 2500
    const frameBytes = pad.length + 200
    const rss0 = process.memoryUsage().rss
    let rssPeak = rss0
    let maxBuffered = 0
    for (let i = 0; i < frames; i++) {
      hub.broadcast(channel, 'market_data_update', { symbol: 'ETHUSDT', i, sent_at: performance.now(), pad })
      maxBuffered = Math.max(maxBuffered, hub.maxBufferedAmount())
      if (i % 5 === 4) {
        await pause(1)
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
        if (hub.counters.slowConsumerDisconnects > dropsBefore && slow.ws.isPaused) slow.ws.resume()
      }
    }
    slow.ws.resume()
    const closed = await slowClosed
    expect(closed).toEqual({ code: 1013, reason: `slow consumer: more than ${MAX_BUFFERED} bytes unsent` })
    // The bound is checked before each send: at most one frame past it was ever queued.
    expect(maxBuffered).toBeGreaterThan(0)
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED + frameBytes)
    expect(slow.got()).toBeLessThan(frames)
    expect(slow.gaps()).toBe(0)
    while (readers.some((r) => r.got() < frames)) await pause(20)
    for (const r of readers) {
      expect(r.gaps()).toBe(0)
      expect(r.ws.readyState).toBe(WebSocket.OPEN)
    }
    // Buffering the slow reader's 100 MB would show here; bounded, the growth is the readers' own garbage.
    expect(rssPeak - rss0).toBeLessThan((frames * frameBytes) / 2)
    console.log(
      `paused reader: max buffered ${(maxBuffered / 1024).toFixed(0)} KiB (bound ${MAX_BUFFERED / 1024} KiB), RSS +${((rssPeak - rss0) / 1048576).toFixed(0)} MB for ${((frames * frameBytes) / 1048576).toFixed(0)} MB sent per reader, readers' p99 ${readers.map((r) => r.p99().toFixed(1)).join(' / ')} ms`,
    )
    for (const r of readers) r.ws.close()
  })
})
