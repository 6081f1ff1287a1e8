import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SMCApiError, SMCClient, type Order, type TradeRequest } from 'smc-trading-sdk'
import type { RunningServer } from '../../../http-server'
import { contractFetch, createTestContext, type TestContext } from '../../../testing'

// Trading scenarios through the SDK against a real server on an ephemeral port; every response is
// checked against the contract on the way. Time and the market only move when a test moves them.
let ctx: TestContext
let server: RunningServer
let user = 0
const fetch = contractFetch((req) => globalThis.fetch(req))

beforeEach(async () => {
  // Some tests move the clock alone (no market tick) and still trade: prices never go stale (STALE_PRICE
  // has its own suite, risk/stale-price.test.ts).
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', PAPER_INITIAL_BALANCE: '100000', MARKET_STALE_MS: '3600000' })
  server = await ctx.listen()
})
afterEach(() => ctx.close())

/** A client for a fresh user (so a fresh 100,000 USDT paper account), with a token valid for 30 days of test time. */
async function trader(): Promise<SMCClient> {
  const scopes = ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics'] as const
  const { token } = await ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, `trader${++user}`, [...scopes], 30 * 86_400)
  return new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
}

const market = (q: number, extra: Partial<TradeRequest> = {}): TradeRequest => ({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: q, ...extra })

const atoms = (x: number): number => Math.round(x * 1e8)
const failure = (p: Promise<unknown>): Promise<SMCApiError> =>
  p.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(SMCApiError)
      return e as SMCApiError
    },
  )

/** Move the clock and the market one step at a time until `done` holds (or give up). */
async function advanceUntil(done: () => Promise<boolean>, stepMs = 60_000, maxSteps = 2_000): Promise<number> {
  for (let i = 1; i <= maxSteps; i++) {
    ctx.clock.advance(stepMs)
    ctx.services.market.advance()
    if (await done()) return i
  }
  throw new Error('condition not reached')
}

/** initial + Σ fill pnl − Σ commissions must equal the balance, to the atom. */
async function expectReconciled(c: SMCClient): Promise<void> {
  const account = await c.getAccount()
  let pnl = 0
  let fees = 0
  for await (const t of c.tradeHistory({ limit: 7 })) {
    pnl += atoms(t.pnl)
    fees += atoms(t.commission)
  }
  expect(atoms(account.balance)).toBe(atoms(account.initial_balance) + pnl - fees)
  expect(atoms(account.realized_pnl)).toBe(pnl)
  expect(atoms(account.commission_paid)).toBe(fees)
}

