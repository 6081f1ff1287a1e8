import { describe, expect, it } from 'vitest'
import {
  computePerformance,
  dailyReturns,
  equityAt,
  maxDrawdownPercent,
  periodWindow,
  roundPerformance,
  roundTo,
  sharpeRatio,
  stableSum,
  type ClosedTrade,
  type PerformanceMetrics,
} from '.'

const H = 3_600_000
/** 2024-01-01T00:00:00Z, a UTC midnight. */
const D0 = Date.UTC(2024, 0, 1)
const day = (n: number, hours = 0): number => D0 + n * 24 * H + hours * H

/**
 * A round trip with its pnl computed from prices the way the ledger does:
 * (exit − entry) × qty for a long, (entry − exit) × qty for a short, minus commission.
 */
function trip(
  side: 'long' | 'short',
  entryPrice: number,
  exitPrice: number,
  quantity: number,
  commission: number,
  openedAt: number,
  closedAt: number,
  symbol = 'BTCUSDT',
): ClosedTrade {
  const gross = (side === 'long' ? exitPrice - entryPrice : entryPrice - exitPrice) * quantity
  return { symbol, side, quantity, entryPrice, exitPrice, pnl: gross - commission, commission, openedAt, closedAt }
}

/** A round trip given directly by its net pnl (prices are irrelevant to the metrics). */
function pnlTrip(pnl: number, openedAt: number, closedAt: number, side: 'long' | 'short' = 'long'): ClosedTrade {
  return { symbol: 'BTCUSDT', side, quantity: 1, entryPrice: 100, exitPrice: 100, pnl, commission: 0, openedAt, closedAt }
}

/** No NaN or ±Infinity anywhere (JSON.stringify would silently turn them into null). */
function expectJsonSafe(m: PerformanceMetrics): void {
  for (const [k, v] of Object.entries(m)) {
    if (v !== null) expect(Number.isFinite(v), `${k} = ${v}`).toBe(true)
  }
  expect(JSON.parse(JSON.stringify(m))).toEqual(m)
}

