import type { BookLevel } from '../market'
import type { Scales } from './money'
import type { Side } from './types'

/** A book level or an execution in integer units: price in ticks, quantity in lots. */
export interface Level {
  price: number
  qty: number
}

/** Book levels (decimal [price, quantity] pairs) as integer units, order kept (best first). */
export function toLevels(levels: readonly BookLevel[], s: Scales): Level[] {
  const out: Level[] = new Array(levels.length)
  for (let i = 0; i < levels.length; i++) {
    const [p, q] = levels[i]!
    out[i] = { price: Math.round(p * s.priceScale), qty: Math.round(q * s.qtyScale) }
  }
  return out
}

/** Whether `price` is acceptable for a `side` order limited at `limit` (undefined: any price). */
export const withinLimit = (side: Side, price: number, limit: number | undefined | null): boolean =>
  limit === undefined || limit === null || (side === 'buy' ? price <= limit : price >= limit)

/**
 * Take up to `qty` lots from `levels` (the opposite side, best first), level by level, stopping at
 * the first level beyond `limit`. Returns one execution per level touched: the average of these is
 * the order's VWAP and the distance from the first level its slippage.
 *
 * @example
 * walkBook([{ price: 100, qty: 2 }, { price: 101, qty: 5 }], 4, 'buy') // [{100, 2}, {101, 2}]
 */
export function walkBook(levels: readonly Level[], qty: number, side: Side, limit?: number | null): Level[] {
  const fills: Level[] = []
  let left = qty
  for (const level of levels) {
    if (left <= 0) break
    if (!withinLimit(side, level.price, limit)) break
    const take = Math.min(left, level.qty)
    if (take > 0) fills.push({ price: level.price, qty: take })
    left -= take
  }
  return fills
}

/** Lots available at prices within `limit`: what FOK checks before filling anything. */
export function liquidity(levels: readonly Level[], side: Side, limit?: number | null): number {
  let total = 0
  for (const level of levels) {
    if (!withinLimit(side, level.price, limit)) break
    total += level.qty
  }
  return total
}

/** Whether a stop triggers at `last` (buy stops at or above the stop price, sell stops at or below). */
export const stopTriggered = (side: Side, stopPrice: number, last: number): boolean =>
  side === 'buy' ? last >= stopPrice : last <= stopPrice
