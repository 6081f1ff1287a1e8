import { computePerformance, equityAt, roundPerformance, roundTo } from '../analytics'
import { fromAtoms } from '../core'
import type { ExecutionService } from '../execution'
import type { StrategyAccountRow } from '../store'
import { strategyUserId } from './user-ids'
import type { LeaderboardEntry } from './types'

/**
 * The leaderboard of strategy accounts. Each account's figures are `computePerformance` (the code
 * behind /v1/analytics/performance) over all its closed round trips, from its opening equity:
 * total_pnl (Σ round-trip pnl, net of their fees), win rate, Sharpe, max drawdown, trade count;
 * roi_percentage = total_pnl / initial_balance × 100. Values are rounded as the analytics endpoint
 * rounds them (roi to 4 decimals), and ranked on the rounded values: ROI descending, then total_pnl
 * descending, then account id ascending. Open positions do not count (their PnL is shown apart).
 */
export function leaderboard(execution: ExecutionService, accounts: readonly StrategyAccountRow[]): LeaderboardEntry[] {
  const rows = accounts.map((r) => entry(execution, r))
  rows.sort((a, b) => b.roi_percentage - a.roi_percentage || b.total_pnl - a.total_pnl || (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : 0))
  rows.forEach((r, i) => (r.rank = i + 1))
  return rows
}

function entry(ex: ExecutionService, r: StrategyAccountRow): LeaderboardEntry {
  const st = ex.state(strategyUserId(r.id))
  const a = st.account
  const initial = fromAtoms(a.initialBalance)
  const startingEquity = equityAt(ex.equityHistory(a.id), 0) ?? initial
  const m = roundPerformance(computePerformance(ex.listRoundTrips(a.id), { startingEquity }))
  const equity = fromAtoms(ex.portfolio(st).equity)
  const balance = fromAtoms(a.balance)
  return {
    rank: 0,
    account_id: r.id,
    owner_id: r.ownerId,
    name: r.name,
    strategy: r.strategy,
    active: r.active,
    initial_balance: initial,
    balance,
    equity,
    total_pnl: m.total_pnl,
    unrealized_pnl: roundTo(equity - balance, 8),
    roi_percentage: initial > 0 ? roundTo((m.total_pnl / initial) * 100, 4) : 0,
    total_trades: m.total_trades,
    winning_trades: m.winning_trades,
    losing_trades: m.losing_trades,
    win_rate: m.win_rate,
    sharpe_ratio: m.sharpe_ratio,
    max_drawdown: m.max_drawdown,
  }
}