describe('market orders and positions', () => {
  it('fill against the book at the VWAP of the levels walked and open a long position', async () => {
    const c = await trader()
    const book = await c.getOrderBook('BTCUSDT', { limit: 100 })
    const order = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 1.2, client_order_id: 'first' })
    expect(order.status).toBe('filled')
    expect(order.filled_quantity).toBe(1.2)
    let left = 1.2
    let cost = 0
    let levels = 0
    for (const [p, q] of book.asks.map(([p, q]) => [Number(p), Number(q)] as const)) {
      const take = Math.min(left, q)
      cost += take * p
      levels++
      left = +(left - take).toFixed(8)
      if (left <= 0) break
    }
    expect(levels).toBeGreaterThan(1) // slippage is visible: several levels
    expect(order.average_price).toBeCloseTo(cost / 1.2, 6)
    expect(order.average_price).toBeGreaterThan(Number(book.asks[0]![0]))
    // Slippage against the touch the order met: the best ask.
    const ask = Number(book.asks[0]![0])
    expect(order.arrival_price).toBe(ask)
    expect(order.slippage_bps).toBe(Math.round(((order.average_price! - ask) / ask) * 1e6) / 100)
    expect(order.slippage_bps).toBeGreaterThan(0)
    expect(await c.getOrder(order.order_id)).toMatchObject({ arrival_price: ask, slippage_bps: order.slippage_bps })
    expect(order.commission).toBeCloseTo(cost * 0.001, 6)
    const fills = (await c.getTradeHistory()).trades.filter((t) => t.order_id === order.order_id)
    expect(fills).toHaveLength(levels)
    expect(fills.every((t) => t.liquidity === 'taker')).toBe(true)
    const { positions, total_exposure } = await c.getPositions()
    expect(positions).toHaveLength(1)
    expect(positions[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'long', quantity: 1.2, status: 'open' })
    expect(positions[0]!.entry_price).toBeCloseTo(order.average_price!, 6)
    expect(total_exposure).toBeCloseTo(1.2 * positions[0]!.current_price, 6)
    await expectReconciled(c)
  })

  it('slippage is measured against the touch the order met: none within one level, positive for a sell walking bids', async () => {
    const c = await trader()
    const book = await c.getOrderBook('ETHUSDT', { limit: 10 })
    const bids = book.bids.map(([p, q]) => [Number(p), Number(q)] as const)
    const b1 = bids[0]![0]
    const small = await c.executeTrade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 0.01 })
    expect(small).toMatchObject({ arrival_price: b1, average_price: b1, slippage_bps: 0 })
    // The first sell took 0.01 from the best bid: the next one meets what is left of it, then walks
    // into the sixth level.
    const quantity = +(bids.slice(0, 5).reduce((n, [, q]) => n + q, 0) - 0.01 + 0.05).toFixed(4)
    const walk = await c.executeTrade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity })
    expect(walk.arrival_price).toBe(b1)
    expect(walk.average_price).toBeLessThan(b1)
    expect(walk.average_price).toBeGreaterThan(bids[5]![0] - 1e-9)
    expect(walk.slippage_bps).toBe(Math.round(((b1 - walk.average_price!) / b1) * 1e6) / 100)
    expect(walk.slippage_bps).toBeGreaterThan(0)
  })

  it('buy, add, partial close, reverse through zero; the ledger reconciles to the atom', async () => {
    const c = await trader()
    const buy = (quantity: number) => c.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity })
    const sell = (quantity: number) => c.executeTrade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity })
    const a = await buy(1.5)
    ctx.clock.advance(5_000)
    ctx.services.market.advance()
    const b = await buy(0.7)
    let [pos] = (await c.getPositions({ symbol: 'ETHUSDT' })).positions
    expect(pos).toMatchObject({ side: 'long', quantity: 2.2 })
    expect(pos!.entry_price).toBeCloseTo((a.average_price! * 1.5 + b.average_price! * 0.7) / 2.2, 6)
    const entry = pos!.entry_price

    ctx.clock.advance(60_000)
    ctx.services.market.advance()
    const partial = await sell(0.9)
    ;[pos] = (await c.getPositions({ symbol: 'ETHUSDT' })).positions
    expect(pos).toMatchObject({ side: 'long', quantity: 1.3 })
    expect(pos!.entry_price).toBeCloseTo(entry, 6) // a partial close keeps the average entry
    const [closeFill] = (await c.getTradeHistory({ limit: 1 })).trades
    expect(closeFill!.order_id).toBe(partial.order_id)
    expect(pos!.realized_pnl).toBeCloseTo((partial.average_price! - entry) * 0.9, 6)

    const reverse = await sell(2)
    expect(reverse.status).toBe('filled')
    const open = (await c.getPositions({ symbol: 'ETHUSDT' })).positions
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({ side: 'short', quantity: 0.7, status: 'open' })
    expect(open[0]!.entry_price).toBeCloseTo(reverse.average_price!, 6)
    const closed = (await c.getPositions({ symbol: 'ETHUSDT', status: 'closed' })).positions
    expect(closed).toHaveLength(1)
    expect(closed[0]).toMatchObject({ side: 'long', quantity: 2.2, status: 'closed', unrealized_pnl: 0 })
    expect(closed[0]!.closed_at).not.toBeNull()

    // Closing the short through a buy flattens the book of this symbol.
    await buy(0.7)
    expect((await c.getPositions({ symbol: 'ETHUSDT' })).positions).toHaveLength(0)
    const trips = ctx.services.execution.listRoundTrips(ctx.services.execution.accountIdOf(`trader${user}`))
    expect(trips.map((t) => [t.side, t.quantity])).toEqual([
      ['long', 2.2],
      ['short', 0.7],
    ])
    await expectReconciled(c)
    const account = await c.getAccount()
    expect(account.equity).toBe(account.balance)
    expect(atoms(trips.reduce((s, t) => s + t.pnl, 0))).toBe(atoms(account.balance - account.initial_balance))
  })
})

