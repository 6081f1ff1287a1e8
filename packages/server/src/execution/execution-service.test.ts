import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DomainEvent } from '../core'
import { tables } from '../store'
import { createTestContext, type TestContext } from '../testing'

let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  token = await ctx.token(['read_trades', 'write_trades', 'read_risk_metrics'], 'alice')
})
afterEach(() => ctx.close())

const buy = (quantity: number, extra: Record<string, unknown> = {}) =>
  ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity, ...extra } })

describe('domain events', () => {
  it('trade_update and position_update are published after the commit, with the documented fields', async () => {
    const seen: { event: DomainEvent; stored: boolean }[] = []
    ctx.services.events.subscribe((event) => {
      // What a listener sees must already be in the store.
      const id = (event.data as { order_id?: string; position_id?: string }).order_id
      const pid = (event.data as { position_id?: string }).position_id
      const db = ctx.services.db.$client
      const stored = id
        ? db.prepare('select 1 from orders where id = ?').get(id) !== undefined
        : db.prepare('select 1 from positions where id = ?').get(pid) !== undefined
      seen.push({ event, stored })
    })
    const res = await buy(0.01, { client_order_id: 'evt-1' })
    expect(res.status).toBe(201)
    const order = await res.json()
    expect(seen.every((s) => s.stored)).toBe(true)
    const kinds = seen.map((s) => `${s.event.kind}:${(s.event.data as { status?: string }).status ?? ''}`)
    expect(kinds[0]).toBe('trade_update:new')
    expect(kinds.at(-2)).toBe('trade_update:filled')
    expect(kinds.at(-1)).toBe('position_update:')
    const trade = seen.find((s) => s.event.kind === 'trade_update' && (s.event.data as { status: string }).status === 'filled')!.event
    expect(trade).toMatchObject({ accountId: ctx.services.execution.accountIdOf('alice'), userId: 'alice', symbol: 'BTCUSDT' })
    expect(Object.keys(trade.data).sort()).toEqual(
      [
        ...['order_id', 'client_order_id', 'symbol', 'side', 'type', 'quantity', 'price', 'status', 'event', 'filled_quantity', 'average_price'],
        ...['trade_id', 'fill_price', 'fill_quantity', 'fee', 'realized_pnl', 'liquidity', 'timestamp'],
      ].sort(),
    )
    expect(trade.data).toMatchObject({ order_id: order.order_id, client_order_id: 'evt-1', filled_quantity: 0.01, average_price: order.average_price })
    const position = seen.at(-1)!.event
    expect(Object.keys(position.data).sort()).toEqual(
      [
        ...['position_id', 'symbol', 'side', 'quantity', 'entry_price', 'current_price', 'unrealized_pnl', 'realized_pnl'],
        ...['action', 'position_value', 'position_percent', 'daily_pnl', 'last_trade', 'timestamp'],
      ].sort(),
    )
    expect(position.data).toMatchObject({ symbol: 'BTCUSDT', side: 'long', quantity: 0.01, realized_pnl: 0, action: 'opened' })
  })

  it('a denial publishes a risk_event and no trade_update', async () => {
    const kinds: string[] = []
    let risk: DomainEvent | undefined
    ctx.services.events.subscribe((e) => {
      kinds.push(e.kind)
      if (e.kind === 'risk_event') risk = e
    })
    const res = await buy(1)
    expect(res.status).toBe(400)
    expect(kinds).toEqual(['risk_event'])
    expect(risk).toMatchObject({ userId: 'alice', data: { type: 'order_denied', severity: 'high', resolved: false } })
    const listed = await (await ctx.call('GET', '/v1/risk/events', { token })).json()
    expect(listed.events[0]).toEqual(risk!.data)
  })
})

describe('one transaction per state change', () => {
  it('a failure inside the transaction books nothing, and the engine carries on from the store', async () => {
    await buy(0.01)
    const before = await (await ctx.call('GET', '/v1/account', { token })).json()
    // A real store failure while the fill is written (0.00777 BTC = 777 lots).
    ctx.services.db.$client.exec(
      "CREATE TRIGGER fail_fill BEFORE INSERT ON fills WHEN NEW.quantity = 777 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    )
    const failed = await buy(0.00777, { client_order_id: 'boom' })
    expect(failed.status).toBe(500)
    expect((await failed.json()).error.code).toBe('INTERNAL_ERROR')
    const db = ctx.services.db
    expect(db.select().from(tables.orders).all()).toHaveLength(1)
    const after = await (await ctx.call('GET', '/v1/account', { token })).json()
    expect(after.balance).toBe(before.balance)
    const positions = await (await ctx.call('GET', '/v1/positions', { token })).json()
    expect(positions.positions[0].quantity).toBe(0.01)
    // The client id was not consumed; once the store works again the same request succeeds.
    ctx.services.db.$client.exec('DROP TRIGGER fail_fill')
    const retry = await buy(0.00777, { client_order_id: 'boom' })
    expect(retry.status).toBe(201)
    const final = await (await ctx.call('GET', '/v1/positions', { token })).json()
    expect(final.positions[0].quantity).toBe(0.01777)
  })
})

describe('accounts', () => {
  it('one paper account per user, created on first use with PAPER_INITIAL_BALANCE', async () => {
    await ctx.close()
    ctx = await createTestContext({ PAPER_INITIAL_BALANCE: '2500' })
    const t = await ctx.token(['read_trades'], 'bob')
    const a = await (await ctx.call('GET', '/v1/account', { token: t })).json()
    expect(a).toMatchObject({ user_id: 'bob', currency: 'USDT', initial_balance: 2500, balance: 2500, equity: 2500, available_balance: 2500 })
    const again = await (await ctx.call('GET', '/v1/account', { token: await ctx.token(['read_trades'], 'bob') })).json()
    expect(again.account_id).toBe(a.account_id)
    expect(ctx.services.execution.equityHistory(a.account_id)).toEqual([{ at: ctx.clock.now(), equity: 2500 }])
  })
})
