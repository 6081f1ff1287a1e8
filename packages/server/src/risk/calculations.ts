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

/** A holding for historical simulation: signed marked value (long > 0) and its symbol's returns. */
export interface Holding {
  value: number
  returns: readonly number[]
}

/**
 * Scenario PnLs of holdings under historical simulation: PnL_t = Σ value_s × r_{s,t}, the return
 * series aligned on their most recent end (n = the shortest length). Empty without holdings.
 */
export function scenarioPnls(holdings: readonly Holding[]): number[] {
  if (holdings.length === 0) return []
  const n = Math.min(...holdings.map((h) => h.returns.length))
  const pnl: number[] = new Array(n).fill(0)
  for (const h of holdings) {
    const offset = h.returns.length - n
    for (let t = 0; t < n; t++) pnl[t]! += h.value * h.returns[offset + t]!
  }
  return pnl
}

/** VaR and expected shortfall at one confidence, over the same scenarios. */
export interface TailRisk {
  var: number
  expectedShortfall: number
}

/**
 * Historical VaR and expected shortfall over the same scenarios: with the PnLs sorted ascending and
 * k = ⌊(1 − confidence)·n⌋, VaR = −pnl[k] and ES = −mean(pnl[0..k]) (the VaR scenario and every
 * worse one), both floored at 0. The tail's mean is at most its largest member, so ES ≥ VaR always.
 *
 * @example
 * tailRisk([{ value: 1000, returns: [-0.02, 0.01, 0.005] }], 0.95) // { var: 20, expectedShortfall: 20 }
 */
export function tailRisk(holdings: readonly Holding[], confidence = 0.95): TailRisk {
  const pnl = scenarioPnls(holdings)
  const n = pnl.length
  if (n === 0) return { var: 0, expectedShortfall: 0 }
  pnl.sort((a, b) => a - b)
  const k = Math.min(Math.floor((1 - confidence) * n), n - 1)
  let tail = 0
  for (let i = 0; i <= k; i++) tail += pnl[i]!
  return { var: Math.max(0, -pnl[k]!), expectedShortfall: Math.max(0, -tail / (k + 1)) }
}

/**
 * Historical-simulation Value at Risk at `confidence`: the portfolio (signed values per symbol,
 * long > 0) is revalued under each historical scenario t (see {@link scenarioPnls}); VaR is minus
 * the ⌊(1 − confidence)·n⌋-th smallest PnL, floored at 0. No positions or no scenarios: 0.
 *
 * @example
 * historicalVar([{ value: 1000, returns: [-0.02, 0.01, 0.005] }], 0.95) // 20
 */
export function historicalVar(holdings: readonly Holding[], confidence = 0.95): number {
  return tailRisk(holdings, confidence).var
}

/**
 * Pearson correlation of two return series aligned on their most recent end (n = the shorter
 * length); null when fewer than two scenarios or either series is constant.
 *
 * @example
 * pearson([0.01, 0.02, -0.01], [0.02, 0.04, -0.02]) // 1
 */
export function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = Math.min(a.length, b.length)
  if (n < 2) return null
  const oa = a.length - n
  const ob = b.length - n
  let ma = 0
  let mb = 0
  for (let t = 0; t < n; t++) {
    ma += a[oa + t]!
    mb += b[ob + t]!
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let t = 0; t < n; t++) {
    const da = a[oa + t]! - ma
    const db = b[ob + t]! - mb
    sab += da * db
    saa += da * da
    sbb += db * db
  }
  if (saa === 0 || sbb === 0) return null
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)))
}

/**
 * Correlation matrix of return series by name: symmetric (each pair computed once), 1 on the
 * diagonal, null where a correlation is undefined (see {@link pearson}); rounded to `decimals`.
 *
 * @example
 * correlationMatrix({ BTCUSDT: btc, ETHUSDT: eth }) // { BTCUSDT: { BTCUSDT: 1, ETHUSDT: 0.82 }, ETHUSDT: { … } }
 */
export function correlationMatrix(series: Readonly<Record<string, readonly number[]>>, decimals = 6): Record<string, Record<string, number | null>> {
  const names = Object.keys(series)
  const out: Record<string, Record<string, number | null>> = {}
  for (const s of names) out[s] = {}
  const f = 10 ** decimals
  for (let i = 0; i < names.length; i++) {
    const a = names[i]!
    out[a]![a] = 1
    for (let j = i + 1; j < names.length; j++) {
      const b = names[j]!
      const r = pearson(series[a]!, series[b]!)
      const v = r === null ? null : Math.round(r * f) / f
      out[a]![b] = v
      out[b]![a] = v
    }
  }
  return out
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
