import type { Instrument } from '../market'
import { scalesOf, toUnits } from './money'
import type { Order, OrderRequest } from './types'

/**
 * The contract's names of the fields in which a repeated `client_order_id` request differs from
 * the order first submitted with it (empty: the same order, answered with the original).
 * A stop loss the server added by default (risk's stop_loss_percent) is not a difference when the
 * repeat names none, so an identical retry never conflicts.
 */
export function requestDifferences(original: Order, req: OrderRequest, inst: Instrument | undefined): string[] {
  const out: string[] = []
  if (req.symbol.toUpperCase() !== original.symbol) out.push('symbol')
  if (req.side !== original.side) out.push('side')
  if (req.type !== original.type) out.push('type')
  if ((req.timeInForce ?? 'GTC') !== original.timeInForce) out.push('time_in_force')
  if (!inst || out.includes('symbol')) return out
  const s = scalesOf(inst)
  const units = (v: number | null | undefined, scale: number): number | null | undefined => (v === undefined || v === null ? null : toUnits(v, scale))
  if (units(req.quantity, s.qtyScale) !== original.quantity) out.push('quantity')
  if (units(req.price, s.priceScale) !== original.price) out.push('price')
  if (units(req.stopPrice, s.priceScale) !== original.stopPrice) out.push('stop_price')
  if (req.stopLoss !== undefined && req.stopLoss !== null && units(req.stopLoss, s.priceScale) !== original.stopLoss) out.push('stop_loss')
  if (units(req.takeProfit, s.priceScale) !== original.takeProfit) out.push('take_profit')
  return out
}