describe('resting and conditional orders', () => {
  it('a limit order rests, then fills (maker) when the market crosses it', async () => {
    const c = await trader()
    const t = await c.getMarketData('BTCUSDT')
    const price = Math.round(t.bid * 0.998 * 100) / 100
    const order = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price, quantity: 0.05 })
    expect(order).toMatchObject({ status: 'new', filled_quantity: 0, price })
    expect((await c.listOrders({ status: 'open' })).orders.map((o) => o.order_id)).toEqual([order.order_id])
    await advanceUntil(async () => (await c.getOrder(order.order_id)).status === 'filled')
    const filled = await c.getOrder(order.order_id)
    expect(filled.average_price).toBe(price)
    // It only ever made liquidity: no arrival price, no slippage.
    expect([filled.arrival_price, filled.slippage_bps]).toEqual([null, null])
    const [fill] = (await c.getTradeHistory()).trades
    expect(fill).toMatchObject({ liquidity: 'maker', price, quantity: 0.05 })
    expect(fill!.commission).toBeCloseTo(price * 0.05 * 0.0002, 8)
    expect((await c.getPositions()).positions[0]).toMatchObject({ side: 'long', quantity: 0.05, entry_price: price })
    await expectReconciled(c)
  })

  it('stop loss and take profit: one exits, the other is cancelled, the position closes', async () => {
    const c = await trader()
    const t = await c.getMarketData('BTCUSDT')
    const entry = await c.executeTrade({
      symbol: 'BTCUSDT',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
      stop_loss: Math.round(t.price * 0.997 * 100) / 100,
      take_profit: Math.round(t.price * 1.003 * 100) / 100,
    })
    expect(entry.status).toBe('filled')
    const exits = (await c.listOrders({ status: 'open' })).orders
    expect(exits.map((o) => [o.link_type, o.type, o.side, o.quantity, o.parent_order_id]).sort()).toEqual([
      ['stop_loss', 'stop', 'sell', 0.1, entry.order_id],
      ['take_profit', 'limit', 'sell', 0.1, entry.order_id],
    ])
    await advanceUntil(async () => (await c.getPositions()).positions.length === 0, 30_000)
    const after = await Promise.all(exits.map((o) => c.getOrder(o.order_id)))
    const statuses = after.map((o) => o.status).sort()
    expect(statuses).toEqual(['cancelled', 'filled'])
    const cancelled = after.find((o) => o.status === 'cancelled')!
    expect(cancelled.reject_reason).toMatch(/one-cancels-the-other|position closed/)
    await expectReconciled(c)
  })

  it('linked exits are cancelled when the position is closed by another order', async () => {
    const c = await trader()
    const t = await c.getMarketData('ETHUSDT')
    await c.executeTrade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 1, stop_loss: Math.round(t.price * 1.05 * 100) / 100 })
    const [sl] = (await c.listOrders({ status: 'open' })).orders
    expect(sl).toMatchObject({ link_type: 'stop_loss', side: 'buy', stop_price: Math.round(t.price * 1.05 * 100) / 100 })
    await c.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 1 })
    expect(await c.getOrder(sl!.order_id)).toMatchObject({ status: 'cancelled', reject_reason: 'position closed' })
  })

  it('a stop order waits for the last price, then fills as a market order', async () => {
    const c = await trader()
    const t = await c.getMarketData('SOLUSDT')
    const stop = Math.round(t.price * 1.001 * 100) / 100
    const order = await c.executeTrade({ symbol: 'SOLUSDT', side: 'buy', type: 'stop', stop_price: stop, quantity: 10 })
    expect(order).toMatchObject({ status: 'new', stop_price: stop, price: null })
    let last = 0
    await advanceUntil(async () => {
      last = (await c.getMarketData('SOLUSDT')).price
      return (await c.getOrder(order.order_id)).status === 'filled'
    })
    expect(last).toBeGreaterThanOrEqual(stop)
    const filled = await c.getOrder(order.order_id)
    expect(filled.average_price).toBeGreaterThanOrEqual(stop)
    expect((await c.getTradeHistory()).trades.every((f) => f.liquidity === 'taker')).toBe(true)
  })

  it('a stop_limit order triggers on the last price, then fills no worse than its limit', async () => {
    const c = await trader()
    const t = await c.getMarketData('ETHUSDT')
    const stop = Math.round(t.price * 1.001 * 100) / 100
    const limit = Math.round(stop * 1.002 * 100) / 100
    const order = await c.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'stop_limit', stop_price: stop, price: limit, quantity: 0.5 })
    expect(order).toMatchObject({ status: 'new', stop_price: stop, price: limit })
    await advanceUntil(async () => (await c.getOrder(order.order_id)).status === 'filled')
    const fills = (await c.getTradeHistory()).trades
    expect(fills.length).toBeGreaterThan(0)
    expect(fills.every((f) => f.price <= limit)).toBe(true)
  })

  it('stop_loss_percent gives entries without a stop loss a linked one', async () => {
    const c = await trader()
    await c.updateRiskLimits({ stop_loss_percent: 1 })
    const entry = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    const expected = Math.floor(entry.average_price! * 0.99 * 100) / 100
    expect((await c.getOrder(entry.order_id)).stop_loss).toBe(expected)
    const [sl] = (await c.listOrders({ status: 'open' })).orders
    expect(sl).toMatchObject({ link_type: 'stop_loss', type: 'stop', side: 'sell', stop_price: expected, quantity: 0.01, parent_order_id: entry.order_id })
  })

  it('IOC fills what crosses now and expires the rest; FOK is all or nothing', async () => {
    const c = await trader()
    const book = await c.getOrderBook('BTCUSDT', { limit: 2 })
    const [bestAsk, topQty] = book.asks[0]!.map(Number) as [number, number]
    const more = +(topQty + 0.5).toFixed(5)
    const ioc = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: bestAsk, quantity: more, time_in_force: 'IOC' })
    expect(ioc).toMatchObject({ status: 'expired', filled_quantity: topQty, average_price: bestAsk })
    const fok = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: bestAsk, quantity: more, time_in_force: 'FOK' })
    expect(fok).toMatchObject({ status: 'expired', filled_quantity: 0, average_price: null })
    // The IOC took the best level: it stays taken until the book refills at the next tick.
    expect(Number((await c.getOrderBook('BTCUSDT', { limit: 1 })).asks[0]![0])).toBeGreaterThan(bestAsk)
    expect((await c.getMarketData('BTCUSDT')).ask).toBeGreaterThan(bestAsk)
    ctx.clock.advance(1000)
    ctx.services.market.advance()
    const [ask2, qty2] = (await c.getOrderBook('BTCUSDT', { limit: 1 })).asks[0]!.map(Number) as [number, number]
    const fokOk = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: ask2, quantity: qty2, time_in_force: 'FOK' })
    expect(fokOk).toMatchObject({ status: 'filled', filled_quantity: qty2, average_price: ask2 })
    expect((await c.getPositions()).positions[0]!.quantity).toBe(+(topQty + qty2).toFixed(5))
  })

  it('executions consume the book until it refills at the next tick, for every account', async () => {
    const [a, b] = [await trader(), await trader()]
    const before = await a.getOrderBook('BTCUSDT', { limit: 5 })
    const levels = before.asks.map(([p, q]) => [Number(p), Number(q)] as const)
    const [[p1, q1], [p2, q2]] = levels as [[number, number], [number, number]]
    // a takes the first level and part of the second; b's order starts where a's stopped.
    const partOf2 = +(q2 / 2).toFixed(5)
    const first = await a.executeTrade(market(+(q1 + partOf2).toFixed(5)))
    expect(first.average_price).toBeCloseTo((p1 * q1 + p2 * partOf2) / (q1 + partOf2), 2)
    const after = (await b.getOrderBook('BTCUSDT', { limit: 4 })).asks.map(([p, q]) => [Number(p), Number(q)])
    expect(after[0]).toEqual([p2, +(q2 - partOf2).toFixed(5)])
    expect(after.slice(1)).toEqual(levels.slice(2, 5).map(([p, q]) => [p, q]))
    expect(before.bids).toEqual((await b.getOrderBook('BTCUSDT', { limit: 5 })).bids)
    const second = await b.executeTrade(market(0.001))
    expect(second.average_price).toBe(p2)
    // The next tick redraws the book: full depth again.
    ctx.clock.advance(1000)
    ctx.services.market.advance()
    const refilled = await b.getOrderBook('BTCUSDT', { limit: 1 })
    expect(refilled.timestamp).toBeGreaterThan(before.timestamp)
    expect(Number(refilled.asks[0]![1])).toBeGreaterThan(0.001)
  })

  it('DAY orders expire at 00:00 UTC', async () => {
    const c = await trader()
    const t = await c.getMarketData('BTCUSDT')
    const order = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(t.bid * 0.9), quantity: 0.01, time_in_force: 'DAY' })
    ctx.clock.set(Date.UTC(2024, 0, 16, 0, 0, 1))
    ctx.services.market.advance()
    expect(await c.getOrder(order.order_id)).toMatchObject({ status: 'expired' })
  })

  it('cancel: an open order once; then ORDER_NOT_CANCELLABLE; unknown ids ORDER_NOT_FOUND', async () => {
    const c = await trader()
    const other = await trader()
    const t = await c.getMarketData('BTCUSDT')
    const order = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(t.bid * 0.95), quantity: 0.01 })
    expect((await failure(other.cancelOrder(order.order_id))).code).toBe('ORDER_NOT_FOUND')
    const res = await c.cancelOrder(order.order_id)
    expect(res).toMatchObject({ order_id: order.order_id, status: 'cancelled' })
    expect((await c.getOrder(order.order_id)).status).toBe('cancelled')
    const again = await failure(c.cancelOrder(order.order_id))
    expect([again.status, again.code]).toEqual([400, 'ORDER_NOT_CANCELLABLE'])
    const missing = await failure(c.cancelOrder('ord_nope'))
    expect([missing.status, missing.code]).toEqual([404, 'ORDER_NOT_FOUND'])
    expect((await failure(c.getOrder('ord_nope'))).code).toBe('ORDER_NOT_FOUND')
  })
})

