import { afterEach, describe, expect, it } from 'vitest'
import { toLevels, walkBook } from '../../execution/matching'
import { scalesOf } from '../../execution/money'
import { DEFAULT_BOOK_DEPTH, DEFAULT_INSTRUMENTS, MAX_BOOK_DEPTH } from '../../market'
import type { Fill } from '../../execution'
import { bookSpec, buildOrderBook } from '../../market/order-book'
import { openSandbox, type Sandbox } from './sandbox'

// Orders are matched against the top 4, else 20, else all MAX_BOOK_DEPTH levels of the seeded book:
// the shallowest that holds what they want (execution/book-depth.ts). The backtests' records are
// byte-identical either way; this pins every depth: a stop or a market order of each size fills
// level by level exactly as the walk of the full seeded book says.
const BTC = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!
const EPOCH = Date.UTC(2024, 0, 1)
const SEED = 'deep-book'
let sandbox: Sandbox | undefined
afterEach(() => sandbox?.close())

function open(): Sandbox {
  sandbox = openSandbox({
    spec: { symbol: 'BTCUSDT', interval: '1m', initial_balance: 10_000_000, taker_fee_bps: 10, maker_fee_bps: 2, slippage_bps: 0 },
    instrument: BTC,
    bookSeed: SEED,
    epoch: EPOCH,
  })
  return sandbox
}

/** How many distinct levels a fill of each case walks: [more than, at most]. */
const CASES = [
  ['within the top 4 levels', 0.5, [0, 4]],
  ['within the top 20 levels', 6, [4, DEFAULT_BOOK_DEPTH]],
  ['deeper than the top 20 levels', 150, [DEFAULT_BOOK_DEPTH, MAX_BOOK_DEPTH]],
] as const

function expectFullBookWalk(fills: Fill[], mid: number, quantity: number, band: readonly [number, number]): void {
  expect(fills.length).toBeGreaterThan(0)
  const s = scalesOf(BTC)
  const book = buildOrderBook(bookSpec(BTC), mid, fills[0]!.createdAt, MAX_BOOK_DEPTH, SEED)
  const expected = walkBook(toLevels(book.asks, s), Math.round(quantity * s.qtyScale), 'buy')
  expect(fills.map((f) => ({ price: f.price, qty: f.quantity }))).toEqual(expected)
  const levelsWalked = new Set(fills.map((f) => f.price)).size
  expect(levelsWalked).toBeGreaterThan(band[0])
  expect(levelsWalked).toBeLessThanOrEqual(band[1])
}

describe('orders against the book', () => {
  it.each(CASES)('a market buy %s fills as the walk of the full book', (_, quantity, band) => {
    const sb = open()
    const flat = { time: EPOCH, open: 30_000, high: 30_000, low: 30_000, close: 30_000, volume: 1 }
    sb.replay.openCandle(flat)
    const { execution } = sb.services
    expect(execution.submit(sb.userId, { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity }).ok).toBe(true)
    expectFullBookWalk(sb.services.repos.fillsAfter(execution.accountIdOf(sb.userId), 0), 30_000, quantity, band)
  })

  it.each(CASES)('a triggered buy stop %s fills as the walk of the full book at the trigger', (_, quantity, band) => {
    const sb = open()
    const flat = { time: EPOCH, open: 30_000, high: 30_000, low: 30_000, close: 30_000, volume: 1 }
    sb.replay.openCandle(flat)
    sb.replay.finishCandle(flat, () => [])
    sb.replay.closeCandle(flat.time)
    const { execution } = sb.services
    const placed = execution.submit(sb.userId, { symbol: 'BTCUSDT', side: 'buy', type: 'stop', stopPrice: 30_100, quantity })
    expect(placed.ok).toBe(true)

    const next = { time: EPOCH + 60_000, open: 30_000, high: 30_200, low: 29_990, close: 30_150, volume: 1 }
    // The path ticks at the stop price on its way up (a crossing): the stop triggers there.
    sb.replay.openCandle(next)
    sb.replay.finishCandle(next, () => [30_100])
    expectFullBookWalk(sb.services.repos.fillsAfter(execution.accountIdOf(sb.userId), 0), 30_100, quantity, band)
  })
})
