import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { plantedContext, type PlantedContext } from './planted.test-helpers'

// GET /v1/round-trips (issue 17): every exit reason produced on purpose on a planted market, the
// figures recomputed from the fills, and the list's paging and filters.
let t: PlantedContext
beforeEach(async () => {
  t = await plantedContext()
})
afterEach(() => t.ctx.close())

const trips = async (query = ''): Promise<any> => {
  const r = await t.json('GET', `/v1/round-trips${query}`)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body
}

/** The round trip's figures from the fills alone (the account's only round trip). */
async function fromFills(): Promise<{ pnl: number; fees: number; entry: number; exit: number; qty: number }> {
  const fills: any[] = (await t.json('GET', '/v1/trades/history?limit=1000')).body.trades
  const buys = fills.filter((f) => f.side === 'buy')
  const sells = fills.filter((f) => f.side === 'sell')
  const vwap = (xs: any[]) => xs.reduce((s, f) => s + f.price * f.quantity, 0) / xs.reduce((s, f) => s + f.quantity, 0)
  const fees = fills.reduce((s, f) => s + f.commission, 0)
  return {
    pnl: fills.reduce((s, f) => s + f.pnl, 0) - fees,
    fees,
    entry: vwap(buys),
    exit: vwap(sells),
    qty: buys.reduce((s, f) => s + f.quantity, 0),
  }
}

describe('GET /v1/round-trips: exit reasons', () => {
  it('a take profit hit is TAKE_PROFIT, with the fills\' prices, net PnL, fees and duration', async () => {
    const p = t.ctx.services.market.ticker('BTCUSDT').price
    const entry = await t.trade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1, take_profit: Math.round(p * 1.01) })
    t.move('BTCUSDT', { high: 1.02, low: 0.999, close: 1.015 })
    t.play(120_000)
    const body = await trips()
    expect(body).toMatchObject({ total_count: 1, limit: 100, offset: 0, has_more: false })
    const [rt] = body.round_trips
    const f = await fromFills()
    expect(rt).toMatchObject({ symbol: 'BTCUSDT', side: 'long', quantity: 0.1, exit_reason: 'TAKE_PROFIT' })
    expect(rt.exit_price).toBeGreaterThanOrEqual(Math.round(p * 1.01))
    expect(rt.entry_price).toBeCloseTo(f.entry, 6)
    expect(rt.exit_price).toBeCloseTo(f.exit, 6)
    expect(rt.pnl).toBeCloseTo(f.pnl, 6)
    expect(rt.fees).toBeCloseTo(f.fees, 8)
    expect(rt.duration_seconds).toBe((Date.parse(rt.closed_at) - Date.parse(rt.opened_at)) / 1000)
    expect(Date.parse(rt.opened_at)).toBe(Date.parse(entry.created_at))
    expect(rt.duration_seconds).toBeGreaterThan(0)
  })

  it('a stop loss hit is STOP_LOSS (a short: its stop above)', async () => {
    const p = t.ctx.services.market.ticker('ETHUSDT').price
    await t.trade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 1, stop_loss: Math.round(p * 1.01) })
    t.move('ETHUSDT', { high: 1.02, low: 0.999, close: 1.015 })
    t.play(120_000)
    const [rt] = (await trips()).round_trips
    expect(rt).toMatchObject({ symbol: 'ETHUSDT', side: 'short', quantity: 1, exit_reason: 'STOP_LOSS' })
    expect(rt.pnl).toBeLessThan(0)
  })

  it('DELETE /v1/positions (close all) is MANUAL; an ordinary closing order is SIGNAL', async () => {
    await t.trade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1 })
    t.play(5_000)
    await t.trade({ symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: 0.1 })
    t.play(5_000)
    await t.trade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 1 })
    t.play(5_000)
    expect((await t.json('DELETE', '/v1/positions')).body.closed_count).toBe(1)
    const body = await trips()
    // Newest close first.
    expect(body.round_trips.map((r: any) => [r.symbol, r.exit_reason])).toEqual([
      ['ETHUSDT', 'MANUAL'],
      ['BTCUSDT', 'SIGNAL'],
    ])
  })

  it('a reversal closes the first round trip as SIGNAL and opens the next', async () => {
    await t.trade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1 })
    t.play(5_000)
    await t.trade({ symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: 0.3 })
    const body = await trips()
    expect(body.round_trips).toHaveLength(1)
    expect(body.round_trips[0]).toMatchObject({ side: 'long', quantity: 0.1, exit_reason: 'SIGNAL' })
    const open = (await t.json('GET', '/v1/positions')).body.positions
    expect(open.map((p: any) => [p.side, p.quantity])).toEqual([['short', 0.2]])
  })

  it("an administrator's emergency stop that flattens positions is EMERGENCY_STOP", async () => {
    await t.trade({ symbol: 'SOLUSDT', side: 'buy', type: 'market', quantity: 10 })
    t.play(5_000)
    const stop = await t.json('POST', '/v1/admin/emergency-stop', { confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'test', flatten_positions: true }, t.ctx.adminToken)
    expect(stop.status).toBe(200)
    expect((await trips()).round_trips.map((r: any) => r.exit_reason)).toEqual(['EMERGENCY_STOP'])
  })
})

describe('GET /v1/round-trips: the list', () => {
  it('pages newest first, filters by symbol and by close time, and only shows the caller\'s', async () => {
    const closedAt: number[] = []
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'BTCUSDT']) {
      const qty = symbol === 'BTCUSDT' ? 0.1 : 1
      await t.trade({ symbol, side: 'buy', type: 'market', quantity: qty })
      t.play(60_000)
      await t.trade({ symbol, side: 'sell', type: 'market', quantity: qty })
      closedAt.push(t.ctx.clock.now())
      t.play(60_000)
    }
    const all = await trips()
    expect(all.round_trips.map((r: any) => Date.parse(r.closed_at))).toEqual([...closedAt].reverse())
    expect(all.round_trips.every((r: any) => r.duration_seconds === 60)).toBe(true)

    const page = await trips('?limit=2&offset=0')
    expect(page).toMatchObject({ total_count: 3, limit: 2, offset: 0, has_more: true })
    expect(page.round_trips).toEqual(all.round_trips.slice(0, 2))
    const last = await trips('?limit=2&offset=2')
    expect(last).toMatchObject({ total_count: 3, has_more: false })
    expect(last.round_trips).toEqual(all.round_trips.slice(2))

    expect((await trips('?symbol=btcusdt')).round_trips.map((r: any) => Date.parse(r.closed_at))).toEqual([closedAt[2], closedAt[0]])
    const iso = (ms: number) => new Date(ms).toISOString()
    const window = await trips(`?start_date=${iso(closedAt[1]!)}&end_date=${iso(closedAt[2]!)}`)
    expect(window.round_trips.map((r: any) => Date.parse(r.closed_at))).toEqual([closedAt[2], closedAt[1]])

    const bad = await t.json('GET', `/v1/round-trips?start_date=${iso(closedAt[2]!)}&end_date=${iso(closedAt[0]!)}`)
    expect([bad.status, bad.body.error.code, bad.body.error.details.field]).toEqual([400, 'VALIDATION_FAILED', 'start_date'])

    const other = await t.ctx.token(['read_trades'], 'someone-else')
    expect((await t.json('GET', '/v1/round-trips', undefined, other)).body).toMatchObject({ round_trips: [], total_count: 0, has_more: false })
    const noScope = await t.ctx.token(['read_market_data'], 'rt-trader')
    expect((await t.json('GET', '/v1/round-trips', undefined, noScope)).status).toBe(403)
  })
})