describe('computePerformance: a mixed month, hand-computed', () => {
  // Starting equity 10 000. Five round trips over three UTC days (D0, D0+1, D0+2):
  //   A long  +150    opened D0 00:00 closed D0 02:00   (2 h)
  //   B short −50     opened D0 01:00 closed D0 05:00   (4 h)
  //   C long  −101    opened D1 00:00 closed D1 06:00   (6 h)
  //   D short 0       opened D2 00:00 closed D2 01:00   (1 h)  breakeven
  //   E short +99.99  opened D2 02:00 closed D2 10:00   (8 h)
  const trades = [
    pnlTrip(150, day(0, 0), day(0, 2), 'long'),
    pnlTrip(-50, day(0, 1), day(0, 5), 'short'),
    pnlTrip(-101, day(1, 0), day(1, 6), 'long'),
    pnlTrip(0, day(2, 0), day(2, 1), 'short'),
    pnlTrip(99.99, day(2, 2), day(2, 10), 'short'),
  ]
  const m = computePerformance(trades, { startingEquity: 10_000 })

  it('counts: 2 winners (A, E), 2 losers (B, C), 1 breakeven (D); win rate 2/5 = 40 %', () => {
    expect(m.total_trades).toBe(5)
    expect(m.winning_trades).toBe(2)
    expect(m.losing_trades).toBe(2)
    expect(m.breakeven_trades).toBe(1)
    expect(m.win_rate).toBe(40)
  })

  it('sums and averages', () => {
    // total = 150 − 50 − 101 + 0 + 99.99 = 98.99
    expect(m.total_pnl).toBeCloseTo(98.99, 10)
    // gross profit = 150 + 99.99 = 249.99; gross loss = |−50 − 101| = 151
    expect(m.gross_profit).toBeCloseTo(249.99, 10)
    expect(m.gross_loss).toBe(151)
    // average win = 249.99 / 2 = 124.995; average loss = −151 / 2 = −75.5
    expect(m.average_win).toBeCloseTo(124.995, 10)
    expect(m.average_loss).toBe(-75.5)
    // profit factor = 249.99 / 151 = 1.655562913…
    expect(m.profit_factor).toBeCloseTo(1.6555629139, 9)
    expect(m.best_trade).toBe(150)
    expect(m.worst_trade).toBe(-101)
    // durations 2 + 4 + 6 + 1 + 8 = 21 h over 5 trades = 4.2 h
    expect(m.average_trade_duration).toBeCloseTo(4.2, 12)
  })

  it('max drawdown: 10 000 → 10 150 → 10 100 → 9 999 → 9 999 → 10 098.99; (10 150 − 9 999) / 10 150 = 1.48768… %', () => {
    // 151 / 10 150 = 0.0148768472…  → 1.48768472 %
    expect(m.max_drawdown).toBeCloseTo(1.487684729, 8)
  })

  it('sharpe: daily returns +1 %, −1 %, +1 % → √3/6 × √365 = √1095/6 ≈ 5.515131', () => {
    // day 0: pnl 150 − 50 = 100 on opening equity 10 000      → +0.01
    // day 1: pnl −101 on opening equity 10 100                → −0.01
    // day 2: pnl 0 + 99.99 = 99.99 on opening equity 9 999    → +0.01
    // mean = 0.01/3; deviations (in %) 2/3, −4/3, 2/3; Σsq = 4/9 + 16/9 + 4/9 = 24/9;
    // sample variance = (24/9)/2 = 4/3 → sd = 2/√3 %; mean/sd = (1/3)/(2/√3) = √3/6 = 0.2886751
    // × √365 = √1095/6 = 33.0907842/6 = 5.5151307
    expect(m.sharpe_ratio).toBeCloseTo(5.5151307, 6)
  })

  it('rounded for JSON at the edge', () => {
    const r = roundPerformance(m)
    expect(r).toEqual({
      total_trades: 5,
      winning_trades: 2,
      losing_trades: 2,
      breakeven_trades: 1,
      win_rate: 40,
      total_pnl: 98.99,
      gross_profit: 249.99,
      gross_loss: 151,
      average_win: 124.995,
      average_loss: -75.5,
      profit_factor: 1.6556,
      sharpe_ratio: 5.5151,
      max_drawdown: 1.4877,
      average_trade_duration: 4.2,
      best_trade: 150,
      worst_trade: -101,
    })
    expectJsonSafe(r)
  })

  it('does not depend on input order (sorted by close time)', () => {
    const shuffled = [trades[3]!, trades[0]!, trades[4]!, trades[2]!, trades[1]!]
    expect(computePerformance(shuffled, { startingEquity: 10_000 })).toEqual(m)
  })
})

