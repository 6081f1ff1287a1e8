import type { Instrument } from 'smc-trading-sdk'

/** Decimal-safe `value` rounded down to a multiple of `step` (floats cannot hold 0.1 exactly). */
function floorTo(value: number, step: number, decimals: number): number {
  const units = Math.floor(Math.round(value * 10 ** decimals * 1e6) / 1e6 / Math.round(step * 10 ** decimals))
  return Number((units * step).toFixed(decimals))
}

/**
 * Quantity worth `riskPerTrade` of `available` at `price`, rounded down to the instrument's lot
 * size; 0 when that is below its minimum quantity or notional (the order would be refused).
 *
 * @example
 * positionSize(10_000, 0.02, 65_000, btc) // 0.00307 with a lot size of 0.00001
 */
export function positionSize(available: number, riskPerTrade: number, price: number, i: Instrument): number {
  if (!(available > 0 && price > 0)) return 0
  const qty = floorTo((available * riskPerTrade) / price, i.lot_size, i.quantity_precision)
  return qty >= i.min_quantity && qty * price >= i.min_notional ? qty : 0
}

/**
 * `price` on the instrument's tick grid, rounded away from the entry so a stop or target is never
 * tighter than asked: down for prices below `reference`, up for prices above it.
 *
 * @example
 * toTick(63_700.123, btc, 65_000) // 63_700.12
 */
export function toTick(price: number, i: Instrument, reference: number): number {
  const d = i.price_precision
  const ticks = price * 10 ** d / Math.round(i.tick_size * 10 ** d)
  const n = price < reference ? Math.floor(ticks + 1e-9) : Math.ceil(ticks - 1e-9)
  return Number((n * i.tick_size).toFixed(d))
}
