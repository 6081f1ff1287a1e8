import { ceilToGrid, floorToGrid, gridOf, type Instrument } from '../market'
import { deny, type Denial, type OrderRequest } from './types'

/** A value the server moved onto the instrument's grid: what was asked and what was applied. */
export interface Adjustment {
  field: 'quantity' | 'price' | 'stop_price' | 'stop_loss' | 'take_profit'
  requested: number
  applied: number
}

/**
 * How an order's values meet the instrument's grid: `normalize` (default) moves them onto it the
 * way an exchange gateway does; `strict` refuses any value off the grid (INVALID_ORDER_SIZE,
 * INVALID_PRICE), for bots that want exchange-exact behaviour.
 */
export type Precision = 'normalize' | 'strict'

type Direction = 'down' | 'up'
const onGrid = (value: number, step: number, direction: Direction): number =>
  direction === 'down' ? floorToGrid(value, gridOf(step)) : ceilToGrid(value, gridOf(step))

/**
 * Move an order's quantity and prices onto the instrument's lot and tick size without ever making
 * the order worse than asked (docs/trading.md, "How orders are normalised"):
 * - the quantity is truncated toward zero (rounding up could exceed the balance or the position
 *   being closed); one that truncates below the minimum is INVALID_ORDER_SIZE;
 * - a buy's limit and stop prices round down, a sell's up (never pay more, never sell for less);
 * - a stop loss rounds toward the entry (it triggers no later than asked: a buy's up, a sell's down);
 * - a take profit rounds away from the entry (it takes no less than asked: a buy's up, a sell's down).
 * Values that are not positive numbers are left to validation, which names them.
 *
 * @example
 * normalizeOrder({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.0031361470426447004 }, btc)
 * // { req: { …, quantity: 0.00313 }, adjustments: [{ field: 'quantity', requested: 0.0031361470426447004, applied: 0.00313 }] }
 */
export function normalizeOrder(req: OrderRequest, inst: Instrument): { req: OrderRequest; adjustments: Adjustment[] } | Denial {
  const adjustments: Adjustment[] = []
  const out: OrderRequest = { ...req }
  const buy = req.side === 'buy'
  const usable = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0

  if (usable(req.quantity)) {
    const q = onGrid(req.quantity, inst.lotSize, 'down')
    if (q < inst.minQuantity)
      return deny('INVALID_ORDER_SIZE', `quantity ${req.quantity} is below the minimum ${inst.minQuantity}`, {
        field: 'quantity',
        value: req.quantity,
        min_quantity: inst.minQuantity,
        lot_size: inst.lotSize,
      }).denial
    if (q !== req.quantity) adjustments.push({ field: 'quantity', requested: req.quantity, applied: q })
    out.quantity = q
  }

  const prices: Array<[Adjustment['field'], 'price' | 'stopPrice' | 'stopLoss' | 'takeProfit', Direction]> = [
    ['price', 'price', buy ? 'down' : 'up'],
    ['stop_price', 'stopPrice', buy ? 'down' : 'up'],
    ['stop_loss', 'stopLoss', buy ? 'up' : 'down'],
    ['take_profit', 'takeProfit', buy ? 'up' : 'down'],
  ]
  for (const [field, key, direction] of prices) {
    const v = req[key]
    if (!usable(v)) continue
    const applied = onGrid(v, inst.tickSize, direction)
    // A price that would round to zero is left as asked: validation refuses it by name.
    if (applied <= 0) continue
    if (applied !== v) adjustments.push({ field, requested: v, applied })
    out[key] = applied
  }
  return { req: out, adjustments }
}