describe('computePerformance: edge cases', () => {
  it('no trades: zeros and nulls, never NaN or Infinity', () => {
    const m = computePerformance([], { startingEquity: 10_000 })
    expect(m).toEqual({
      total_trades: 0,
      winning_trades: 0,
      losing_trades: 0,
      breakeven_trades: 0,
      win_rate: 0,
      total_pnl: 0,
      gross_profit: 0,
      gross_loss: 0,
      average_win: 0,
      average_loss: 0,
      profit_factor: null,
      sharpe_ratio: null,
      max_drawdown: 0,
      average_trade_duration: 0,
      best_trade: null,
      worst_trade: null,
    })
    expectJsonSafe(m)
    expectJsonSafe(roundPerformance(m))
  })

  it('one winning trade', () => {
    // long 0.5 BTC 40 000 → 40 100, commission 4: (100 × 0.5) − 4 = 46; held 90 minutes
    const m = computePerformance([trip('long', 40_000, 40_100, 0.5, 4, day(0, 1), day(0, 2.5))], { startingEquity: 10_000 })
    expect(m.total_trades).toBe(1)
    expect(m.winning_trades).toBe(1)
    expect(m.win_rate).toBe(100)
    expect(m.total_pnl).toBe(46)
    expect(m.average_win).toBe(46)
    expect(m.average_loss).toBe(0)
    expect(m.profit_factor).toBeNull() // no loss: gross profit / 0 is undefined
    expect(m.sharpe_ratio).toBeNull() // one day of returns
    expect(m.max_drawdown).toBe(0)
    expect(m.average_trade_duration).toBe(1.5)
    expect(m.best_trade).toBe(46)
    expect(m.worst_trade).toBe(46)
    expectJsonSafe(m)
  })

  it('no losses: profit factor null, average loss 0, no drawdown', () => {
    const m = computePerformance([pnlTrip(10, day(0), day(0, 1)), pnlTrip(30, day(1), day(1, 1)), pnlTrip(0, day(2), day(2, 1))], {
      startingEquity: 1_000,
    })
    expect(m.profit_factor).toBeNull()
    expect(m.gross_loss).toBe(0)
    expect(m.average_loss).toBe(0)
    expect(m.max_drawdown).toBe(0)
    // win rate 2/3 = 66.666…% → 66.6667 once rounded
    expect(roundPerformance(m).win_rate).toBe(66.6667)
    expectJsonSafe(m)
  })

  it('all losers: profit factor 0, win rate 0, drawdown from the starting equity', () => {
    // 1 000 → 990 (day 0) → 960 (day 1)
    const m = computePerformance([pnlTrip(-10, day(0), day(0, 3)), pnlTrip(-30, day(1), day(1, 3))], { startingEquity: 1_000 })
    expect(m.winning_trades).toBe(0)
    expect(m.losing_trades).toBe(2)
    expect(m.win_rate).toBe(0)
    expect(m.gross_profit).toBe(0)
    expect(m.gross_loss).toBe(40)
    expect(m.profit_factor).toBe(0) // 0 / 40
    expect(m.average_win).toBe(0)
    expect(m.average_loss).toBe(-20) // −40 / 2
    expect(m.best_trade).toBe(-10)
    expect(m.worst_trade).toBe(-30)
    // peak is the starting equity 1 000, trough 960: 40 / 1 000 = 4 %
    expect(m.max_drawdown).toBeCloseTo(4, 12)
    // returns a = −10/1 000 = −9.9/990, b = −30/990; with two values mean/sd = (a+b) / (√2 |a−b|)
    // = (−39.9/990) / (√2 × 20.1/990) = −39.9 / (20.1 √2) = −1.4036…; × √365 = −26.81688…
    expect(m.sharpe_ratio).toBeCloseTo(-26.816881, 5)
    expectJsonSafe(m)
  })

  it('breakeven trades are neither winners nor losers but count in the total', () => {
    const m = computePerformance([pnlTrip(0, day(0), day(0, 2)), pnlTrip(0, day(1), day(1, 2))], { startingEquity: 1_000 })
    expect(m.total_trades).toBe(2)
    expect(m.winning_trades).toBe(0)
    expect(m.losing_trades).toBe(0)
    expect(m.breakeven_trades).toBe(2)
    expect(m.win_rate).toBe(0)
    expect(m.profit_factor).toBeNull()
    expect(m.best_trade).toBe(0)
    expect(m.worst_trade).toBe(0)
    expect(m.sharpe_ratio).toBeNull() // returns 0, 0: no variation
    expect(m.max_drawdown).toBe(0)
    expectJsonSafe(m)
  })

  it('shorts: a falling price is a win, a rising one a loss (pnl is what counts, not side)', () => {
    // short 2 ETH 2 500 → 2 400, commission 2: (2 500 − 2 400) × 2 − 2 = 198
    const win = trip('short', 2_500, 2_400, 2, 2, day(0), day(0, 5), 'ETHUSDT')
    // short 1 ETH 2 400 → 2 460, commission 1: (2 400 − 2 460) × 1 − 1 = −61
    const loss = trip('short', 2_400, 2_460, 1, 1, day(1), day(1, 1), 'ETHUSDT')
    expect(win.pnl).toBe(198)
    expect(loss.pnl).toBe(-61)
    const m = computePerformance([win, loss], { startingEquity: 5_000 })
    expect(m.winning_trades).toBe(1)
    expect(m.losing_trades).toBe(1)
    expect(m.total_pnl).toBe(137)
    // 198 / 61 = 3.2459016…
    expect(m.profit_factor).toBeCloseTo(3.24590164, 7)
    // 5 000 → 5 198 → 5 137: 61 / 5 198 = 1.17352828 %
    expect(m.max_drawdown).toBeCloseTo(1.17352828, 7)
    // average duration (5 h + 1 h) / 2 = 3 h
    expect(m.average_trade_duration).toBe(3)
  })

  it('a commission can turn a price gain into a loss', () => {
    // long 1 @ 100 → 100.5, commission 0.6: 0.5 − 0.6 = −0.1
    const m = computePerformance([trip('long', 100, 100.5, 1, 0.6, day(0), day(0, 1))], { startingEquity: 1_000 })
    expect(m.losing_trades).toBe(1)
    expect(m.total_pnl).toBeCloseTo(-0.1, 12)
  })

  it('rejects non-finite input and trades closed before they opened', () => {
    expect(() => computePerformance([pnlTrip(Number.NaN, day(0), day(0, 1))], { startingEquity: 1 })).toThrow(RangeError)
    expect(() => computePerformance([pnlTrip(1, day(0, 2), day(0, 1))], { startingEquity: 1 })).toThrow(RangeError)
    expect(() => computePerformance([], { startingEquity: Number.POSITIVE_INFINITY })).toThrow(RangeError)
  })
})

