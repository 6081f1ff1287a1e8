import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { plantedContext, type PlantedContext } from './planted.test-helpers'

// Positions' exits, R figures, duration and 1× margin fields (issue 17), on a planted market.
let t: PlantedContext
beforeEach(async () => {
  t = await plantedContext()
})
afterEach(() => t.ctx.close())

const position = async (id: string): Promise<any> => {
  const r = await t.json('GET', `/v1/positions/${id}`)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body
}
const openPositions = async (): Promise<any[]> => (await t.json('GET', '/v1/positions')).body.positions
const fills = async (): Promise<any[]> => (await t.json('GET', '/v1/trades/history?limit=1000')).body.trades

describe('position fields', () => {
  it('an open long shows its working exits, initial risk, unrealized R, 1× margin and duration', async () => {
    const p = t.ctx.services.market.ticker('BTCUSDT').price
    const entry = await t.trade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1, stop_loss: p * 0.99, take_profit: p * 1.02 })
    t.play(30_000)
    const [pos] = await openPositions()
    const entryPrice = entry.average_price
    const risk = Math.abs(entryPrice - entry.stop_loss) * 0.1
    expect(pos).toMatchObject({ stop_loss: entry.stop_loss, take_profit: entry.take_profit, leverage: 1, liquidation_price: null, r_multiple: null, duration_seconds: 30 })
    expect(pos.initial_risk).toBeCloseTo(risk, 6)
    expect(pos.unrealized_r).toBeCloseTo(pos.unrealized_pnl / risk, 3)
    expect(pos.margin).toBeCloseTo(pos.quantity * pos.current_price, 6)
    expect(await position(pos.id)).toEqual(pos)
  })

  it('without a stop loss: no exits, no initial risk, no R; the risk limits\' default stop gives one', async () => {
    await t.trade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 1 })
    const [plain] = await openPositions()
    expect(plain).toMatchObject({ side: 'short', stop_loss: null, take_profit: null, initial_risk: null, unrealized_r: null, r_multiple: null })

    expect((await t.json('PUT', '/v1/risk/limits', { stop_loss_percent: 2 })).status).toBe(200)
    const entry = await t.trade({ symbol: 'SOLUSDT', side: 'buy', type: 'market', quantity: 10 })
    const sol = (await openPositions()).find((x) => x.symbol === 'SOLUSDT')
    const stop = (await t.json('GET', `/v1/orders/${entry.order_id}`)).body.stop_loss
    expect(sol.stop_loss).toBe(stop)
    expect(sol.initial_risk).toBeCloseTo(Math.abs(entry.average_price - stop) * 10, 6)
  })

  it('position R figures after a stop-out: initial risk kept, r_multiple ≈ −1 minus fees', async () => {
    const p = t.ctx.services.market.ticker('BTCUSDT').price
    const entry = await t.trade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.2, stop_loss: p * 0.99 })
    const [open] = await openPositions()
    t.move('BTCUSDT', { high: 1.001, low: 0.98, close: 0.985 })
    t.play(120_000)
    expect(await openPositions()).toEqual([])
    const closed = await position(open.id)

    // Independently: the risk from the entry's fill and its stop, the outcome from the fills.
    const all = await fills()
    const entryFills = all.filter((f) => f.side === 'buy')
    const entryPrice = entryFills.reduce((s, f) => s + f.price * f.quantity, 0) / 0.2
    const risk = Math.abs(entryPrice - entry.stop_loss) * 0.2
    const fees = all.reduce((s, f) => s + f.commission, 0)
    const net = all.reduce((s, f) => s + f.pnl, 0) - fees
    expect(closed).toMatchObject({ status: 'closed', stop_loss: null, take_profit: null, unrealized_r: null, margin: 0, leverage: 1 })
    expect(closed.initial_risk).toBeCloseTo(risk, 6)
    expect(closed.r_multiple).toBeCloseTo(net / risk, 3)
    // A stop fills at (or past) its price as a market order: −1 R, minus the fees in R, minus the
    // slippage past the stop in R (the planted fall moves about 0.1 % a second).
    const exitFills = all.filter((f) => f.side === 'sell')
    const exitPrice = exitFills.reduce((s, f) => s + f.price * f.quantity, 0) / 0.2
    expect(exitPrice).toBeLessThanOrEqual(entry.stop_loss)
    const slip = ((entry.stop_loss - exitPrice) * 0.2) / risk
    expect(closed.r_multiple).toBeCloseTo(-1 - fees / risk - slip, 3)
    expect(closed.r_multiple).toBeLessThan(-1 - fees / risk + 0.0001)
    expect(closed.r_multiple).toBeGreaterThan(-1 - fees / risk - 0.1)
    expect(closed.duration_seconds).toBe((Date.parse(closed.closed_at) - Date.parse(closed.created_at)) / 1000)
    // Closed: the duration no longer grows.
    t.play(10_000)
    expect((await position(open.id)).duration_seconds).toBe(closed.duration_seconds)
    expect((await t.json('GET', '/v1/round-trips')).body.round_trips[0]).toMatchObject({ position_id: open.id, exit_reason: 'STOP_LOSS' })
  })
})
