import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCApiError, SMCClient, type RoundTrip } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// Issue 17's round trips and position management through the SDK, against a real server on an
// ephemeral port (every response checked against the contract on the way).
let ctx: TestContext
let server: RunningServer
let user = 0
const fetch = contractFetch((req) => globalThis.fetch(req))
beforeAll(async () => {
  // The clock moves without the market here (durations of round trips): no STALE_PRICE denials.
  ctx = await createTestContext({ PAPER_INITIAL_BALANCE: '100000', RATE_LIMIT_ENABLED: 'false', MARKET_STALE_MS: '3600000' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

async function trader(): Promise<SMCClient> {
  const token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], `sdkpos${++user}`)
  return new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
}

describe('listRoundTrips / roundTrips', () => {
  it('lists closed round trips newest first with their exit reasons; the iterator walks every page', async () => {
    const client = await trader()
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'BTCUSDT']) {
      await client.executeTrade({ symbol, side: 'buy', type: 'market', quantity: 0.01 })
      ctx.clock.advance(30_000)
      await client.executeTrade({ symbol, side: 'sell', type: 'market', quantity: 0.01 })
      ctx.clock.advance(1_000)
    }
    await client.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    await client.closeAllPositions()
    const page = await client.listRoundTrips({ limit: 2 })
    expect(page).toMatchObject({ total_count: 4, limit: 2, offset: 0, has_more: true })
    expect(page.round_trips.map((t) => [t.symbol, t.exit_reason])).toEqual([
      ['ETHUSDT', 'MANUAL'],
      ['BTCUSDT', 'SIGNAL'],
    ])
    const all: RoundTrip[] = []
    for await (const t of client.roundTrips({ limit: 3 })) all.push(t)
    expect(all.map((t) => t.exit_reason)).toEqual(['MANUAL', 'SIGNAL', 'SIGNAL', 'SIGNAL'])
    expect(all.slice(1).every((t) => t.duration_seconds === 30)).toBe(true)
    expect((await client.listRoundTrips({ symbol: 'BTCUSDT' })).round_trips).toHaveLength(2)
  })
})

describe('updatePosition', () => {
  it('adds, moves and removes exits; the position shows them with its R figures; bad prices throw typed errors', async () => {
    const client = await trader()
    const order = await client.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    const [pos] = (await client.getPositions({ symbol: 'BTCUSDT' })).positions
    expect(pos).toMatchObject({ stop_loss: null, take_profit: null, initial_risk: null, leverage: 1, liquidation_price: null })
    const price = pos!.current_price
    const stop = Math.round(price * 0.98 * 100) / 100
    const target = Math.round(price * 1.03 * 100) / 100
    const set = await client.updatePosition(pos!.id, { stop_loss: stop, take_profit: target })
    expect(set).toMatchObject({ id: pos!.id, stop_loss: stop, take_profit: target })
    expect(set.initial_risk).toBeCloseTo(Math.abs(order.average_price! - stop) * 0.01, 6)
    expect(set.unrealized_r).toBeCloseTo(set.unrealized_pnl / set.initial_risk!, 3)
    const open = (await client.listOrders({ status: 'open' })).orders
    expect(open.map((o) => o.link_type).sort()).toEqual(['stop_loss', 'take_profit'])
    expect(open.every((o) => o.parent_order_id === order.order_id)).toBe(true)

    const tighter = Math.round(price * 0.99 * 100) / 100
    expect(await client.updatePosition(pos!.id, { stop_loss: tighter, take_profit: null })).toMatchObject({ stop_loss: tighter, take_profit: null })
    expect(await client.getPosition(pos!.id)).toMatchObject({ stop_loss: tighter, take_profit: null })

    const wrong = await client.updatePosition(pos!.id, { stop_loss: price * 1.05 }).catch((e: unknown) => e)
    expect(wrong).toBeInstanceOf(SMCApiError)
    expect(wrong).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: { field: 'stop_loss' } })
    const missing = await client.updatePosition('pos_missing', { stop_loss: stop }).catch((e: unknown) => e)
    expect(missing).toMatchObject({ status: 404, code: 'POSITION_NOT_FOUND' })
  })
})
