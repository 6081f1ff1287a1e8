import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSocket } from '../../../testing'
import { plantedContext, type PlantedContext } from './planted.test-helpers'

// PATCH /v1/positions/{id} (issue 17): moving, adding and removing a position's linked exits, on a
// planted market so a moved stop is then hit on purpose.
let t: PlantedContext
beforeEach(async () => {
  t = await plantedContext()
})
afterEach(() => t.ctx.close())

const patch = (id: string, body: unknown, token?: string) => t.json('PATCH', `/v1/positions/${id}`, body, token)
const exits = async (): Promise<any[]> =>
  ((await t.json('GET', '/v1/orders?status=open')).body.orders as any[]).filter((o) => o.link_type !== null)
const openPosition = async (symbol: string): Promise<any> => ((await t.json('GET', `/v1/positions?symbol=${symbol}`)).body.positions as any[])[0]

describe('PATCH /v1/positions/{id}: validation', () => {
  it('refuses exits on the wrong side of the price, bad bodies, unknown, foreign and closed positions', async () => {
    await t.trade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1 })
    await t.trade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 1 })
    const long = await openPosition('BTCUSDT')
    const short = await openPosition('ETHUSDT')
    const lp = long.current_price
    const sp = short.current_price
    const cases: [string, unknown, string][] = [
      [long.id, { stop_loss: lp * 1.01 }, 'stop_loss'],
      [long.id, { stop_loss: lp }, 'stop_loss'],
      [long.id, { take_profit: lp * 0.99 }, 'take_profit'],
      [short.id, { stop_loss: sp * 0.99 }, 'stop_loss'],
      [short.id, { take_profit: sp * 1.01 }, 'take_profit'],
      [long.id, { stop_loss: 0 }, 'stop_loss'],
      [long.id, { stop_loss: -5 }, 'stop_loss'],
      [long.id, { take_profit: 'high' }, 'take_profit'],
    ]
    for (const [id, body, field] of cases) {
      const r = await patch(id, body)
      expect([r.status, r.body.error.code, r.body.error.details.field], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED', field])
    }
    for (const body of [{}, { stop: 1 }]) expect((await patch(long.id, body)).body.error.code).toBe('VALIDATION_FAILED')
    // Nothing was changed by the refusals.
    expect(await exits()).toEqual([])

    expect((await patch('pos_nope', { stop_loss: lp * 0.9 })).body.error.code).toBe('POSITION_NOT_FOUND')
    const other = await t.ctx.token(['read_trades', 'write_trades'], 'other-trader')
    const foreign = await patch(long.id, { stop_loss: lp * 0.9 }, other)
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'POSITION_NOT_FOUND'])
    const reader = await t.ctx.token(['read_trades'], 'rt-trader')
    expect((await patch(long.id, { stop_loss: lp * 0.9 }, reader)).status).toBe(403)

    await t.trade({ symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: 0.1 })
    const closed = await patch(long.id, { stop_loss: lp * 0.9 })
    expect([closed.status, closed.body.error.code, closed.body.error.details]).toEqual([400, 'INVALID_STATE_TRANSITION', { position_id: long.id, status: 'closed' }])
  })
})

