import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, TEST_EPOCH, type TestContext } from '../../../testing'

// Real paper trades through POST /v1/trades, then performance read back through the API. Every
// response (trades, positions, account, performance) is checked against the contract by the harness.

const H = 3_600_000
const DAY = 24 * H

let ctx: TestContext
let token: string
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  token = await ctx.token(['read_trades', 'write_trades'])
})
afterAll(() => ctx.close())

/** Move the clock (and the simulated market with it); access tokens live an hour: mint a fresh one. */
async function advance(ms: number): Promise<void> {
  ctx.clock.advance(ms)
  ctx.services.market.advance()
  token = await ctx.token(['read_trades', 'write_trades'])
}

async function trade(symbol: string, side: 'buy' | 'sell', quantity: number): Promise<void> {
  const res = await ctx.call('POST', '/v1/trades', { token, body: { symbol, side, type: 'market', quantity } })
  const body = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(201)
  expect(body.status, JSON.stringify(body)).toBe('filled')
}

async function get(path: string) {
  const res = await ctx.call('GET', path, { token })
  const body = await res.json()
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(200)
  return body
}

const r8 = (x: number): number => Number(x.toFixed(8))

interface ClosedPosition {
  symbol: string
  side: 'long' | 'short'
  realized_pnl: number
  commission: number
  closed_at: string
}

