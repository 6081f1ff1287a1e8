import { isOnStep, isOnTick, type Instrument } from '../market'
import { ATOMS, scalesOf, toUnits, type Scales } from './money'
import type { OrderOrigin } from './exit-reason'
import { type Adjustment, normalizeOrder } from './normalize'
import { deny, type Denial, type OrderRequest, type OrderType, type Side, type TimeInForce } from './types'

/** Largest order value accepted (quote currency): keeps every ledger sum a safe integer of atoms. */
export const MAX_ORDER_NOTIONAL = 50_000_000

/** An order request checked against its instrument, in integer units. */
export interface ValidOrder {
  inst: Instrument
  s: Scales
  symbol: string
  side: Side
  type: OrderType
  timeInForce: TimeInForce
  qty: number
  price: number | null
  stopPrice: number | null
  stopLoss: number | null
  takeProfit: number | null
  clientOrderId: string | null
  /** When the order expires (GTD: as asked; DAY: set when it is created), epoch ms. */
  expiresAt: number | null
  /** Values the server moved onto the grid (empty when the order was on it, or strict). */
  adjustments: Adjustment[]
  /** Who placed it, when not the account's own trading. */
  origin: OrderOrigin | null
}

const present = (v: number | null | undefined): v is number => v !== null && v !== undefined

function priceUnits(field: string, value: number, inst: Instrument, s: Scales): number | Denial {
  if (!Number.isFinite(value) || value <= 0)
    return deny('INVALID_PRICE', `${field} must be a positive number`, { field, value }).denial
  const units = toUnits(value, s.priceScale)
  if (!isOnTick(value, inst.tickSize) || units === undefined)
    return deny('INVALID_PRICE', `${field} ${value} is not a multiple of the tick size ${inst.tickSize}`, {
      field,
      value,
      tick_size: inst.tickSize,
    }).denial
  return units
}

const isDenial = (v: unknown): v is Denial => typeof v === 'object' && v !== null && 'code' in v

/**
 * Validate an order against its instrument's tick size, lot size and minimum notional, and its type's
 * parameters: INVALID_ORDER_TYPE, INVALID_PRICE or INVALID_ORDER_SIZE with the offending field.
 * Unless the request asks for `strict` precision, its values are first moved onto the grid
 * ({@link normalizeOrder}); the checks and the risk module then see the normalised order.
 * `lastPrice` values market orders and places their stop loss / take profit. A GTD order needs an
 * `expiresAt` after `now`, and no other time in force takes one (VALIDATION_FAILED, field expires_at).
 */
