import { drawdown, fromAtoms, roundHalfUp } from '../core'
import type { MarketData } from '../market'
import { correlationMatrix, returns, riskScore, tailRisk, usage } from './calculations'
import { positionLimit } from './limits'
import type { EffectiveLimits, Portfolio } from './types'

/** Hourly returns the VaR replays (one week). */
export const VAR_SCENARIOS = 168

/** One-day VaR from the one-hour figure by the square-root-of-time rule: √24. */
export const VAR_1D_SCALE = Math.sqrt(24)

/**
 * The contract's RiskMetrics for a portfolio under its limits, given the largest drawdown of its
 * equity history (marks and current equity, fraction of the peak; see {@link maxDrawdown}). The
 * VaR, the expected shortfall and the correlation matrix all read the same scenarios: the last
 * {@link VAR_SCENARIOS} hourly returns of each held symbol.
 */
export function riskMetrics(p: Portfolio, l: EffectiveLimits, worstDrawdown: number, market: Pick<MarketData, 'candleColumns'>) {
  const dailyPnl = p.equity - p.dayStartEquity
  const dailyLoss = Math.max(0, -dailyPnl)
  const dd = drawdown(p.peakEquity, p.equity)
  const worst = Math.max(worstDrawdown, dd)
  const series: Record<string, number[]> = {}
  const holdings = p.positions.map((pos) => {
    const r = (series[pos.symbol] ??= returns(market.candleColumns(pos.symbol, '1h', { limit: VAR_SCENARIOS + 1 }).close))
    return { value: fromAtoms(pos.side === 'long' ? pos.value : -pos.value), returns: r }
  })
  const tail = tailRisk(holdings, 0.95)
  const limits: Record<string, { used: number; limit: number }> = {}
  for (const [symbol, limit] of Object.entries(l.positionLimits)) limits[symbol] = { used: 0, limit }
  for (const pos of p.positions) limits[pos.symbol] = { used: pos.lots / pos.qtyScale, limit: positionLimit(l, pos.symbol) }
  limits.total = { used: roundHalfUp(fromAtoms(p.exposure), 8), limit: roundHalfUp(fromAtoms(Math.max(0, p.equity)), 8) }
  const marginUsedPct = p.equity > 0 ? (p.exposure / p.equity) * 100 : p.exposure > 0 ? 100 : 0
  return {
    account_balance: fromAtoms(p.balance),
    available_balance: roundHalfUp(fromAtoms(Math.max(0, p.equity - p.exposure))),
    equity: fromAtoms(p.equity),
    total_exposure: fromAtoms(p.exposure),
    daily_pnl: fromAtoms(dailyPnl),
    daily_loss: fromAtoms(dailyLoss),
    max_drawdown: roundHalfUp(worst * 100, 4),
    current_drawdown: roundHalfUp(dd * 100, 4),
    var_95: roundHalfUp(tail.var, 2),
    // Rounded from the unrounded figures, so ES ≥ VaR holds for the published numbers too.
    expected_shortfall_95: roundHalfUp(tail.expectedShortfall, 2),
    var_95_1d: roundHalfUp(tail.var * VAR_1D_SCALE, 2),
    correlation_matrix: correlationMatrix(series),
    risk_score: riskScore({
      exposure: usage(p.exposure, Math.max(0, p.equity)),
      dailyLoss: usage(fromAtoms(dailyLoss), l.maxDailyLoss),
      drawdown: usage(dd, l.maxDrawdown),
    }),
    position_limits: limits,
    margin_used: roundHalfUp(marginUsedPct, 4),
    margin_available: roundHalfUp(Math.max(0, 100 - marginUsedPct), 4),
    timestamp: new Date(p.now).toISOString(),
  }
}

/** The contract's RiskMetrics as computed here. */
export type RiskMetrics = ReturnType<typeof riskMetrics>
