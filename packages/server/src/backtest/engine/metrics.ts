import { ANNUALIZATION_DAYS, computePerformance, dailyReturns, stableSum, type ClosedTrade } from '../../analytics'
import type { RunMetrics, RunTrade } from '../types'

/** A run's trade as the analytics module's closed round trip. */
export function toClosedTrade(t: RunTrade): ClosedTrade {
  return {
    symbol: t.symbol,
    side: t.direction,
    quantity: t.quantity,
    entryPrice: t.entry_price,
    exitPrice: t.exit_price,
    pnl: t.pnl,
    commission: t.fees,
    openedAt: t.entry_time,
    closedAt: t.exit_time,
  }
}

/**
 * Annualized Sortino ratio of the analytics module's daily returns of the realized equity curve
 * ({@link dailyReturns}): mean(r) / sqrt(Σ min(r, 0)² / n) × √365, target return 0. null with fewer
 * than 2 days, without a losing day (no downside deviation), or when a day opens at equity ≤ 0.
 */
export function sortinoRatio(trades: readonly Pick<ClosedTrade, 'pnl' | 'closedAt'>[], startingEquity: number): number | null {
  const r = dailyReturns(trades, startingEquity)
  if (!r || r.length < 2) return null
  const mean = stableSum(r) / r.length
  const downside = Math.sqrt(stableSum(r.map((x) => (x < 0 ? x * x : 0))) / r.length)
  if (!(downside > 1e-12 * Math.max(1, Math.abs(mean)))) return null
  const ratio = (mean / downside) * Math.sqrt(ANNUALIZATION_DAYS)
  return Number.isFinite(ratio) ? ratio : null
}

const atoms = (x: number): number => Math.round(x * 1e8) / 1e8 + 0

/** What the engine knows besides the trades when it takes a checkpoint. */
export interface MetricsState {
  processed: number
  total: number
  initialBalance: number
  /** Account equity now (balance + unrealized PnL at the last price). */
  equity: number
  /** Largest drawdown of the per-candle equity points so far, percent. */
  maxDrawdownPct: number
  /** Candles during which a position was open, at any moment. */
  exposedCandles: number
}

/**
 * The run's metrics: the trade figures (count, wins, losses, win rate, profit factor, averages,
 * Sharpe) are the analytics module's {@link computePerformance} over the closed round trips; the
 * equity figures come from the per-candle equity curve. `total_pnl` = equity − initial balance;
 * `realized_pnl` = Σ pnl of the closed round trips (net of their fees); `unrealized_pnl` = the rest
 * (the open position marked to the last price, net of its entry fee), so the three always add up.
 */
export function computeRunMetrics(trades: readonly RunTrade[], s: MetricsState): RunMetrics {
  const closed = trades.map(toClosedTrade)
  const perf = computePerformance(closed, { startingEquity: s.initialBalance })
  // Money to the ledger's atom (1e-8): a difference of two decimals leaves float noise behind.
  const totalPnl = atoms(s.equity - s.initialBalance)
  return {
    processed: s.processed,
    total: s.total,
    total_return_pct: (totalPnl / s.initialBalance) * 100,
    total_pnl: totalPnl,
    realized_pnl: perf.total_pnl,
    unrealized_pnl: atoms(totalPnl - perf.total_pnl),
    total_trades: perf.total_trades,
    winning_trades: perf.winning_trades,
    losing_trades: perf.losing_trades,
    win_rate: perf.win_rate,
    max_drawdown_pct: s.maxDrawdownPct,
    sharpe_ratio: perf.sharpe_ratio,
    sortino_ratio: sortinoRatio(closed, s.initialBalance),
    profit_factor: perf.profit_factor,
    average_win: perf.winning_trades === 0 ? null : perf.average_win,
    average_loss: perf.losing_trades === 0 ? null : perf.average_loss,
    exposure_pct: s.processed === 0 ? 0 : (s.exposedCandles / s.processed) * 100,
  }
}
