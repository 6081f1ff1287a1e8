import { afterEach, describe, expect, it } from 'vitest'
import { toLevels, walkBook } from '../../execution/matching'
import { scalesOf } from '../../execution/money'
import { DEFAULT_BOOK_DEPTH, DEFAULT_INSTRUMENTS, MAX_BOOK_DEPTH } from '../../market'
import { bookSpec, buildOrderBook } from '../../market/order-book'
import { openSandbox, type Sandbox } from './sandbox'

// A resting order is matched against the top DEFAULT_BOOK_DEPTH levels when they hold what the due
// orders want, and against the full depth otherwise (execution/market-ticks.ts). The backtests'
// records are byte-identical either way; this pins the deep path: a stop bigger than the top levels
// fills level by level exactly as the walk of the full seeded book says.
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

describe('resting orders against the book', () => {
  it.each([
    ['within the top levels', 0.5],
    ['deeper than the top levels', 150],
  ])('a triggered buy stop %s fills as the walk of the full book at the trigger', (_, quantity) => {
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
    const fills = sb.services.repos.fillsAfter(execution.accountIdOf(sb.userId), 0)
    expect(fills.length).toBeGreaterThan(0)
    const s = scalesOf(BTC)
    const book = buildOrderBook(bookSpec(BTC), 30_100, fills[0]!.createdAt, MAX_BOOK_DEPTH, SEED)
    const expected = walkBook(toLevels(book.asks, s), Math.round(quantity * s.qtyScale), 'buy')
    expect(fills.map((f) => ({ price: f.price, qty: f.quantity }))).toEqual(expected)
    const levelsWalked = new Set(fills.map((f) => f.price)).size
    if (quantity > 1) expect(levelsWalked).toBeGreaterThan(DEFAULT_BOOK_DEPTH)
    else expect(levelsWalked).toBeLessThanOrEqual(DEFAULT_BOOK_DEPTH)
  })
})