describe('order normalisation', () => {
  it("the seed bot's sizing (balance × 2 % / price, stop × 0.98, take profit × 1.06) places an order, nothing silent", async () => {
    const c = await trader()
    const { price } = await c.getMarketData('BTCUSDT')
    const { balances } = await c.getAccount()
    const quantity = (balances[0]!.available * 0.02) / price
    const order = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity, stop_loss: price * 0.98, take_profit: price * 1.06 })
    expect(order.status).toBe('filled')
    expect(order.quantity).toBe(Math.floor(quantity * 1e5) / 1e5)
    expect(order.requested_quantity).toBe(quantity)
    expect(order.stop_loss).toBe(Math.ceil(price * 0.98 * 100) / 100)
    expect(order.take_profit).toBe(Math.ceil(price * 1.06 * 100) / 100)
    expect(order.adjustments.map((a) => a.field).sort()).toEqual(['quantity', 'stop_loss', 'take_profit'])
    expect(order.adjustments.find((a) => a.field === 'stop_loss')).toEqual({ field: 'stop_loss', requested: price * 0.98, applied: order.stop_loss })
    // The listing tells the same, and the linked exits sit at the normalised prices.
    const { orders } = await c.listOrders({ status: 'open' })
    expect(orders.map((o) => [o.link_type, o.stop_price ?? o.price]).sort()).toEqual([['stop_loss', order.stop_loss], ['take_profit', order.take_profit]].sort())
    expect((await c.getOrder(order.order_id)).adjustments).toEqual(order.adjustments)
  })

  it('closing with the exact quantity the position reports always works', async () => {
    const c = await trader()
    await c.executeTrade(market(0.0031361470426447004))
    const [pos] = (await c.getPositions()).positions
    expect(pos!.quantity).toBe(0.00313)
    const close = await c.executeTrade(market(pos!.quantity, { side: 'sell' }))
    expect(close).toMatchObject({ status: 'filled', quantity: pos!.quantity, adjustments: [] })
    expect((await c.getPositions()).positions).toHaveLength(0)
  })

  it('a retry of the very same unnormalised request is the original; another quantity that truncates alike is 409', async () => {
    const c = await trader()
    const first = await c.executeTrade(market(0.0031361, { client_order_id: 'norm-1' }))
    const again = await c.executeTrade(market(0.0031361, { client_order_id: 'norm-1' }))
    expect(again.order_id).toBe(first.order_id)
    const e = await failure(c.executeTrade(market(0.0031369, { client_order_id: 'norm-1' })))
    expect([e.status, e.code, e.details.fields]).toEqual([409, 'IDEMPOTENCY_CONFLICT', ['quantity']])
  })

  it("precision: 'strict' keeps exchange-exact refusals; below the minimum is refused either way", async () => {
    const c = await trader()
    const strict = await failure(c.executeTrade(market(0.0031361, { precision: 'strict' })))
    expect([strict.code, strict.message]).toEqual(['INVALID_ORDER_SIZE', 'quantity 0.0031361 is not a multiple of the lot size 0.00001'])
    const tick = await failure(c.executeTrade(market(0.01, { type: 'limit', price: 60000.005, precision: 'strict' })))
    expect([tick.code, tick.details.field]).toEqual(['INVALID_PRICE', 'price'])
    const tiny = await failure(c.executeTrade(market(0.000001)))
    expect([tiny.code, tiny.message]).toEqual(['INVALID_ORDER_SIZE', 'quantity 0.000001 is below the minimum 0.00001'])
    expect((await c.listOrders()).total_count).toBe(0)
  })

  it('a resting buy limit off the tick rounds down, a sell limit up, and the risk check sees the normalised order', async () => {
    const c = await trader()
    const buy = await c.executeTrade(market(0.01, { type: 'limit', price: 50_000.009 }))
    expect([buy.status, buy.price]).toEqual(['new', 50_000])
    const sell = await c.executeTrade(market(0.01, { side: 'sell', type: 'limit', price: 90_000.001 }))
    expect([sell.status, sell.price]).toEqual(['new', 90_000.01])
    // 0.0500009 BTC is over a 0.05 limit as asked, within it once truncated: the check sees the latter.
    await c.updateRiskLimits({ position_limits: { BTCUSDT: 0.05 } })
    expect((await c.executeTrade(market(0.0500009))).quantity).toBe(0.05)
    expect((await failure(c.executeTrade(market(0.001)))).code).toBe('POSITION_LIMIT_EXCEEDED')
  })
})

