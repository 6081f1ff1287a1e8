import type { Instrument } from '../market'
import { scalesOf, toUnits } from './money'
import type { Order, OrderRequest } from './types'
import type { Adjustment } from './normalize'
import { adjustmentsOf } from './views'

/**
 * The contract's names of the fields in which a repeated `client_order_id` request differs from
 * the order first submitted with it (empty: the same order, answered with the original).
 * A stop loss the server added by default (risk's stop_loss_percent) is not a difference when the
 * repeat names none, so an identical retry never conflicts. Values the server normalised are compared
 * as they were asked, so a retry of the very same request matches and a different one does not.
 */
export function requestDifferences(original: Order, req: OrderRequest, inst: Instrument | undefined): string[] {
  const out: string[] = []
  if (req.symbol.toUpperCase() !== original.symbol) out.push('symbol')
  if (req.side !== original.side) out.push('side')
  if (req.type !== original.type) out.push('type')
  if ((req.timeInForce ?? 'GTC') !== original.timeInForce) out.push('time_in_force')
  else if (original.timeInForce === 'GTD' && (req.expiresAt ?? null) !== original.expiresAt) out.push('expires_at')
  if (!inst || out.includes('symbol')) return out
  const s = scalesOf(inst)
  const units = (v: number | null | undefined, scale: number): number | null | undefined => (v === undefined || v === null ? null : toUnits(v, scale))
  const asked = new Map(adjustmentsOf(original).map((a) => [a.field, a.requested]))
  const differs = (field: Adjustment['field'], v: number | null | undefined, scale: number, stored: number | null): boolean =>
    asked.has(field) ? v !== asked.get(field) : units(v, scale) !== stored
  if (differs('quantity', req.quantity, s.qtyScale, original.quantity)) out.push('quantity')
  if (differs('price', req.price, s.priceScale, original.price)) out.push('price')
  if (differs('stop_price', req.stopPrice, s.priceScale, original.stopPrice)) out.push('stop_price')
  if (req.stopLoss !== undefined && req.stopLoss !== null && differs('stop_loss', req.stopLoss, s.priceScale, original.stopLoss)) out.push('stop_loss')
  if (differs('take_profit', req.takeProfit, s.priceScale, original.takeProfit)) out.push('take_profit')
  return out
}