export function validateOrder(asked: OrderRequest, inst: Instrument, lastPrice: number, now: number): ValidOrder | Denial {
  const s = scalesOf(inst)
  const expiry = expiryOf(asked, now)
  if (isDenial(expiry)) return expiry
  let req = asked
  let adjustments: Adjustment[] = []
  if (asked.precision !== 'strict') {
    const n = normalizeOrder(asked, inst)
    if (isDenial(n)) return n
    ;({ req, adjustments } = n)
  }
  const type = req.type
  const wantsPrice = type === 'limit' || type === 'stop_limit'
  const wantsStop = type === 'stop' || type === 'stop_limit'
  if (wantsPrice && !present(req.price))
    return deny('INVALID_ORDER_TYPE', `${type} orders need a price`, { field: 'price', type }).denial
  if (!wantsPrice && present(req.price))
    return deny('INVALID_ORDER_TYPE', `${type} orders take no price${type === 'market' ? '; use a limit order' : '; use stop_price'}`, {
      field: 'price',
      type,
    }).denial
  if (wantsStop && !present(req.stopPrice))
    return deny('INVALID_ORDER_TYPE', `${type} orders need a stop_price`, { field: 'stop_price', type }).denial
  if (!wantsStop && present(req.stopPrice))
    return deny('INVALID_ORDER_TYPE', `${type} orders take no stop_price`, { field: 'stop_price', type }).denial

  const q = req.quantity
  if (!Number.isFinite(q) || q <= 0)
    return deny('INVALID_ORDER_SIZE', 'quantity must be a positive number', { field: 'quantity', value: q }).denial
  const qty = toUnits(q, s.qtyScale)
  if (!isOnStep(q, inst.lotSize) || qty === undefined)
    return deny('INVALID_ORDER_SIZE', `quantity ${q} is not a multiple of the lot size ${inst.lotSize}`, {
      field: 'quantity',
      value: q,
      lot_size: inst.lotSize,
    }).denial
  if (q < inst.minQuantity)
    return deny('INVALID_ORDER_SIZE', `quantity ${q} is below the minimum ${inst.minQuantity}`, {
      field: 'quantity',
      value: q,
      min_quantity: inst.minQuantity,
    }).denial

  let price: number | null = null
  let stopPrice: number | null = null
  if (present(req.price)) {
    const u = priceUnits('price', req.price, inst, s)
    if (isDenial(u)) return u
    price = u
  }
  if (present(req.stopPrice)) {
    const u = priceUnits('stop_price', req.stopPrice, inst, s)
    if (isDenial(u)) return u
    stopPrice = u
  }
  const reference = price !== null ? price / s.priceScale : stopPrice !== null ? stopPrice / s.priceScale : lastPrice
  const notional = q * reference
  if (notional < inst.minNotional)
    return deny('INVALID_ORDER_SIZE', `order value ${+notional.toFixed(8)} is below the minimum notional ${inst.minNotional}`, {
      field: 'quantity',
      notional: +notional.toFixed(8),
      min_notional: inst.minNotional,
    }).denial
  if (notional > MAX_ORDER_NOTIONAL || !Number.isSafeInteger(Math.round(notional * ATOMS)))
    return deny('INVALID_ORDER_SIZE', `order value ${+notional.toFixed(2)} is above the maximum ${MAX_ORDER_NOTIONAL}`, {
      field: 'quantity',
      notional: +notional.toFixed(2),
      max_notional: MAX_ORDER_NOTIONAL,
    }).denial

  let stopLoss: number | null = null
  let takeProfit: number | null = null
  const up = req.side === 'buy' ? 1 : -1
  for (const field of ['stop_loss', 'take_profit'] as const) {
    const v = field === 'stop_loss' ? req.stopLoss : req.takeProfit
    if (!present(v)) continue
    const u = priceUnits(field, v, inst, s)
    if (isDenial(u)) return u
    // A buy's stop loss sits below its entry and its take profit above; a sell's the other way round.
    const ok = field === 'stop_loss' ? (v - reference) * up < 0 : (v - reference) * up > 0
    if (!ok)
      return deny(
        'INVALID_PRICE',
        `${field} ${v} must be ${(field === 'stop_loss') === (up === 1) ? 'below' : 'above'} the entry price ${reference} for a ${req.side}`,
        { field, value: v, reference },
      ).denial
    if (field === 'stop_loss') stopLoss = u
    else takeProfit = u
  }

  return {
    inst,
    s,
    symbol: inst.symbol,
    side: req.side,
    type,
    timeInForce: req.timeInForce ?? 'GTC',
    qty,
    price,
    stopPrice,
    stopLoss,
    takeProfit,
    clientOrderId: req.clientOrderId ?? null,
    expiresAt: expiry,
    adjustments,
    origin: asked.origin ?? null,
  }
}

function expiryOf(req: OrderRequest, now: number): number | null | Denial {
  const at = req.expiresAt ?? null
  const tif = req.timeInForce ?? 'GTC'
  if (tif !== 'GTD') {
    if (at === null) return null
    return deny('VALIDATION_FAILED', `expires_at is only taken by GTD orders (time_in_force is ${tif})`, { field: 'expires_at', time_in_force: tif }).denial
  }
  if (at === null || !Number.isFinite(at)) return deny('VALIDATION_FAILED', 'GTD orders need an expires_at', { field: 'expires_at' }).denial
  if (at <= now)
    return deny('VALIDATION_FAILED', `expires_at ${new Date(at).toISOString()} is not in the future (now ${new Date(now).toISOString()})`, {
      field: 'expires_at',
      value: new Date(at).toISOString(),
      now: new Date(now).toISOString(),
    }).denial
  return at
}

export { isDenial }
