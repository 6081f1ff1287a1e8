/** Pure risk arithmetic: no clock, no store. Money in the caller's unit. */
import { DrawdownTracker } from '../core'

/**
 * Largest peak-to-trough fall of an equity series, as a fraction of the peak (0.052 = 5.2 %).
 *
 * @example
 * maxDrawdown([100, 120, 90, 130]) // 0.25
 */
export function maxDrawdown(equity: readonly number[]): number {
  const t = new DrawdownTracker()
  for (const e of equity) t.note(e)
  return t.worst
}

/** Simple returns of a price series: r_t = p_t / p_{t−1} − 1. */
export function returns(prices: ArrayLike<number>): number[] {
  const out: number[] = []
  for (let i = 1; i < prices.length; i++) {
    const prev = prices[i - 1]!
    if (prev > 0) out.push(prices[i]! / prev - 1)
  }
  return out
}

/**
 * Historical-simulation Value at Risk at `confidence`: the portfolio (signed values per symbol,
 * long > 0) is revalued under each historical scenario t (PnL_t = Σ value_s × r_{s,t}, scenarios
 * aligned on their most recent end); VaR is minus the ⌊(1 − confidence)·n⌋-th smallest PnL, floored
 * at 0. No positions or no scenarios: 0.
 *
 * @example
 * historicalVar([{ value: 1000, returns: [-0.02, 0.01, 0.005] }], 0.95) // 20
 */
export function historicalVar(holdings: readonly { value: number; returns: readonly number[] }[], confidence = 0.95): number {
  if (holdings.length === 0) return 0
  const n = Math.min(...holdings.map((h) => h.returns.length))
  if (n === 0) return 0
  const pnl: number[] = new Array(n).fill(0)
  for (const h of holdings) {
    const offset = h.returns.length - n
    for (let t = 0; t < n; t++) pnl[t]! += h.value * h.returns[offset + t]!
  }
  pnl.sort((a, b) => a - b)
  const k = Math.floor((1 - confidence) * n)
  return Math.max(0, -pnl[Math.min(k, n - 1)]!)
}

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : x > 0 ? 1 : 0)

/**
 * Risk score in [0, 1]: 0.4·u_exposure + 0.3·u_daily_loss + 0.3·u_drawdown, each usage clamped
 * to [0, 1], rounded to 4 decimals.
 *
 * @example
 * riskScore({ exposure: 0.45, dailyLoss: 0, drawdown: 0.2 }) // 0.24
 */
export function riskScore(u: { exposure: number; dailyLoss: number; drawdown: number }): number {
  const s = 0.4 * clamp01(u.exposure) + 0.3 * clamp01(u.dailyLoss) + 0.3 * clamp01(u.drawdown)
  return Math.round(s * 1e4) / 1e4
}

/** Usage ratio `used / limit` (a non-positive limit counts as fully used once anything is used). */
export const usage = (used: number, limit: number): number => (limit > 0 ? used / limit : used > 0 ? Infinity : 0)

export const WARNING_USAGE = 0.8
export const HIGH_USAGE = 0.95

/** Severity of a limit at `u` usage: medium from 80 %, high from 95 %, critical at or above 100 %. */
export function usageSeverity(u: number): 'medium' | 'high' | 'critical' | undefined {
  if (u >= 1) return 'critical'
  if (u >= HIGH_USAGE) return 'high'
  if (u >= WARNING_USAGE) return 'medium'
  return undefined
}
