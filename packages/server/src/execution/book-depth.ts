import { DEFAULT_BOOK_DEPTH, MAX_BOOK_DEPTH } from '../market'

/**
 * Book depths an order's matching tries in turn. A book of depth d is a prefix of every deeper one
 * (market/order-book.ts), so when the first d levels already answer (hold what the orders want, or
 * end beyond their limit), walking them gives the same fills as the full depth. Most orders take
 * from the first level or two, and synthesising a seeded level costs about as much as the rest of
 * the match: a backtest's fills spent a third of their order entry building 20 levels a side.
 */
const DEPTHS = [4, DEFAULT_BOOK_DEPTH, MAX_BOOK_DEPTH] as const

/**
 * The first of `read(4)`, `read(20)` that `enough` accepts, else `read(100)`.
 *
 * @example
 * shallowestBook((d) => market.orderBook('BTCUSDT', d), (b) => b.asks.length > 0)
 */
export function shallowestBook<T>(read: (depth: number) => T, enough: (book: T) => boolean): T {
  for (let i = 0; i < DEPTHS.length - 1; i++) {
    const book = read(DEPTHS[i]!)
    if (enough(book)) return book
  }
  return read(MAX_BOOK_DEPTH)
}