describe('denials', () => {
  it('validation: INVALID_SYMBOL, INVALID_ORDER_SIZE, INVALID_PRICE, INVALID_ORDER_TYPE, with the field', async () => {
    const c = await trader()
    const cases: [TradeRequest, string, string | undefined][] = [
      [market(0.1, { symbol: 'NOPEUSDT' }), 'INVALID_SYMBOL', undefined],
      [market(0.000015, { precision: 'strict' }), 'INVALID_ORDER_SIZE', 'quantity'],
      [market(0.000009), 'INVALID_ORDER_SIZE', 'quantity'], // truncates to 0, below the minimum
      [market(0), 'INVALID_ORDER_SIZE', 'quantity'],
      [market(0.00005), 'INVALID_ORDER_SIZE', 'quantity'], // below the 5 USDT minimum notional
      [market(0.1, { type: 'limit', price: 60000.005, precision: 'strict' }), 'INVALID_PRICE', 'price'],
      [market(0.1, { type: 'limit', price: -1 }), 'INVALID_PRICE', 'price'],
      [market(0.1, { stop_loss: 99_999_999 }), 'INVALID_PRICE', 'stop_loss'],
      [market(0.1, { take_profit: 1 }), 'INVALID_PRICE', 'take_profit'],
      [market(0.1, { price: 65000 }), 'INVALID_ORDER_TYPE', 'price'],
      [market(0.1, { type: 'limit' }), 'INVALID_ORDER_TYPE', 'price'],
      [market(0.1, { type: 'stop' }), 'INVALID_ORDER_TYPE', 'stop_price'],
      [market(0.1, { type: 'stop_limit', price: 65000 }), 'INVALID_ORDER_TYPE', 'stop_price'],
    ]
    for (const [req, code, field] of cases) {
      const e = await failure(c.executeTrade(req))
      expect([e.status, e.code, e.details.field]).toEqual([400, code, field])
    }
    expect((await c.listOrders()).total_count).toBe(0)
  })

  it('INSUFFICIENT_BALANCE carries required vs available and writes a risk event', async () => {
    const c = await trader()
    const e = await failure(c.executeTrade(market(2)))
    expect(e.code).toBe('INSUFFICIENT_BALANCE')
    expect(e.details.required).toBeGreaterThan(100_000)
    expect(e.details.available).toBe(100_000)
    expect((await c.getPositions()).positions).toHaveLength(0)
    const { events } = await c.getRiskEvents()
    expect(events[0]).toMatchObject({ type: 'order_denied', severity: 'high', resolved: false, symbol: 'BTCUSDT' })
    expect(events[0]!.details.code).toBe('INSUFFICIENT_BALANCE')
  })

  it('POSITION_LIMIT_EXCEEDED from per-symbol limits and max_position_size; reducing orders pass', async () => {
    const c = await trader()
    await c.updateRiskLimits({ position_limits: { BTCUSDT: 0.15 }, max_position_size: 3 })
    await c.executeTrade(market(0.1))
    const e = await failure(c.executeTrade(market(0.1)))
    expect(e.code).toBe('POSITION_LIMIT_EXCEEDED')
    expect(e.details).toMatchObject({ symbol: 'BTCUSDT', limit: 0.15, current: 0.1, requested: 0.1, resulting: 0.2 })
    const eth = await failure(c.executeTrade(market(4, { symbol: 'ETHUSDT' })))
    expect(eth.details).toMatchObject({ symbol: 'ETHUSDT', limit: 3 })
    expect((await c.executeTrade(market(0.1, { side: 'sell' }))).status).toBe('filled')
  })

  it('DAILY_LOSS_LIMIT_EXCEEDED and MAX_DRAWDOWN_EXCEEDED block new exposure only', async () => {
    const c = await trader()
    await c.executeTrade(market(0.5)) // commissions and the spread: equity now below the day's start
    const m = await c.getRiskMetrics()
    expect(m.daily_loss).toBeGreaterThan(0)
    await c.updateRiskLimits({ max_daily_loss: m.daily_loss / 2 })
    const daily = await failure(c.executeTrade(market(0.1)))
    expect(daily.code).toBe('DAILY_LOSS_LIMIT_EXCEEDED')
    expect(daily.details.limit).toBe(m.daily_loss / 2)
    await c.updateRiskLimits({ max_daily_loss: null, max_drawdown: 0.00001 })
    const dd = await failure(c.executeTrade(market(0.1)))
    expect(dd.code).toBe('MAX_DRAWDOWN_EXCEEDED')
    expect((await c.executeTrade(market(0.2, { side: 'sell' }))).status).toBe('filled')
    const { events } = await c.getRiskEvents({ severity: 'critical' })
    expect(events.map((e) => e.details.code).filter(Boolean)).toEqual(['MAX_DRAWDOWN_EXCEEDED', 'DAILY_LOSS_LIMIT_EXCEEDED'])
  })

  it('TRADING_PAUSED while paused (globally or for the account); resuming resolves its events', async () => {
    const c = await trader()
    const admin = new SMCClient(ctx.adminToken, { baseUrl: server.url, fetch, retry: false })
    const paused = await admin.pauseTrading({ reason: 'maintenance' })
    expect(paused).toMatchObject({ status: 'paused', scope: 'global', user_id: null, reason: 'maintenance', resume_at: null, orders_cancelled: 0 })
    const e = await failure(c.executeTrade(market(0.01)))
    expect([e.code, e.details.scope, e.details.reason, e.details.resume_at]).toEqual(['TRADING_PAUSED', 'global', 'maintenance', null])
    expect(await c.getTradingStatus()).toMatchObject({ status: 'paused', scope: 'global', reason: 'maintenance', paused_at: paused.paused_at })
    expect(await admin.resumeTrading()).toMatchObject({ status: 'active', scope: 'global', reason: null, paused_at: null })
    expect((await c.getTradingStatus()).status).toBe('active')
    expect((await c.executeTrade(market(0.01))).status).toBe('filled')
    const [event] = (await c.getRiskEvents()).events.filter((x) => x.details.code === 'TRADING_PAUSED')
    expect(event!.resolved).toBe(true)
  })
})

