import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, type TestContext } from '../testing'
import { openSocket } from '../testing/ws-client'

let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext()
  server = await ctx.listen()
})
afterAll(() => ctx.close())

/** Move the simulated market on so every symbol ticks. */
function tick(ms = 1000): void {
  ctx.clock.advance(ms)
  ctx.services.market.advance()
}

describe('/v1/ws market data', () => {
  it('authenticates with ?token=, subscribes to market_data and receives updates with increasing seq', async () => {
    const s = await openSocket(server.wsUrl, { token: await ctx.token(['read_market_data']) })
    const connected = await s.next('connected')
    expect(connected.seq).toBe(1)
    expect(connected.data.authenticated).toBe(true)
    const auth = await s.next('authenticated')
    expect(auth.data.user_id).toBe('demo')
    s.send({ type: 'subscribe', channel: 'market_data', symbol: 'BTCUSDT' })
    const ack = await s.next('subscribed')
    expect(ack.data.channels).toEqual(['market_data.BTCUSDT'])
    tick()
    const update = await s.next('market_data_update')
    expect(update.channel).toBe('market_data.BTCUSDT')
    const ticker = ctx.services.market.ticker('BTCUSDT')
    expect(update.data).toEqual({
      symbol: 'BTCUSDT',
      price: ticker.price,
      bid: ticker.bid,
      ask: ticker.ask,
      volume_24h: ticker.volume_24h,
      change_24h: ticker.change_24h,
      timestamp: new Date(ctx.clock.now()).toISOString(),
    })
    expect(update.seq).toBe(ack.seq + 1)
    expect(typeof update.id).toBe('string')
    // Only the subscribed symbol arrives.
    expect(s.frames.filter((f) => f.type === 'market_data_update').every((f) => f.data.symbol === 'BTCUSDT')).toBe(true)
    await s.close()
  })

  it('rejects an invalid token with AUTHENTICATION_FAILED and close 1008', async () => {
    const s = await openSocket(server.wsUrl, { token: 'not-a-token' })
    const err = await s.next('error')
    expect(err.data.code).toBe('AUTHENTICATION_FAILED')
    expect((await s.closed).code).toBe(1008)
  })
})
