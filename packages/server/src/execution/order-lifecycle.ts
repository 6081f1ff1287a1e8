import type { Instrument } from '../market'
import type { AccountState } from './account-book'
import type { AccountBook } from './account-book'
import type { EngineDeps } from './engine-deps'
import { DAY_MS } from './engine-deps'
import { exitReasonOf } from './exit-reason'
import { bookExecution } from './ledger'
import { LinkedExits, type ExitLink } from './linked-exits'
import type { Level } from './matching'
import { feeAtoms, notionalAtoms, safe, scalesOf } from './money'
import type { OpenOrders } from './open-orders'
import { ACTIVE, transition, type OrderStatus } from './order-state'
import type { Work } from './state-change'
import type { Order, Position, PositionSide } from './types'
import type { ValidOrder } from './validation'
import { orderEvent, type FillRecord, type TradeUpdateEvent } from './views'

/**
 * What happens to an order inside a state change: created, moved through the transition table,
 * filled (fill row, position, balance), rested or expired, and its linked exits kept in step.
 */
export class OrderLifecycle {
  private readonly exits: LinkedExits

  constructor(
    private readonly d: EngineDeps,
    private readonly book: AccountBook,
    readonly open: OpenOrders,
  ) {
    this.exits = new LinkedExits(d.risk, this)
  }

  newOrder(w: Work, st: AccountState, v: ValidOrder, now: number, link?: ExitLink): Order {
    const o: Order = {
      seq: 0,
      id: this.d.ids('ord'),
      accountId: st.account.id,
      clientOrderId: v.clientOrderId,
      symbol: v.symbol,
      side: v.side,
      type: v.type,
      timeInForce: v.timeInForce,
      status: 'pending_new',
      quantity: v.qty,
      price: v.price,
      stopPrice: v.stopPrice,
      triggered: false,
      filledQuantity: 0,
      filledNotional: 0,
      arrivalPrice: null,
      commission: 0,
      stopLoss: v.stopLoss,
      takeProfit: v.takeProfit,
      parentOrderId: link?.parentId ?? null,
      linkType: link?.type ?? null,
      reduceOnly: link !== undefined,
      rejectReason: null,
      adjustments: v.adjustments.length > 0 ? JSON.stringify(v.adjustments) : null,
      expiresAt: v.timeInForce === 'DAY' ? (Math.floor(now / DAY_MS) + 1) * DAY_MS : v.timeInForce === 'GTD' ? v.expiresAt : null,
      origin: v.origin,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    }
    w.newOrders.push(o)
    w.accounts.add(st)
    this.open.add(o)
    return o
  }

  /**
   * The one place an order changes status: checked against the transition table, then announced
   * (with the fill that caused it, if one did).
   */
  setStatus(w: Work, st: AccountState, o: Order, to: OrderStatus, reason?: string, fill?: FillRecord): void {
    o.status = transition(o.id, o.status, to)
    o.updatedAt = w.now
    if (reason !== undefined) o.rejectReason = reason
    if (!ACTIVE.has(to)) {
      o.closedAt = w.now
      this.open.remove(o)
    }
    w.dirtyOrders.add(o)
    w.accounts.add(st)
    w.events.push(orderEvent(st, o, this.d.market, w.now, to === 'new' ? 'placed' : (to as TradeUpdateEvent), fill))
  }

  /** A stop's trigger price was reached: it now works as a market or limit order. */
  trigger(w: Work, st: AccountState, o: Order): void {
    o.triggered = true
    o.updatedAt = w.now
    w.dirtyOrders.add(o)
    w.accounts.add(st)
    w.events.push(orderEvent(st, o, this.d.market, w.now, 'triggered'))
  }

  /** Fill what can fill now (taker), then rest, expire or keep the remainder per time in force. */
  executeNow(w: Work, st: AccountState, o: Order, inst: Instrument, fills: Level[], limit: number | null): void {
    if (o.timeInForce === 'FOK' && fills.reduce((n, f) => n + f.qty, 0) < o.quantity) {
      this.setStatus(w, st, o, 'expired', 'FOK: the book cannot fill the whole quantity now')
      return
    }
    // The touch it meets first is the reference of its slippage.
    if (o.arrivalPrice === null && fills.length > 0) o.arrivalPrice = fills[0]!.price
    for (const f of fills) if (o.status !== 'filled' && ACTIVE.has(o.status)) this.fill(w, st, o, inst, f.price, f.qty, 'taker')
    if (!ACTIVE.has(o.status)) return
    const isMarket = limit === null
    if (isMarket) this.setStatus(w, st, o, 'expired', 'market order: the book could not fill the remaining quantity')
    else if (o.timeInForce === 'IOC') this.setStatus(w, st, o, 'expired', 'IOC: remaining quantity expired')
    else this.open.rest(o)
  }