describe('trading pause (admin)', () => {
  const adminClient = () => new SMCClient(ctx.adminToken, { baseUrl: server.url, fetch, retry: false })

  it('an account pause stops that user only; closing orders still go through', async () => {
    const [a, b] = [await trader(), await trader()]
    expect((await a.executeTrade(market(0.02))).status).toBe('filled')
    const control = await adminClient().pauseTrading({ user_id: `trader${user - 1}`, reason: 'runaway bot' })
    expect(control).toMatchObject({ status: 'paused', scope: 'account', user_id: `trader${user - 1}` })
    expect((await failure(a.executeTrade(market(0.01)))).details).toMatchObject({ scope: 'account', reason: 'runaway bot' })
    // Reversing through zero adds exposure: denied; reducing is always allowed, so a trader can get flat.
    expect((await failure(a.executeTrade(market(0.03, { side: 'sell' })))).code).toBe('TRADING_PAUSED')
    expect((await a.executeTrade(market(0.02, { side: 'sell' }))).status).toBe('filled')
    expect((await a.getPositions({ status: 'open' })).positions).toEqual([])
    expect((await b.executeTrade(market(0.01))).status).toBe('filled')
    expect((await b.getTradingStatus()).status).toBe('active')
    await adminClient().resumeTrading({ user_id: `trader${user - 1}` })
    expect((await a.executeTrade(market(0.01))).status).toBe('filled')
  })

  it('a timed pause lifts by itself; pausing again keeps its start and replaces reason and duration', async () => {
    const c = await trader()
    const admin = adminClient()
    const first = await admin.pauseTrading({ reason: 'one', duration_seconds: 600 })
    expect(Date.parse(first.resume_at!) - Date.parse(first.paused_at!)).toBe(600_000)
    ctx.clock.advance(60_000)
    const again = await admin.pauseTrading({ reason: 'two', duration_seconds: 120 })
    expect(again.paused_at).toBe(first.paused_at)
    expect(Date.parse(again.resume_at!) - ctx.clock.now()).toBe(120_000)
    expect((await failure(c.executeTrade(market(0.01)))).details.resume_at).toBe(again.resume_at)
    ctx.clock.advance(120_000)
    // Exactly at resume_at the pause is over, before any tick records it.
    expect((await c.getTradingStatus()).status).toBe('active')
    expect((await c.executeTrade(market(0.01))).status).toBe('filled')
    ctx.services.market.advance()
    const events = (await c.getRiskEvents()).events.filter((x) => x.details.code === 'TRADING_PAUSED')
    expect(events.length).toBe(1)
    expect(events[0]!.resolved).toBe(true)
  })

  it('holds resting orders that add exposure (they fill after resuming); cancel_orders cancels them', async () => {
    const c = await trader()
    const t = await c.getMarketData('BTCUSDT')
    const price = Math.round(t.bid * 0.999 * 100) / 100
    const held = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price, quantity: 0.05 })
    const admin = adminClient()
    await admin.pauseTrading({ reason: 'hold' })
    // Move the market until it trades through the limit: the order must still be open.
    await advanceUntil(async () => (await c.getMarketData('BTCUSDT')).ask <= price)
    expect((await c.getOrder(held.order_id)).status).toBe('new')
    await admin.resumeTrading()
    await advanceUntil(async () => (await c.getOrder(held.order_id)).status === 'filled')

    const other = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round((await c.getMarketData('BTCUSDT')).bid * 0.99 * 100) / 100, quantity: 0.01 })
    const stopped = await admin.pauseTrading({ reason: 'flatten books', cancel_orders: true })
    expect(stopped.orders_cancelled).toBe(1)
    expect(await c.getOrder(other.order_id)).toMatchObject({ status: 'cancelled' })
    expect((await c.listOrders({ status: 'open' })).orders).toEqual([])
    await expectReconciled(c)
  })

  it('emergency stop: pauses everything, cancels every open order and flattens every position', async () => {
    const [a, b] = [await trader(), await trader()]
    const t = await a.getMarketData('BTCUSDT')
    await a.executeTrade(market(0.05, { stop_loss: Math.round(t.price * 0.9 * 100) / 100 }))
    await b.executeTrade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 0.5 })
    await b.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: Math.round(t.bid * 0.95 * 100) / 100, quantity: 0.01 })
    const admin = adminClient()
    // A wrong confirmation phrase changes nothing.
    const wrong = await failure(admin.emergencyStop({ confirmation: 'yes' as never, reason: 'oops' }))
    expect([wrong.code, wrong.details.field]).toEqual(['VALIDATION_FAILED', 'confirmation'])
    expect((await a.getTradingStatus()).status).toBe('active')

    const stop = await admin.emergencyStop({ confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'feed anomaly', flatten_positions: true })
    expect(stop).toMatchObject({ status: 'emergency_stopped', reason: 'feed anomaly', orders_cancelled: 2, positions_flattened: 2, positions_open: 0 })
    expect(stop.incident_id).toMatch(/^inc_/)
    for (const c of [a, b]) {
      expect((await c.getPositions({ status: 'open' })).positions).toEqual([])
      expect((await c.listOrders({ status: 'open' })).orders).toEqual([])
      expect(await c.getTradingStatus()).toMatchObject({ status: 'paused', scope: 'global', reason: 'Emergency stop: feed anomaly', resume_at: null })
      expect((await failure(c.executeTrade(market(0.01)))).code).toBe('TRADING_PAUSED')
      await expectReconciled(c)
    }
    await admin.resumeTrading()
    expect((await a.executeTrade(market(0.01))).status).toBe('filled')
  })

  it('validates the request and is for administrators only', async () => {
    const c = await trader()
    const admin = adminClient()
    for (const bad of [{ duration_seconds: 0 }, { duration_seconds: 1.5 }, { reason: '' }, { cancel_orders: 'yes' }, { markets: [] }, { markets: ['BTCUSDT'], user_id: 'x' }])
      expect((await failure(admin.pauseTrading(bad as never))).code).toBe('VALIDATION_FAILED')
    expect((await failure(c.pauseTrading({}))).code).toBe('INSUFFICIENT_PERMISSIONS')
    expect((await failure(c.resumeTrading({}))).code).toBe('INSUFFICIENT_PERMISSIONS')
    expect((await failure(c.emergencyStop({ confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'x' }))).code).toBe('INSUFFICIENT_PERMISSIONS')
    expect((await c.getTradingStatus()).status).toBe('active')
  })
})

