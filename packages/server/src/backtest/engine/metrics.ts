import { ANNUALIZATION_DAYS, computePerformance, dailyReturns, RunningSum, sharpeOfReturns, stableSum, tradeProblem, utcDay, type ClosedTrade } from '../../analytics'
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
  return sortinoOfReturns(dailyReturns(trades, startingEquity))
}

/** {@link sortinoRatio} of daily returns already at hand (null: undefined returns). */
export function sortinoOfReturns(r: readonly number[] | null): number | null {
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
  return runMetrics(s, {
    realized: perf.total_pnl,
    trades: perf.total_trades,
    wins: perf.winning_trades,
    losses: perf.losing_trades,
    winRate: perf.win_rate,
    sharpe: perf.sharpe_ratio,
    sortino: sortinoRatio(closed, s.initialBalance),
    profitFactor: perf.profit_factor,
    averageWin: perf.winning_trades === 0 ? null : perf.average_win,
    averageLoss: perf.losing_trades === 0 ? null : perf.average_loss,
  })
}

/** What the closed round trips contribute to a checkpoint (the rest is the equity curve's). */
interface TradeFigures {
  realized: number
  trades: number
  wins: number
  losses: number
  winRate: number
  sharpe: number | null
  sortino: number | null
  profitFactor: number | null
  averageWin: number | null
  averageLoss: number | null
}

/** The checkpoint: the equity curve's figures and the trades', in the stored field order. */
function runMetrics(s: MetricsState, t: TradeFigures): RunMetrics {
  // Money to the ledger's atom (1e-8): a difference of two decimals leaves float noise behind.
  const totalPnl = atoms(s.equity - s.initialBalance)
  return {
    processed: s.processed,
    total: s.total,
    total_return_pct: (totalPnl / s.initialBalance) * 100,
    total_pnl: totalPnl,
    realized_pnl: t.realized,
    unrealized_pnl: atoms(totalPnl - t.realized),
    total_trades: t.trades,
    winning_trades: t.wins,
    losing_trades: t.losses,
    win_rate: t.winRate,
    max_drawdown_pct: s.maxDrawdownPct,
    sharpe_ratio: t.sharpe,
    sortino_ratio: t.sortino,
    profit_factor: t.profitFactor,
    average_win: t.averageWin,
    average_loss: t.averageLoss,
    exposure_pct: s.processed === 0 ? 0 : (s.exposedCandles / s.processed) * 100,
  }
}

/**
 * {@link computeRunMetrics} kept up to date trade by trade: a checkpoint costs O(days) (the Sharpe
 * and Sortino passes over the daily returns) instead of O(trades), and a run's checkpoints stop
 * growing quadratically with its trades. Every figure is the same float: the compensated sums run
 * over the same values in the same order (trades by close time, as they close), and the daily
 * returns of the days already over do not change. A trade that closes before the previous one, or
 * that the analytics would refuse, sends every later call to computeRunMetrics itself.
 */
export class RunMetricsTracker {
  private readonly list: RunTrade[] = []
  private fallback = false
  private wins = 0
  private losses = 0
  private readonly gross = { profit: new RunningSum(), loss: new RunningSum(), pnl: new RunningSum() }
  /** Daily returns of the days before the current one; null once a day opened at equity ≤ 0. */
  private returns: number[] | null = []
  /** Σ pnl of the days before the current one (dailyReturns' running sum). */
  private readonly before = new RunningSum()
  /** The current day (of the last close) and its pnl so far. */
  private day = Number.NaN
  private today = new RunningSum()

  constructor(private readonly initialBalance: number) {}

  get trades(): readonly RunTrade[] {
    return this.list
  }

  /** Closed round trips so far. */
  get count(): number {
    return this.list.length
  }

  add(t: RunTrade): void {
    const prev = this.list.at(-1)
    this.list.push(t)
    if (this.fallback) return
    if (tradeProblem(toClosedTrade(t)) !== undefined || (prev !== undefined && t.exit_time < prev.exit_time)) {
      this.fallback = true
      return
    }
    if (t.pnl > 0) {
      this.wins++
      this.gross.profit.add(t.pnl)
    } else if (t.pnl < 0) {
      this.losses++
      this.gross.loss.add(t.pnl)
    }
    this.gross.pnl.add(t.pnl)
    const d = utcDay(t.exit_time)
    if (Number.isNaN(this.day)) this.day = d
    // Days over: their return as dailyReturns computes it (a day without a close returns 0).
    for (; this.day < d; this.day++) {
      this.closeDay(this.today.value)
      this.today = new RunningSum()
    }
    this.today.add(t.pnl)
  }

  private closeDay(pnl: number): void {
    if (this.returns === null) return
    const open = this.initialBalance + this.before.value
    if (!(open > 0)) {
      this.returns = null
      return
    }
    this.returns.push(pnl / open)
    this.before.add(pnl)
  }

  /** The daily returns as dailyReturns gives them for the trades so far. */
  private dailyReturns(): number[] | null {
    if (this.returns === null) return null
    if (this.list.length === 0) return []
    const open = this.initialBalance + this.before.value
    if (!(open > 0)) return null
    return [...this.returns, this.today.value / open]
  }

  metrics(s: MetricsState): RunMetrics {
    if (this.fallback) return computeRunMetrics(this.list, s)
    const n = this.list.length
    const grossProfit = this.gross.profit.value
    const grossLoss = Math.abs(this.gross.loss.value)
    const realized = this.gross.pnl.value
    const r = this.dailyReturns()
    return runMetrics(s, {
      realized,
      trades: n,
      wins: this.wins,
      losses: this.losses,
      winRate: n === 0 ? 0 : (this.wins / n) * 100,
      sharpe: sharpeOfReturns(r),
      sortino: sortinoOfReturns(r),
      profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
      averageWin: this.wins === 0 ? null : grossProfit / this.wins,
      averageLoss: this.losses === 0 ? null : -grossLoss / this.losses,
    })
  }
}
