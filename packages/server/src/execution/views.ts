import { isoTime, type DomainEvent } from '../core'
import type { Adjustment } from './normalize'
import type { MarketData } from '../market'
import { averagePrice, fromAtoms, fromUnits, notionalAtoms, scalesOf, type Scales } from './money'
import type { Account, Fill, Order, Position } from './types'

/*
 * Ledger rows (integer units) to the contract's JSON shapes (decimal numbers, ISO times).
 */

// One order's views and events carry the same instants many times (created/updated, event
// timestamps, the position's opening time): the last two conversions are kept.
let isoA = NaN
let isoAText = ''
let isoB = NaN
let isoBText = ''
function iso(ms: number): string {
  if (ms === isoA) return isoAText
  if (ms === isoB) return isoBText
  const text = isoTime(ms)
  isoB = isoA
  isoBText = isoAText
  isoA = ms
  isoAText = text
  return text
}
const FALLBACK: Scales = { pricePrecision: 8, quantityPrecision: 8, priceScale: 1e8, qtyScale: 1e8, notionalShift: -8 }

function scales(market: MarketData, symbol: string): Scales {
  const inst = market.instrument(symbol)
  return inst ? scalesOf(inst) : FALLBACK
}

const price = (s: Scales, ticks: number | null): number | null => (ticks === null ? null : fromUnits(ticks, s.priceScale))

/** How much worse than `arrival` the average fill was, in basis points (positive = worse). */
export function slippageBps(side: 'buy' | 'sell', avg: number | null, arrival: number | null): number | null {
  if (avg === null || arrival === null || !(arrival > 0)) return null
  const bps = ((side === 'buy' ? avg - arrival : arrival - avg) / arrival) * 10_000
  // Rounded for a stable JSON shape; + 0 turns -0 into 0.
  return Math.round(bps * 100) / 100 + 0
}

/** The values the server moved onto the instrument's grid when the order was placed. */
export const adjustmentsOf = (o: Pick<Order, 'adjustments'>): Adjustment[] => (o.adjustments ? (JSON.parse(o.adjustments) as Adjustment[]) : [])

/** Average fill price of an order (null before its first fill). */
const averageOf = (o: Order, s: Scales): number | null => (o.filledQuantity > 0 ? averagePrice(s, o.filledNotional, o.filledQuantity) : null)

/** The contract's Order. */
export function orderView(o: Order, market: MarketData) {
  const s = scales(market, o.symbol)
  const avg = averageOf(o, s)
  const arrival = price(s, o.arrivalPrice)
  return {
    order_id: o.id,
    client_order_id: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    time_in_force: o.timeInForce,
    quantity: fromUnits(o.quantity, s.qtyScale),
    price: o.price !== null ? price(s, o.price) : avg,
    stop_price: price(s, o.stopPrice),
    status: o.status,
    filled_quantity: fromUnits(o.filledQuantity, s.qtyScale),
    average_price: avg,
    arrival_price: arrival,
    slippage_bps: slippageBps(o.side, avg, arrival),
    commission: fromAtoms(o.commission),
    stop_loss: price(s, o.stopLoss),
    take_profit: price(s, o.takeProfit),
    parent_order_id: o.parentOrderId,
    link_type: o.linkType,
    reject_reason: o.rejectReason,
    requested_quantity: adjustmentsOf(o).find((a) => a.field === 'quantity')?.requested ?? fromUnits(o.quantity, s.qtyScale),
    adjustments: adjustmentsOf(o),
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
    filled_at: o.status === 'filled' && o.closedAt !== null ? iso(o.closedAt) : null,
    expires_at: o.expiresAt === null ? null : iso(o.expiresAt),
  }
}

/** The working linked exits of a position (price units, null when none). */
export interface ExitPrices {
  stopLoss: number | null
  takeProfit: number | null
}