describe('PATCH /v1/positions/{id}: moving exits', () => {
  it('a moved stop replaces the old one in the same OCO group, then triggers at the new price', async () => {
    const p = t.ctx.services.market.ticker('BTCUSDT').price
    const entry = await t.trade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1, stop_loss: p * 0.95, take_profit: p * 1.05 })
    const pos = await openPosition('BTCUSDT')
    const before = await exits()
    const oldStop = before.find((o) => o.link_type === 'stop_loss')

    const socket = await openSocket(`${(await t.ctx.listen()).wsUrl}`, { token: t.token })
    socket.send({ action: 'subscribe', channels: ['trades', 'positions'] })
    await socket.next('subscribed')

    // Off the tick grid: a long's stop rounds up (toward the entry), as order entry rounds it.
    const asked = Math.round(p * 0.99 * 100) / 100 + 0.004
    const r = await patch(pos.id, { stop_loss: asked })
    expect(r.status).toBe(200)
    const applied = Math.ceil(asked * 100) / 100
    expect(r.body).toMatchObject({ id: pos.id, stop_loss: applied, take_profit: entry.take_profit, initial_risk: pos.initial_risk })

    const now = await exits()
    const stop = now.find((o) => o.link_type === 'stop_loss')
    expect(stop).toMatchObject({ type: 'stop', side: 'sell', stop_price: applied, quantity: 0.1, status: 'new', parent_order_id: entry.order_id })
    expect(stop.order_id).not.toBe(oldStop.order_id)
    expect((await t.json('GET', `/v1/orders/${oldStop.order_id}`)).body).toMatchObject({ status: 'cancelled', reject_reason: `stop_loss moved to ${applied} by the trader` })
    // Through the stream: the old stop cancelled, the new one placed (frames checked against the contract).
    const cancelled = await socket.next((f) => f.type === 'trade_update' && f.data.order_id === oldStop.order_id)
    expect(cancelled.data).toMatchObject({ event: 'cancelled', status: 'cancelled' })
    const placed = await socket.next((f) => f.type === 'trade_update' && f.data.order_id === stop.order_id)
    expect(placed.data).toMatchObject({ event: 'placed', status: 'new' })

    t.move('BTCUSDT', { high: 1.001, low: 0.97, close: 0.975 })
    t.play(120_000)
    const trip = (await t.json('GET', '/v1/round-trips')).body.round_trips[0]
    expect(trip).toMatchObject({ position_id: pos.id, exit_reason: 'STOP_LOSS' })
    // Filled at (or just past) the new stop, far above the old one.
    expect(trip.exit_price).toBeLessThanOrEqual(applied)
    expect(trip.exit_price).toBeGreaterThan(p * 0.985)
    expect((await t.json('GET', `/v1/orders/${stop.order_id}`)).body.status).toBe('filled')
    // Its take profit went with it (OCO / position closed).
    expect(await exits()).toEqual([])
    await socket.close()
  })

  it('adds exits to a position that had none (the first stop is its initial risk), moves one, removes one', async () => {
    const entry = await t.trade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 2 })
    const pos = await openPosition('ETHUSDT')
    expect(pos).toMatchObject({ stop_loss: null, take_profit: null, initial_risk: null })
    const sp = pos.current_price
    const sl = Math.round(sp * 1.02 * 100) / 100
    const tp = Math.round(sp * 0.97 * 100) / 100
    const added = (await patch(pos.id, { stop_loss: sl, take_profit: tp })).body
    expect(added).toMatchObject({ stop_loss: sl, take_profit: tp })
    expect(added.initial_risk).toBeCloseTo(Math.abs(entry.average_price - sl) * 2, 6)
    const both = await exits()
    expect(both.map((o) => [o.link_type, o.type, o.side, o.quantity, o.parent_order_id]).sort()).toEqual([
      ['stop_loss', 'stop', 'buy', 2, entry.order_id],
      ['take_profit', 'limit', 'buy', 2, entry.order_id],
    ])

    // Moving the stop later does not move the initial risk.
    const tighter = Math.round(sp * 1.01 * 100) / 100
    const moved = (await patch(pos.id, { stop_loss: tighter })).body
    expect(moved).toMatchObject({ stop_loss: tighter, take_profit: tp, initial_risk: added.initial_risk })

    const removed = (await patch(pos.id, { take_profit: null })).body
    expect(removed).toMatchObject({ stop_loss: tighter, take_profit: null })
    expect((await exits()).map((o) => o.link_type)).toEqual(['stop_loss'])
    expect(await openPosition('ETHUSDT')).toMatchObject({ stop_loss: tighter, take_profit: null })
  })
})