  /** Book one execution of `qty` lots at `price` ticks: order, fill row, position, balance. */
  fill(w: Work, st: AccountState, o: Order, inst: Instrument, price: number, qty: number, liquidityFlag: 'maker' | 'taker'): void {
    const s = scalesOf(inst)
    let pos = st.positions.get(o.symbol)
    if (o.reduceOnly) {
      // Exits never open or reverse a position: capped to what is open on the other side.
      const closable = pos && (pos.side === 'long') === (o.side === 'sell') ? pos.quantity : 0
      qty = Math.min(qty, closable)
      if (qty <= 0) {
        this.setStatus(w, st, o, 'cancelled', 'reduce-only: no position left to reduce')
        return
      }
    }
    const notional = notionalAtoms(s, price, qty)
    const commission = feeAtoms(notional, liquidityFlag === 'maker' ? this.d.makerPpm : this.d.takerPpm)
    w.taken.push([o.symbol, o.side, qty / s.qtyScale])
    if (pos && !w.positionMoves.has(pos.id)) w.positionMoves.set(pos.id, { before: pos.quantity, reversed: false, lastFill: null })
    const booking = bookExecution(pos, { side: o.side, qty, notional, commission }, (side, lots, cost, fee) => this.newPosition(st, o.symbol, side, lots, cost, fee, w.now), w.now)
    const a = st.account
    a.balance = safe(BigInt(a.balance) + booking.realized - commission)
    a.realizedPnl = safe(BigInt(a.realizedPnl) + booking.realized)
    a.commission = safe(BigInt(a.commission) + commission)
    w.filled.add(st)
    w.accounts.add(st)
    if (booking.closed) {
      st.positions.delete(o.symbol)
      w.positions.set(booking.closed.id, { st, pos: booking.closed })
    }
    if (booking.open) {
      st.positions.set(o.symbol, booking.open)
      w.positions.set(booking.open.id, { st, pos: booking.open })
    }
    pos = booking.open ?? booking.closed!
    const row: FillRecord = {
        id: this.d.ids('trade'),
        orderId: o.id,
        accountId: a.id,
        positionId: booking.closed && booking.closingQty === qty ? booking.closed.id : pos.id,
        symbol: o.symbol,
        side: o.side,
        quantity: qty,
        price,
        notional: safe(notional),
        commission: safe(commission),
        liquidity: liquidityFlag,
        realizedPnl: safe(booking.realized),
        equity: null,
        createdAt: w.now,
    }
    w.fills.push({ st, row })
    for (const p of [booking.closed, booking.open]) {
      if (!p) continue
      const move = w.positionMoves.get(p.id)
      if (move) move.lastFill = row
      else w.positionMoves.set(p.id, { before: null, reversed: booking.closed !== undefined && p === booking.open, lastFill: row })
    }
    o.filledQuantity += qty
    o.filledNotional = safe(BigInt(o.filledNotional) + notional)
    o.commission = safe(BigInt(o.commission) + commission)
    this.setStatus(w, st, o, o.filledQuantity >= o.quantity ? 'filled' : 'partially_filled', undefined, row)
    if (booking.closed) {
      // The order of a round trip's last fill says why it ended.
      booking.closed.exitReason = exitReasonOf(o)
      this.exits.cancelExits(w, st, o.symbol)
    }
    if (o.parentOrderId !== null) this.exits.onExitFill(w, st, o, qty)
    else if (!o.reduceOnly && qty > booking.closingQty) {
      this.exits.syncExits(w, st, o, inst, qty - booking.closingQty)
      // The first stop loss a position gets is the base of its R figures (initial risk).
      const opened = booking.open
      if (opened && opened.initialStopLoss === null && o.stopLoss !== null) opened.initialStopLoss = o.stopLoss
    }
  }

  private newPosition(st: AccountState, symbol: string, side: PositionSide, qty: number, cost: bigint, commission: bigint, now: number): Position {
    return {
      seq: 0,
      id: this.d.ids('pos'),
      accountId: st.account.id,
      symbol,
      side,
      status: 'open',
      quantity: qty,
      costBasis: safe(cost),
      openedQuantity: qty,
      closedQuantity: 0,
      closedCost: 0,
      exitNotional: 0,
      realizedPnl: 0,
      commission: safe(commission),
      initialStopLoss: null,
      exitReason: null,
      openedAt: now,
      updatedAt: now,
      closedAt: null,
    }
  }
}