describe('maxDrawdownPercent', () => {
  it('peak to trough of starting equity + cumulative realized pnl', () => {
    // 1 000 → 1 100 → 880 → 930: peak 1 100, trough 880: 220 / 1 100 = 20 %
    const t = [100, -220, 50].map((pnl, i) => ({ pnl, closedAt: i }))
    expect(maxDrawdownPercent(t, 1_000)).toBeCloseTo(20, 12)
  })

  it('keeps the deepest drawdown, not the last one', () => {
    // 1 000 → 900 (−10 % from 1 000) → 1 200 → 1 100 (−8.33 % from 1 200)
    const t = [-100, 300, -100].map((pnl, i) => ({ pnl, closedAt: i }))
    expect(maxDrawdownPercent(t, 1_000)).toBeCloseTo(10, 12)
  })

  it('can exceed 100 % when equity goes negative; no positive peak → 0', () => {
    // 100 → −50: (100 − (−50)) / 100 = 150 %
    expect(maxDrawdownPercent([{ pnl: -150, closedAt: 1 }], 100)).toBeCloseTo(150, 12)
    expect(maxDrawdownPercent([{ pnl: -10, closedAt: 1 }], 0)).toBe(0)
  })
})

describe('sharpeRatio and dailyReturns', () => {
  it('fewer than 2 UTC days → null', () => {
    const sameDay = [pnlTrip(10, day(0), day(0, 1)), pnlTrip(-5, day(0), day(0, 23.9))]
    expect(sharpeRatio(sameDay, 1_000)).toBeNull()
    expect(dailyReturns(sameDay, 1_000)).toEqual([0.005]) // (10 − 5) / 1 000
  })

  it('UTC day boundaries: 23:59:59.999 and 00:00 are different days', () => {
    const t = [pnlTrip(10, day(0), day(1) - 1), pnlTrip(-20, day(0), day(1))]
    // day 0: 10 / 1 000 = 0.01; day 1: −20 / 1 010
    expect(dailyReturns(t, 1_000)).toEqual([0.01, -20 / 1_010])
    expect(sharpeRatio(t, 1_000)).not.toBeNull()
  })

  it('days without a close inside the span are zero returns', () => {
    // day 0: +100 / 10 000 = 0.01; day 1: 0; day 2: −101 / 10 100 = −0.01
    const t = [pnlTrip(100, day(0), day(0, 1)), pnlTrip(-101, day(2), day(2, 1))]
    const r = dailyReturns(t, 10_000)!
    expect(r).toHaveLength(3)
    expect(r[0]).toBeCloseTo(0.01, 15)
    expect(r[1]).toBe(0)
    expect(r[2]).toBeCloseTo(-0.01, 15)
    // mean 0 → ratio 0
    expect(sharpeRatio(t, 10_000)).toBeCloseTo(0, 12)
  })

  it('constant returns (no variation) → null, not a huge number', () => {
    // +0.1 % every day on a compounding base: 1 000 → 1 001 → 1 002.001
    const t = [pnlTrip(1, day(0), day(0, 1)), pnlTrip(1.001, day(1), day(1, 1))]
    expect(sharpeRatio(t, 1_000)).toBeNull()
  })

  it('a day opening at equity ≤ 0 → null', () => {
    const t = [pnlTrip(-200, day(0), day(0, 1)), pnlTrip(10, day(1), day(1, 1))]
    expect(dailyReturns(t, 100)).toBeNull()
    expect(sharpeRatio(t, 100)).toBeNull()
    const m = computePerformance(t, { startingEquity: 100 })
    expect(m.sharpe_ratio).toBeNull()
    expectJsonSafe(m)
  })
})