describe('idempotency', () => {
  it('50 concurrent submits of one client_order_id create exactly one order', async () => {
    const c = await trader()
    const req = market(0.01, { client_order_id: 'dup-1' })
    const results: Order[] = await Promise.all(Array.from({ length: 50 }, () => c.executeTrade(req)))
    expect(new Set(results.map((o) => o.order_id)).size).toBe(1)
    expect((await c.listOrders()).total_count).toBe(1)
    expect((await c.getTradeHistory()).total_count).toBeGreaterThan(0)
    expect((await c.getPositions()).positions[0]!.quantity).toBe(0.01)
    // Another account may use the same id.
    const other = await trader()
    expect((await other.executeTrade(req)).order_id).not.toBe(results[0]!.order_id)
  })

  it('a repeat answers 200 with the original order, the first 201', async () => {
    const token = await ctx.token(['write_trades'], 'idem')
    const body = { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01, client_order_id: 'x1' }
    const first = await ctx.call('POST', '/v1/trades', { token, body })
    const again = await ctx.call('POST', '/v1/trades', { token, body })
    expect([first.status, again.status]).toEqual([201, 200])
    expect((await again.json()).order_id).toBe((await first.json()).order_id)
    // The same id for another order is refused, not silently answered with the original.
    const other = await ctx.call('POST', '/v1/trades', { token, body: { ...body, quantity: 0.02 } })
    expect(other.status).toBe(409)
    expect((await other.json()).error.details.fields).toEqual(['quantity'])
  })
})

