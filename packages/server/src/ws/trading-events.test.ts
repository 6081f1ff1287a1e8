import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningServer } from '../http-server'
import { createTestContext, openSocket, type ServerFrame, type TestContext, type TestSocket } from '../testing'

// trade_update events and fill fields, position_update actions (issue 17), on a real server: every
// frame is checked against the AsyncAPI contract by the test socket, every response by the contract.
let ctx: TestContext
let server: RunningServer
let token: string
let socket: TestSocket

beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', PAPER_INITIAL_BALANCE: '1000000' })
  server = await ctx.listen()
  token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'events-trader')
  socket = await openSocket(server.wsUrl, { token })
  await socket.next('authenticated')
  socket.send({ action: 'subscribe', channels: ['trades', 'positions'] })
  await socket.next('subscribed')
})
afterEach(async () => {
  await socket.close()
  await ctx.close()
})

async function trade(body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', type: 'market', ...body } })
  expect(res.status).toBe(201)
  return res.json()
}

async function get(path: string): Promise<any> {
  return (await ctx.call('GET', path, { token })).json()
}

/** Every frame of `type` for `orderId` (trade_update) received so far, after waiting for `last`. */
async function framesUntil(type: string, last: (f: ServerFrame) => boolean): Promise<ServerFrame[]> {
  await socket.next((f) => f.type === type && last(f))
  return socket.frames.filter((f) => f.type === type)
}

describe('trade_update', () => {
  it('fill frames carry the fill exactly as /v1/trades/history reports it', async () => {
    // Large enough to walk several book levels: one frame (and one trade) per level.
    const buy = await trade({ side: 'buy', quantity: 3 })
    const sell = await trade({ side: 'sell', quantity: 2 })
    const updates = await framesUntil('trade_update', (f) => f.data.order_id === sell.order_id && f.data.event === 'filled')
    const fills = updates.filter((f) => f.data.trade_id !== null)
    const history = await get('/v1/trades/history?limit=1000')
    expect(fills.length).toBe(history.total_count)
    expect(fills.length).toBeGreaterThan(2)
    const byId = new Map(history.trades.map((t: any) => [t.id, t]))
    for (const f of fills) {
      const t: any = byId.get(f.data.trade_id)
      expect(t, f.data.trade_id).toBeDefined()
      expect(f.data).toMatchObject({
        order_id: t.order_id,
        fill_price: t.price,
        price: t.price,
        fill_quantity: t.quantity,
        fee: t.commission,
        realized_pnl: t.pnl,
        liquidity: t.liquidity,
      })
      expect(['partially_filled', 'filled']).toContain(f.data.event)
    }
    // The closing sell realized PnL, and the frames say so.
    expect(fills.filter((f) => f.data.order_id === sell.order_id).some((f) => f.data.realized_pnl !== 0)).toBe(true)
    // Each order: placed first, its fills in between, filled last; non-fill frames have null fill fields.
    for (const o of [buy, sell]) {
      const events = updates.filter((f) => f.data.order_id === o.order_id).map((f) => f.data.event)
      expect(events[0]).toBe('placed')
      expect(events.at(-1)).toBe('filled')
      expect(events.slice(1, -1).every((e) => e === 'partially_filled')).toBe(true)
    }
    const placed = updates.find((f) => f.data.event === 'placed')!
    expect(placed.data).toMatchObject({ trade_id: null, fill_price: null, fill_quantity: null, fee: null, realized_pnl: null, liquidity: null })
    // The order's fields in its last frame are what its REST view says (the event builds them from the
    // same rows through the same conversions, without the whole view).
    for (const o of [buy, sell]) {
      const last = updates.filter((f) => f.data.order_id === o.order_id).at(-1)!
      const { order_id, client_order_id, symbol, side, type, quantity, status, filled_quantity, average_price } = o
      expect(last.data).toMatchObject({ order_id, client_order_id, symbol, side, type, quantity, status, filled_quantity, average_price })
    }
  })

  it('a maker fill of a resting limit reports liquidity maker, as the history does', async () => {
    const t = ctx.services.market.ticker('BTCUSDT')
    const limit = await trade({ side: 'buy', type: 'limit', price: Math.round(t.bid * 0.999), quantity: 0.01 })
    expect(limit.status).toBe('new')
    for (let i = 0; i < 2_000; i++) {
      ctx.clock.advance(60_000)
      ctx.services.market.advance()
      if ((await get(`/v1/orders/${limit.order_id}`)).status === 'filled') break
    }
    const frames = (await framesUntil('trade_update', (f) => f.data.order_id === limit.order_id && f.data.event === 'filled')).filter((f) => f.data.order_id === limit.order_id)
    // Before its fill the frame's price is the order's limit price, as the order's view reports it.
    expect(frames[0]!.data).toMatchObject({ event: 'placed', price: limit.price, average_price: null, filled_quantity: 0 })
    const [fill] = frames.filter((f) => f.data.trade_id !== null)
    const history = await get('/v1/trades/history')
    expect(history.trades).toHaveLength(1)
    expect(fill!.data).toMatchObject({ trade_id: history.trades[0].id, liquidity: 'maker', fill_price: history.trades[0].price, fee: history.trades[0].commission })
  })

  it('a stop reports placed, then triggered, then filled', async () => {
    const last = ctx.services.market.ticker('BTCUSDT').price
    const stop = await trade({ side: 'sell', type: 'stop', stop_price: Math.round(last * 1.5), quantity: 0.01 })
    // A sell stop above the market triggers at once.
    const events = (await framesUntil('trade_update', (f) => f.data.order_id === stop.order_id && f.data.event === 'filled'))
      .filter((f) => f.data.order_id === stop.order_id)
      .map((f) => f.data.event)
    expect(events).toEqual(['placed', 'triggered', 'filled'])
  })

  it('a GTD order sends expired at its expires_at', async () => {
    const bid = ctx.services.market.ticker('BTCUSDT').bid
    const at = ctx.clock.now() + 120_000
    const o = await trade({ side: 'buy', type: 'limit', price: Math.round(bid * 0.9), quantity: 0.01, time_in_force: 'GTD', expires_at: new Date(at).toISOString() })
    ctx.clock.set(at)
    ctx.services.market.advance()
    const f = await socket.next((x) => x.type === 'trade_update' && x.data.order_id === o.order_id && x.data.event === 'expired')
    expect(f.data).toMatchObject({ status: 'expired', timestamp: new Date(at).toISOString(), trade_id: null })
  })
})

