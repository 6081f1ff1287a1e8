import { allocCandles } from '@smc-trading/smc'
import type { BacktestSpec, EquityPoint, RunMetrics, RunTrade } from '../types'
import type { ReportCandles, ReportInput } from './data'

// A small synthetic run for the report's tests: a seeded random walk of candles and round trips at
// chosen candles, with equity, drawdown and metrics consistent with them (not the engine's; the
// report only renders what it is given).

const HOUR = 3_600_000

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

export interface FixtureOptions {
  candles?: number
  /** [entry candle, exit candle, direction] */
  trades?: [number, number, 'long' | 'short'][]
  params?: Record<string, unknown>
  strategy?: string
  seed?: number
}

export function syntheticRun(opts: FixtureOptions = {}): ReportInput {
  const n = opts.candles ?? 300
  const start = Date.UTC(2024, 0, 1)
  const rand = rng(opts.seed ?? 7)
  const candles: ReportCandles = allocCandles(n)
  let price = 42_000
  for (let i = 0; i < n; i++) {
    const open = price
    const close = open * (1 + (rand() - 0.49) * 0.02)
    const high = Math.max(open, close) * (1 + rand() * 0.006)
    const low = Math.min(open, close) * (1 - rand() * 0.006)
    ;(candles.time as Float64Array)[i] = start + i * HOUR
    ;(candles.open as Float64Array)[i] = open
    ;(candles.high as Float64Array)[i] = high
    ;(candles.low as Float64Array)[i] = low
    ;(candles.close as Float64Array)[i] = close
    ;(candles.volume as Float64Array)[i] = 50 + rand() * 200
    price = close
  }

  const plan =
    opts.trades ??
    ([
      [10, 30, 'long'],
      [45, 60, 'short'],
      [80, 120, 'long'],
      [140, 150, 'short'],
      [190, 230, 'long'],
      [250, 280, 'short'],
    ] as [number, number, 'long' | 'short'][])
  const spec: BacktestSpec = {
    strategy: opts.strategy ?? 'sma_crossover',
    params: opts.params ?? { fast: 10, slow: 30 },
    symbol: 'BTCUSDT',
    interval: '1h',
    start_time: start,
    end_time: start + n * HOUR,
    initial_balance: 10_000,
    taker_fee_bps: 10,
    maker_fee_bps: 2,
    slippage_bps: 1,
  }
  const qty = 0.1
  const trades: RunTrade[] = plan.map(([i, j, direction]) => {
    const entry = candles.open[i]!
    const exit = candles.open[j]!
    const fees = (entry + exit) * qty * 0.001
    const sign = direction === 'long' ? 1 : -1
    return {
      symbol: spec.symbol,
      direction,
      entry_time: candles.time[i]!,
      entry_price: entry,
      exit_time: candles.time[j]!,
      exit_price: exit,
      quantity: qty,
      fees,
      pnl: sign * (exit - entry) * qty - fees,
      exit_reason: j === n - 1 ? 'END_OF_DATA' : 'SIGNAL',
    }
  })

  const equity: EquityPoint[] = []
  let balance = spec.initial_balance
  let peak = -Infinity
  let maxDd = 0
  let inPosition = 0
  const exitsAt = new Map<number, number>()
  const openAt: (RunTrade | undefined)[] = new Array(n)
  for (const [idx, tr] of trades.entries()) {
    const [i, j] = plan[idx]!
    exitsAt.set(j, (exitsAt.get(j) ?? 0) + tr.pnl)
    for (let k = i; k < j; k++) openAt[k] = tr
  }
  for (let k = 0; k < n; k++) {
    const t = candles.time[k]!
    balance += exitsAt.get(k) ?? 0
    const tr = openAt[k]
    const unrealized = tr ? (tr.direction === 'long' ? 1 : -1) * (candles.close[k]! - tr.entry_price) * qty : 0
    if (unrealized !== 0) inPosition++
    const eq = balance + unrealized
    peak = Math.max(peak, eq)
    const dd = peak > 0 ? ((peak - eq) / peak) * 100 : 0
    maxDd = Math.max(maxDd, dd)
    equity.push({ time: t, equity: eq, balance, drawdown_pct: dd })
  }

  const wins = trades.filter((t) => t.pnl > 0)
  const losses = trades.filter((t) => t.pnl < 0)
  const gp = wins.reduce((a, t) => a + t.pnl, 0)
  const gl = -losses.reduce((a, t) => a + t.pnl, 0)
  const total = trades.reduce((a, t) => a + t.pnl, 0)
  const metrics: RunMetrics = {
    processed: n,
    total: n,
    total_return_pct: (total / spec.initial_balance) * 100,
    total_pnl: total,
    realized_pnl: total,
    unrealized_pnl: 0,
    total_trades: trades.length,
    winning_trades: wins.length,
    losing_trades: losses.length,
    win_rate: trades.length ? (wins.length / trades.length) * 100 : 0,
    max_drawdown_pct: maxDd,
    sharpe_ratio: 1.234,
    sortino_ratio: 2.345,
    profit_factor: gl > 0 ? gp / gl : null,
    average_win: wins.length ? gp / wins.length : 0,
    average_loss: losses.length ? -gl / losses.length : 0,
    exposure_pct: (inPosition / n) * 100,
  }
  return { spec, candles, trades, equity, metrics }
}
