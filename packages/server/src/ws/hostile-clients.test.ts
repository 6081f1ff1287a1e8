import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type TestContext, type TestSocket } from '../testing'

// Hostile clients next to a well-behaved one: each bad frame gets an error frame or a close code,
// the hub keeps streaming to the bystander without a gap, and the server keeps answering.
let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext()
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const MIB = 1024 * 1024

async function authed(): Promise<TestSocket> {
  const s = await openSocket(server.wsUrl, { token: await ctx.token(['read_market_data']) })
  await s.next('authenticated')
  return s
}

/** A subscriber of `market_data.BTCUSDT` that counts frames, checks seq and notes each frame's delay. */
async function bystander(): Promise<{ ws: WebSocket; got: () => number; gaps: () => number; p99: () => number }> {
  const ws = new WebSocket(`${server.wsUrl}?token=${await ctx.token(['read_market_data'])}`)
  let seq = 0
  let gaps = 0
  let got = 0
  const lat: number[] = []
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw: Buffer) => {
      const f = JSON.parse(raw.toString()) as { seq: number; type: string; data: { sent_at?: number } }
      if (f.seq !== ++seq) gaps++
      seq = f.seq
      if (f.type === 'authenticated') ws.send(JSON.stringify({ type: 'subscribe', channel: 'market_data.BTCUSDT' }))
      if (f.type === 'subscribed') resolve()
      if (f.type === 'market_data_update' && f.data.sent_at !== undefined) {
        got++
        lat.push(performance.now() - f.data.sent_at)
      }
    })
    ws.once('error', reject)
  })
  return { ws, got: () => got, gaps: () => gaps, p99: () => lat.sort((a, b) => a - b)[Math.floor(lat.length * 0.99)] ?? NaN }
}

describe('/v1/ws hostile clients', () => {
  it('answers each bad frame with an error frame or a close code while a bystander streams on, gapless', async () => {
    const hub = ctx.services.stream
    const watcher = await bystander()
    let sent = 0
    let streaming = true
    const feed = (async () => {
      while (streaming) {
        hub.broadcast('market_data.BTCUSDT', 'market_data_update', { symbol: 'BTCUSDT', price: 1, sent_at: performance.now() })
        sent++
        await pause(2)
      }
    })()

    const s = await authed()
    const answers: [string | Buffer, string, RegExp][] = [
      ['{"type":"subscribe",', 'INVALID_MESSAGE', /not valid JSON/],
      [JSON.stringify({ type: 'teleport' }), 'INVALID_MESSAGE', /Unknown message type 'teleport'/],
      [JSON.stringify({ type: 'subscribe', channel: 'moon_prices.BTCUSDT' }), 'INVALID_CHANNEL', /does not exist/],
      // Exactly the hard cap: read, then refused above max_message_bytes (16 KiB); the socket stays.
      ['x'.repeat(MIB), 'MESSAGE_TOO_LARGE', /1048576 bytes exceeds the limit of 16384/],
    ]
    for (const [frame, code, message] of answers) {
      s.ws.send(frame)
      const err = await s.next('error')
      expect(err.data.code).toBe(code)
      expect(err.data.message).toMatch(message)
    }
    s.send({ type: 'ping', request_id: 'after' })
    expect((await s.next('pong')).data.request_id).toBe('after')

    // One byte past the hard cap is a protocol violation: close 1009 before the frame is buffered.
    const big = await authed()
    big.ws.send('x'.repeat(MIB + 1))
    expect((await big.closed).code).toBe(1009)

    // 1,000 subscribe messages at once: the token bucket (20 per second) lets a burst of 20 through,
    // the rest are dropped with one RATE_LIMIT_EXCEEDED notice, and the connection stays usable.
    const flood = await authed()
    const limited0 = hub.counters.rateLimited
    for (let i = 0; i < 1000; i++) flood.send({ type: 'subscribe', channel: 'market_data.ETHUSDT', request_id: `f${i}` })
    const notice = await flood.next('error')
    expect(notice.data).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', details: { limit_per_second: 20 } })
    await flood.nothing('error', 300)
    const acks = flood.frames.filter((f) => f.type === 'subscribed').length
    expect(acks).toBeGreaterThanOrEqual(20)
    expect(acks).toBeLessThan(40)
    expect(hub.counters.rateLimited - limited0).toBeGreaterThan(900)
    await pause(1100)
    flood.send({ type: 'ping', request_id: 'still-here' })
    expect((await flood.next('pong')).data.request_id).toBe('still-here')

    streaming = false
    await feed
    while (watcher.got() < sent) await pause(10)
    expect(watcher.gaps()).toBe(0)
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN)
    // The server still answers HTTP, and counted what it refused.
    const stats = await (await ctx.call('GET', '/v1/ws/stats', { token: ctx.adminToken })).json()
    expect(stats.rate_limited_messages).toBeGreaterThan(900)
    console.log(`bystander: ${watcher.got()} frames during the hostile frames, p99 ${watcher.p99().toFixed(1)} ms, no gap`)
    watcher.ws.close()
  })
})