describe('performance of real paper round trips', () => {
  // Jan 15 12:00 UTC  open 0.01 BTC          ─┐ round trip 1: BTC, 2 h, closes Jan 15, on the side
  // Jan 15 14:00 UTC  close 0.01 BTC         ─┘ the market is about to move (so one trip wins)
  // Jan 15 14:00 UTC  sell 0.1 ETH           ─┐ round trip 2: short ETH, 13 h, closes Jan 16
  // Jan 16 03:00 UTC  buy 0.1 ETH            ─┘
  // Jan 17 03:00 UTC  buy 0.01 BTC           ─┐ round trip 3: long BTC, 1 h, closes Jan 17
  // Jan 17 04:00 UTC  sell 0.01 BTC          ─┘
  let trips: { symbol: string; pnl: number; closedAt: number }[]
  beforeAll(async () => {
    // The simulated market is a function of (seed, clock): a second server shows where BTC is in 2 h.
    const probe = await createTestContext()
    probe.clock.advance(2 * H)
    probe.services.market.advance()
    const later = probe.services.market.ticker('BTCUSDT').price
    await probe.close()
    const rises = later > ctx.services.market.ticker('BTCUSDT').price
    await trade('BTCUSDT', rises ? 'buy' : 'sell', 0.01)
    await advance(2 * H)
    await trade('BTCUSDT', rises ? 'sell' : 'buy', 0.01)
    await trade('ETHUSDT', 'sell', 0.1)
    await advance(13 * H)
    await trade('ETHUSDT', 'buy', 0.1)
    await advance(DAY)
    await trade('BTCUSDT', 'buy', 0.01)
    await advance(H)
    await trade('BTCUSDT', 'sell', 0.01)
    const closed = (await get('/v1/positions?status=closed&limit=100')).positions as ClosedPosition[]
    expect(closed).toHaveLength(3)
    // Net pnl of each round trip = realized pnl (before fees) − commissions, oldest close first.
    trips = closed
      .map((p) => ({ symbol: p.symbol, pnl: r8(p.realized_pnl - p.commission), closedAt: Date.parse(p.closed_at) }))
      .sort((a, b) => a.closedAt - b.closedAt)
  })

  it('counts, sums, extremes and durations match the ledger', async () => {
    const perf = await get('/v1/analytics/performance?period=1m')
    const account = await get('/v1/account')
    const pnls = trips.map((t) => t.pnl)
    const wins = pnls.filter((p) => p > 0)
    const losses = pnls.filter((p) => p < 0)
    expect(perf.total_trades).toBe(3)
    // The scenario exercises both sides of the ledger (trip 1 follows the market; see the probe).
    expect(wins.length).toBeGreaterThan(0)
    expect(losses.length).toBeGreaterThan(0)
    expect(perf.winning_trades).toBe(wins.length)
    expect(perf.losing_trades).toBe(losses.length)
    expect(perf.breakeven_trades).toBe(3 - wins.length - losses.length)
    expect(perf.win_rate).toBe(Number(((wins.length / 3) * 100).toFixed(4)))
    // Every position is closed: the balance moved by exactly the net pnl of the round trips.
    expect(perf.total_pnl).toBe(r8(account.balance - account.initial_balance))
    expect(perf.total_pnl).toBeCloseTo(pnls[0]! + pnls[1]! + pnls[2]!, 8)
    expect(perf.gross_profit).toBeCloseTo(wins.reduce((a, b) => a + b, 0), 8)
    expect(perf.gross_loss).toBeCloseTo(-losses.reduce((a, b) => a + b, 0), 8)
    expect(perf.best_trade).toBe(Math.max(...pnls))
    expect(perf.worst_trade).toBe(Math.min(...pnls))
    // (2 h + 13 h + 1 h) / 3 = 5.3333 h
    expect(perf.average_trade_duration).toBe(5.3333)
    // The account opened inside the window: the curve starts at its opening balance.
    expect(perf.starting_equity).toBe(account.initial_balance)
  })

  it('max drawdown and Sharpe follow the documented formulas', async () => {
    const perf = await get('/v1/analytics/performance')
    const e0 = perf.starting_equity as number
    const [p1, p2, p3] = trips.map((t) => t.pnl) as [number, number, number]
    // Realized curve e0 → e0+p1 → e0+p1+p2 → e0+p1+p2+p3; deepest fall from a running peak.
    const curve = [e0, e0 + p1, e0 + p1 + p2, e0 + p1 + p2 + p3]
    let peak = -Infinity
    let dd = 0
    for (const e of curve) {
      peak = Math.max(peak, e)
      dd = Math.max(dd, (peak - e) / peak)
    }
    expect(perf.max_drawdown).toBeCloseTo(dd * 100, 4)
    // One trip closes on each of three consecutive UTC days (Jan 15, 16, 17):
    // r1 = p1/e0, r2 = p2/(e0+p1), r3 = p3/(e0+p1+p2); Sharpe = mean/sample sd × √365.
    const r = [p1 / e0, p2 / (e0 + p1), p3 / (e0 + p1 + p2)]
    const mean = (r[0]! + r[1]! + r[2]!) / 3
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / 2)
    expect(perf.sharpe_ratio).not.toBeNull()
    expect(perf.sharpe_ratio).toBeCloseTo((mean / sd) * Math.sqrt(365), 3)
    // gross profit / gross loss, both > 0 here
    expect(perf.profit_factor).toBeCloseTo(perf.gross_profit / perf.gross_loss, 4)
  })

  it('symbol filter and period windows select round trips by close time', async () => {
    const btc = await get('/v1/analytics/performance?symbol=BTCUSDT')
    expect(btc.symbol).toBe('BTCUSDT')
    expect(btc.total_trades).toBe(2)
    const btcPnl = trips.filter((t) => t.symbol === 'BTCUSDT').map((t) => t.pnl)
    expect(btc.total_pnl).toBeCloseTo(btcPnl[0]! + btcPnl[1]!, 8)
    expect(btc.average_trade_duration).toBe(1.5) // (2 h + 1 h) / 2
    const eth = await get('/v1/analytics/performance?symbol=ethusdt')
    expect(eth.total_trades).toBe(1)
    expect(eth.sharpe_ratio).toBeNull() // a single day of returns
    expect(eth.best_trade).toBe(eth.worst_trade)

    // Now Jan 17 04:00: the last 24 h hold only round trip 3 (Jan 17 04:00); round trip 2 closed Jan 16 03:00.
    expect(ctx.clock.now()).toBe(TEST_EPOCH + 40 * H)
    const day = await get('/v1/analytics/performance?period=1d')
    expect(day.total_trades).toBe(1)
    expect(day.total_pnl).toBe(trips[2]!.pnl)
    // The window starts after the account's first trades: starting equity is the equity then,
    // i.e. the opening balance plus round trips 1 and 2 (no position was open at that instant).
    expect(day.starting_equity).toBeCloseTo(ctx.services.env.PAPER_INITIAL_BALANCE + trips[0]!.pnl + trips[1]!.pnl, 8)

    // A month later, the 1w window is empty again.
    await advance(30 * DAY)
    const later = await get('/v1/analytics/performance?period=1w')
    expect(later.total_trades).toBe(0)
    expect(later.profit_factor).toBeNull()
    expect(later.sharpe_ratio).toBeNull()
    expect((await get('/v1/analytics/performance?period=3m')).total_trades).toBe(3)
  })
})