describe('history and risk reads', () => {
  it('trade history paginates (for await) and filters by symbol, dates and order status', async () => {
    const c = await trader()
    for (let i = 0; i < 5; i++) {
      await c.executeTrade(market(0.01))
      await c.executeTrade(market(1, { symbol: 'SOLUSDT' }))
      ctx.clock.advance(60_000)
      ctx.services.market.advance()
    }
    const page = await c.getTradeHistory({ symbol: 'BTCUSDT', limit: 2, page: 2 })
    expect([page.total_count, page.page, page.total_pages, page.trades.length]).toEqual([5, 2, 3, 2])
    const all = []
    for await (const t of c.tradeHistory({ limit: 3 })) all.push(t)
    expect(all).toHaveLength(10)
    expect(new Set(all.map((t) => t.id)).size).toBe(10)
    const start = new Date(ctx.clock.now() - 2 * 60_000).toISOString()
    expect((await c.getTradeHistory({ start_date: start })).total_count).toBe(4)
    expect((await c.getTradeHistory({ status: 'cancelled' })).total_count).toBe(0)
    expect((await c.getTradeHistory({ status: 'filled' })).total_count).toBe(10)
    const orders = []
    for await (const o of c.orders({ limit: 4 })) orders.push(o)
    expect(orders).toHaveLength(10)
  })

  it('risk metrics come from the ledger; warnings at 80 % are written and resolved', async () => {
    const c = await trader()
    await c.updateRiskLimits({ position_limits: { BTCUSDT: 0.5 } })
    await c.executeTrade(market(0.45))
    const m = await c.getRiskMetrics()
    const account = await c.getAccount()
    expect(m.account_balance).toBe(account.balance)
    expect(m.total_exposure).toBeCloseTo(account.margin_used, 8)
    expect(m.position_limits.BTCUSDT).toEqual({ used: 0.45, limit: 0.5 })
    expect(m.position_limits.total!.used).toBeCloseTo(m.total_exposure, 6)
    expect(m.var_95).toBeGreaterThan(0)
    expect(m.risk_score).toBeGreaterThan(0)
    expect(m.risk_score).toBeLessThanOrEqual(1)
    expect(m.margin_used + m.margin_available).toBeCloseTo(100, 6)
    const warnings = (await c.getRiskEvents({ resolved: false })).events
    expect(warnings.map((e) => [e.type, e.severity, e.symbol])).toEqual([['position_limit_warning', 'medium', 'BTCUSDT']])
    await c.executeTrade(market(0.3, { side: 'sell' }))
    const [resolved] = (await c.getRiskEvents()).events
    expect(resolved).toMatchObject({ type: 'position_limit_warning', resolved: true })
    expect(resolved!.resolved_at).not.toBeNull()
  })
})
