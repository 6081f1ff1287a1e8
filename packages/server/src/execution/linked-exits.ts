import type { Instrument } from '../market'
import type { RiskService } from '../risk'
import type { AccountState } from './account-book'
import { scalesOf } from './money'
import type { OpenOrders } from './open-orders'
import type { OrderStatus } from './order-state'
import type { Work } from './state-change'
import type { Order, Side } from './types'
import type { ValidOrder } from './validation'

/** What linked exits need of the order lifecycle (kept narrow: no import circle). */
export interface ExitHost {
  readonly open: OpenOrders
  newOrder(w: Work, st: AccountState, v: ValidOrder, now: number, link?: ExitLink): Order
  setStatus(w: Work, st: AccountState, o: Order, to: OrderStatus, reason?: string): void
}

/** What makes an order a linked exit: the entry it protects (its OCO group) and which exit it is. */
export interface ExitLink {
  parentId: string
  type: 'stop_loss' | 'take_profit'
}

export const opposite = (s: Side): Side => (s === 'buy' ? 'sell' : 'buy')

/**
 * The order of a linked exit closing a `side` position: a GTC stop (stop loss) or limit (take
 * profit) of the opposite side at `price` (price units), for `qty` lots.
 */
export function exitOrder(inst: Instrument, symbol: string, side: Side, type: 'stop_loss' | 'take_profit', qty: number, price: number): ValidOrder {
  return {
    inst,
    s: scalesOf(inst),
    symbol,
    side: opposite(side),
    type: type === 'stop_loss' ? 'stop' : 'limit',
    timeInForce: 'GTC',
    qty,
    price: type === 'take_profit' ? price : null,
    stopPrice: type === 'stop_loss' ? price : null,
    stopLoss: null,
    takeProfit: null,
    clientOrderId: null,
    expiresAt: null,
    adjustments: [],
    origin: null,
  }
}

/** Stop-loss and take-profit exits of an entry: created with its fills, one-cancels-the-other. */
export class LinkedExits {
  constructor(
    private readonly risk: RiskService,
    private readonly host: ExitHost,
  ) {}

  /**
   * Linked exits of an entry for the `qty` lots a fill opened: created with the first such fill,
   * grown by later ones (a new pair if the previous one already finished).
   */
  syncExits(w: Work, st: AccountState, entry: Order, inst: Instrument, qty: number): void {
    const s = scalesOf(inst)
    if (entry.stopLoss === null) {
      const pct = this.risk.limits(st.account.id).stopLossPercent
      if (pct !== null && !entry.reduceOnly && entry.filledQuantity === qty) {
        // Default protective stop: pct away from the first fill, rounded away from the price.
        const avg = entry.filledNotional / entry.filledQuantity / 10 ** (8 - s.pricePrecision - s.quantityPrecision)
        const raw = entry.side === 'buy' ? avg * (1 - pct / 100) : avg * (1 + pct / 100)
        const ticks = Math.round(inst.tickSize * s.priceScale)
        entry.stopLoss = (entry.side === 'buy' ? Math.floor(raw / ticks) : Math.ceil(raw / ticks)) * ticks
        w.dirtyOrders.add(entry)
      }
    }
    if (entry.stopLoss === null && entry.takeProfit === null) return
    const children = this.host.open.all().filter((c) => c.parentOrderId === entry.id)
    for (const type of ['stop_loss', 'take_profit'] as const) {
      const price = type === 'stop_loss' ? entry.stopLoss : entry.takeProfit
      if (price === null) continue
      const child = children.find((c) => c.linkType === type)
      if (child) {
        child.quantity += qty
        child.updatedAt = w.now
        w.dirtyOrders.add(child)
        continue
      }
      const exit = this.host.newOrder(w, st, exitOrder(inst, entry.symbol, entry.side, type, qty, price), w.now, { parentId: entry.id, type })
      this.host.setStatus(w, st, exit, 'new')
      this.host.open.rest(exit)
    }
  }

  /** One-cancels-the-other: a fill of one linked exit shrinks its sibling by as much. */
  onExitFill(w: Work, st: AccountState, exit: Order, qty: number): void {
    for (const sibling of this.host.open.all()) {
      if (sibling.parentOrderId !== exit.parentOrderId || sibling.id === exit.id) continue
      sibling.quantity = Math.max(sibling.filledQuantity, sibling.quantity - qty)
      sibling.updatedAt = w.now
      w.dirtyOrders.add(sibling)
      if (sibling.quantity <= sibling.filledQuantity) this.host.setStatus(w, st, sibling, 'cancelled', `one-cancels-the-other: ${exit.linkType} ${exit.id} filled`)
    }
  }

  /** A closed position takes its linked exits with it. */
  cancelExits(w: Work, st: AccountState, symbol: string): void {
    for (const o of this.host.open.all())
      if (o.accountId === st.account.id && o.symbol === symbol && o.reduceOnly) this.host.setStatus(w, st, o, 'cancelled', 'position closed')
  }
}
