import { ceilToGrid, floorToGrid, gridOf } from '../market'
import type { AccountBook } from './account-book'
import type { EngineDeps } from './engine-deps'
import { exitOrder } from './linked-exits'
import { fromUnits, scalesOf, toUnits } from './money'
import type { OrderLifecycle } from './order-lifecycle'
import type { StateChanges } from './state-change'
import { deny, type Denial, type Order, type Position } from './types'

/** New exit prices of a position: a number moves (or creates) that exit, null removes it, absent keeps it. */
export interface ExitUpdate {
  stopLoss?: number | null
  takeProfit?: number | null
}

type ExitType = 'stop_loss' | 'take_profit'

/**
 * Moving a position's linked exits (`PATCH /v1/positions/{id}`): validated against the side and the
 * last price, put on the tick grid the way order entry rounds them, then, in one state change, the
 * working exits of that type are cancelled and one replacement covering the whole position is
 * placed, in the same one-cancels-the-other group. Orders change state only through the transition
 * table (cancelled, new), so the stream reports the move as a cancel and a placement.
 */
export class PositionExits {
  constructor(
    private readonly d: EngineDeps,
    private readonly book: AccountBook,
    private readonly lifecycle: OrderLifecycle,
    private readonly changes: StateChanges,
  ) {}

  update(userId: string, positionId: string, u: ExitUpdate): { ok: true; position: Position } | { ok: false; denial: Denial } {
    const st = this.book.state(userId)
    const row = this.d.repos.positions.byId(positionId)
    if (!row || row.accountId !== st.account.id) return deny('POSITION_NOT_FOUND', `Position ${positionId} not found`, { position_id: positionId })
    const pos = st.positions.get(row.symbol)
    if (row.status !== 'open' || !pos || pos.id !== row.id)
      return deny('INVALID_STATE_TRANSITION', `Position ${positionId} is closed: it has no exits to change`, { position_id: positionId, status: 'closed' })
    const inst = this.d.market.instrument(pos.symbol)
    if (!inst) return deny('INVALID_SYMBOL', `Unknown trading symbol "${pos.symbol}"`, { symbol: pos.symbol })
    const s = scalesOf(inst)
    const grid = gridOf(inst.tickSize)
    const last = this.book.mark(pos.symbol)
    const long = pos.side === 'long'

    const wanted = new Map<ExitType, number | null>()
    for (const [type, value] of [['stop_loss', u.stopLoss], ['take_profit', u.takeProfit]] as const) {
      if (value === undefined) continue
      if (value === null) {
        wanted.set(type, null)
        continue
      }
      // As order entry rounds them: a long's exits up (its stop toward the entry, its take profit
      // away from it), a short's down.
      const applied = Number.isFinite(value) && value > 0 ? (long ? ceilToGrid(value, grid) : floorToGrid(value, grid)) : NaN
      const units = toUnits(applied, s.priceScale)
      if (!(applied > 0) || units === undefined)
        return deny('VALIDATION_FAILED', `${type} must be a positive price`, { field: type, value })
      // A long's stop sits below the last price and its take profit above; a short's the other way.
      const above = type === 'take_profit' ? long : !long
      if (above ? !(applied > last) : !(applied < last))
        return deny('VALIDATION_FAILED', `${type} ${applied} must be ${above ? 'above' : 'below'} the current price ${last} for a ${pos.side} position`, {
          field: type,
          value,
          applied,
          current_price: last,
          side: pos.side,
        })
      wanted.set(type, units)
    }
    if (wanted.size === 0) return deny('VALIDATION_FAILED', 'Give stop_loss and/or take_profit (null removes one)', { field: 'stop_loss' })

    const now = this.d.clock.now()
    this.changes.run(now, (w) => {
      const working = (type: ExitType): Order[] =>
        this.lifecycle.open.all().filter((o) => o.accountId === st.account.id && o.symbol === pos.symbol && o.linkType === type)
      // The OCO group the replacements join: the exits' own, else the order that opened the position.
      const group =
        [...working('stop_loss'), ...working('take_profit')][0]?.parentOrderId ?? this.d.repos.fills.openingOrderId(st.account.id, pos.id) ?? pos.id
      for (const [type, units] of wanted) {
        const why = units === null ? `${type} removed by the trader` : `${type} moved to ${fromUnits(units, s.priceScale)} by the trader`
        for (const o of working(type)) this.lifecycle.setStatus(w, st, o, 'cancelled', why)
        if (units === null) continue
        const exit = this.lifecycle.newOrder(w, st, exitOrder(inst, pos.symbol, long ? 'buy' : 'sell', type, pos.quantity, units), now, { parentId: group, type })
        this.lifecycle.setStatus(w, st, exit, 'new')
        this.lifecycle.open.rest(exit)
      }
      // A position protected only later takes its first stop as the base of its R figures.
      const stop = wanted.get('stop_loss')
      if (stop !== undefined && stop !== null && pos.initialStopLoss === null) {
        pos.initialStopLoss = stop
        this.d.repos.positions.update(pos)
      }
    })
    return { ok: true, position: pos }
  }
}