/** What a position view needs beyond the row: the time now (its duration) and its working exits. */
export interface PositionContext {
  /** Epoch ms; without it an open position's duration runs to its last update. */
  now?: number
  exits?: ExitPrices
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4 + 0

/**
 * The contract's Position; `mark` is the last price of an open position's symbol. R figures are
 * in units of the initial risk: |entry − the first stop loss| × quantity, in atoms (exact).
 */
export function positionView(p: Position, market: MarketData, mark: (symbol: string) => number, at: PositionContext = {}) {
  const s = scales(market, p.symbol)
  const open = p.status === 'open'
  const lots = open ? p.quantity : p.closedQuantity
  const entryCost = open ? p.costBasis : p.closedCost
  let current: number
  let unrealized = 0
  let value = 0
  if (open) {
    current = mark(p.symbol)
    value = Number(notionalAtoms(s, Math.round(current * s.priceScale), p.quantity))
    unrealized = p.side === 'long' ? value - p.costBasis : p.costBasis - value
  } else current = averagePrice(s, p.exitNotional, p.closedQuantity)
  const pnlBase = open ? unrealized : p.realizedPnl
  const risk = p.initialStopLoss === null ? null : Math.abs(entryCost - Number(notionalAtoms(s, p.initialStopLoss, lots)))
  const exits = open ? at.exits : undefined
  const end = p.closedAt ?? at.now ?? p.updatedAt
  return {
    id: p.id,
    symbol: p.symbol,
    side: p.side,
    status: p.status,
    quantity: fromUnits(lots, s.qtyScale),
    entry_price: averagePrice(s, entryCost, lots),
    current_price: current,
    unrealized_pnl: fromAtoms(unrealized),
    realized_pnl: fromAtoms(p.realizedPnl),
    percentage_pnl: entryCost > 0 ? Math.round((pnlBase / entryCost) * 100 * 1e4) / 1e4 : 0,
    commission: fromAtoms(p.commission),
    stop_loss: price(s, exits?.stopLoss ?? null),
    take_profit: price(s, exits?.takeProfit ?? null),
    initial_risk: risk === null ? null : fromAtoms(risk),
    unrealized_r: open && risk ? r4(unrealized / risk) : null,
    r_multiple: !open && risk ? r4((p.realizedPnl - p.commission) / risk) : null,
    duration_seconds: Math.max(0, Math.floor((end - p.openedAt) / 1000)),
    leverage: 1,
    margin: fromAtoms(value),
    liquidation_price: null,
    created_at: iso(p.openedAt),
    updated_at: iso(p.updatedAt),
    closed_at: p.closedAt === null ? null : iso(p.closedAt),
  }
}

/** The contract's Trade. */
export function tradeView(f: Fill, market: MarketData) {
  const s = scales(market, f.symbol)
  return {
    id: f.id,
    order_id: f.orderId,
    symbol: f.symbol,
    side: f.side,
    quantity: fromUnits(f.quantity, s.qtyScale),
    price: fromUnits(f.price, s.priceScale),
    commission: fromAtoms(f.commission),
    liquidity: f.liquidity,
    timestamp: iso(f.createdAt),
    pnl: fromAtoms(f.realizedPnl),
  }
}

/** The contract's Account. */
export function accountView(a: Account, equity: number, exposure: number) {
  const available = Math.max(0, equity - exposure)
  return {
    account_id: a.id,
    user_id: a.userId,
    currency: a.currency,
    initial_balance: fromAtoms(a.initialBalance),
    balance: fromAtoms(a.balance),
    equity: fromAtoms(equity),
    realized_pnl: fromAtoms(a.realizedPnl),
    unrealized_pnl: fromAtoms(equity - a.balance),
    commission_paid: fromAtoms(a.commission),
    margin_used: fromAtoms(exposure),
    available_balance: fromAtoms(available),
    balances: [{ asset: a.currency, total: fromAtoms(a.balance), available: fromAtoms(available) }],
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
  }
}

interface Owner {
  account: Account
}

/** What a `trade_update` reports (the contract's TradeUpdateEvent). */
export type TradeUpdateEvent = 'placed' | 'triggered' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired'

/** A fill row as the events see it (before it is stored, so no sequence number yet). */
export type FillRecord = Omit<Fill, 'seq'>

/**
 * `trade_update`: an order changed state, triggered or filled. A fill's fields are the fill row's,
 * through the same conversions as {@link tradeView}, so they equal what the trade history reports.
 */
export function orderEvent(st: Owner, o: Order, market: MarketData, now: number, event: TradeUpdateEvent, fill?: FillRecord): DomainEvent {
  // The fields of orderView and tradeView this event reports, through the same conversions, built
  // without the rest of those views: every order change of every order (a backtest's included) is
  // announced, and the full views were most of the cost.
  const s = scales(market, o.symbol)
  const avg = averageOf(o, s)
  return {
    kind: 'trade_update',
    accountId: st.account.id,
    userId: st.account.userId,
    symbol: o.symbol,
    data: {
      order_id: o.id,
      client_order_id: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      quantity: fromUnits(o.quantity, s.qtyScale),
      price: fill ? fromUnits(fill.price, s.priceScale) : o.price !== null ? price(s, o.price) : avg,
      status: o.status,
      event,
      filled_quantity: fromUnits(o.filledQuantity, s.qtyScale),
      average_price: avg,
      trade_id: fill ? fill.id : null,
      fill_price: fill ? fromUnits(fill.price, s.priceScale) : null,
      fill_quantity: fill ? fromUnits(fill.quantity, s.qtyScale) : null,
      fee: fill ? fromAtoms(fill.commission) : null,
      realized_pnl: fill ? fromAtoms(fill.realizedPnl) : null,
      liquidity: fill ? fill.liquidity : null,
      timestamp: iso(now),
    },
    at: now,
  }
}

/** What a `position_update` reports the fills did (the contract's PositionAction). */
export type PositionAction = 'opened' | 'increased' | 'reduced' | 'closed' | 'reversed'

/** The account side of a `position_update`: the action, the account marked now, the latest fill. */
export interface PositionChange {
  action: PositionAction
  portfolio: { equity: number; dayStartEquity: number }
  lastFill: FillRecord | null
}

/** `position_update`: a position changed (quantity 0 once it closed). */
export function positionEvent(st: Owner, p: Position, market: MarketData, mark: (symbol: string) => number, now: number, change: PositionChange): DomainEvent {
  const s = scales(market, p.symbol)
  const open = p.status === 'open'
  const v = positionView(p, market, mark)
  const value = open ? Number(notionalAtoms(s, Math.round(v.current_price * s.priceScale), p.quantity)) : 0
  const equity = change.portfolio.equity
  const f = change.lastFill
  return {
    kind: 'position_update',
    accountId: st.account.id,
    userId: st.account.userId,
    symbol: p.symbol,
    data: {
      position_id: p.id,
      symbol: p.symbol,
      side: p.side,
      quantity: open ? fromUnits(p.quantity, s.qtyScale) : 0,
      entry_price: v.entry_price,
      current_price: open ? v.current_price : mark(p.symbol),
      unrealized_pnl: v.unrealized_pnl,
      realized_pnl: v.realized_pnl,
      action: change.action,
      position_value: fromAtoms(value),
      position_percent: equity > 0 ? Math.round((value / equity) * 100 * 1e4) / 1e4 : 0,
      daily_pnl: fromAtoms(equity - change.portfolio.dayStartEquity),
      last_trade: f
        ? {
            trade_id: f.id,
            order_id: f.orderId,
            side: f.side,
            price: fromUnits(f.price, s.priceScale),
            quantity: fromUnits(f.quantity, s.qtyScale),
            timestamp: iso(f.createdAt),
          }
        : null,
      timestamp: iso(now),
    },
    at: now,
  }
}