describe('position_update', () => {
  it('actions opened → increased → reduced → closed for the matching fills, then closed + reversed', async () => {
    const steps: [side: 'buy' | 'sell', quantity: number][] = [
      ['buy', 0.02],
      ['buy', 0.01],
      ['sell', 0.01],
      ['sell', 0.02],
      ['buy', 0.01],
      ['sell', 0.03],
    ]
    const orders: Record<string, any>[] = []
    for (const [side, quantity] of steps) orders.push(await trade({ side, quantity }))
    const last = orders.at(-1)!.order_id
    const updates = await framesUntil('position_update', (f) => f.data.last_trade?.order_id === last && f.data.action === 'reversed')
    expect(updates.map((f) => [f.data.action, f.data.last_trade.order_id, f.data.quantity])).toEqual([
      ['opened', orders[0]!.order_id, 0.02],
      ['increased', orders[1]!.order_id, 0.03],
      ['reduced', orders[2]!.order_id, 0.02],
      ['closed', orders[3]!.order_id, 0],
      ['opened', orders[4]!.order_id, 0.01],
      ['closed', orders[5]!.order_id, 0],
      ['reversed', orders[5]!.order_id, 0.02],
    ])
    // The reversal opened a new short position; the closed one was the long.
    expect(updates.at(-2)!.data.side).toBe('long')
    expect(updates.at(-1)!.data).toMatchObject({ side: 'short' })
    expect(updates.at(-1)!.data.position_id).not.toBe(updates.at(-2)!.data.position_id)

    // last_trade is the position's latest fill, as the history reports it.
    const history = await get('/v1/trades/history?limit=1000')
    for (const u of updates) {
      const t = history.trades.find((x: any) => x.id === u.data.last_trade.trade_id)
      expect(t).toMatchObject({ order_id: u.data.last_trade.order_id, side: u.data.last_trade.side, price: u.data.last_trade.price })
    }
    // Value, percent of equity and daily PnL of the account now (the market has not moved).
    const account = await get('/v1/account')
    const short = updates.at(-1)!.data
    expect(short.position_value).toBeCloseTo(0.02 * short.current_price, 6)
    expect(short.position_percent).toBeCloseTo((short.position_value / account.equity) * 100, 3)
    expect(short.daily_pnl).toBeCloseTo(account.equity - account.initial_balance, 8)
    expect(updates[3]!.data).toMatchObject({ position_value: 0, position_percent: 0 })
  })
})