describe('floats', () => {
  it('sums are compensated: ten trades of 0.1 make exactly 1', () => {
    expect(0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1).not.toBe(1) // the naive sum drifts
    expect(stableSum(Array(10).fill(0.1))).toBe(1)
    const m = computePerformance(
      Array.from({ length: 10 }, (_, i) => pnlTrip(0.1, day(0, i), day(0, i + 0.5))),
      { startingEquity: 1_000 },
    )
    expect(m.total_pnl).toBe(1)
    expect(m.gross_profit).toBe(1)
  })

  it('roundTo: at the edge, half away from zero, never −0', () => {
    expect(roundTo(2 / 3, 4)).toBe(0.6667)
    expect(roundTo(-1e-12, 8)).toBe(0)
    expect(Object.is(roundTo(-1e-12, 8), 0)).toBe(true)
    expect(roundTo(123456789.123456789, 8)).toBe(123456789.12345679)
    expect(() => roundTo(Number.NaN, 2)).toThrow(RangeError)
  })
})

describe('periodWindow and equityAt', () => {
  it('periods are rolling windows ending now', () => {
    const now = Date.UTC(2024, 5, 30, 12)
    expect(periodWindow('1d', now)).toEqual({ since: now - 86_400_000, until: now })
    expect(periodWindow('1w', now).since).toBe(now - 7 * 86_400_000)
    expect(periodWindow('1m', now).since).toBe(now - 30 * 86_400_000)
    expect(periodWindow('3m', now).since).toBe(now - 90 * 86_400_000)
    expect(periodWindow('6m', now).since).toBe(now - 180 * 86_400_000)
    expect(periodWindow('1y', now).since).toBe(now - 365 * 86_400_000)
  })

  it('equity at an instant: last mark at or before, else the opening mark', () => {
    const s = [
      { at: 10, equity: 1_000 },
      { at: 20, equity: 1_050 },
      { at: 20, equity: 1_040 },
      { at: 30, equity: 990 },
    ]
    expect(equityAt([], 5)).toBeUndefined()
    expect(equityAt(s, 5)).toBe(1_000)
    expect(equityAt(s, 10)).toBe(1_000)
    expect(equityAt(s, 19)).toBe(1_000)
    expect(equityAt(s, 20)).toBe(1_040) // the later of two marks at the same instant
    expect(equityAt(s, 29)).toBe(1_040)
    expect(equityAt(s, 1_000)).toBe(990)
  })
})
