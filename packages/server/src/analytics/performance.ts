/**
 * Performance analytics of closed round trips. Pure: no I/O, no clock; the caller passes the trades,
 * the equity the period starts from and (for windows) "now".
 *
 * Floats: every sum runs in one fixed order (trades by close time, ties in input order) with
 * Neumaier compensation, so results do not depend on how the caller ordered its input and do not
 * drift with many small PnLs. Values are kept at full precision by {@link computePerformance};
 * {@link roundPerformance} rounds them once, at the edge (JSON). No result is ever NaN or ±Infinity:
 * undefined ratios are `null`.
 */
import { DrawdownTracker } from '../core/drawdown'

export const MS_PER_HOUR = 3_600_000
export const MS_PER_DAY = 86_400_000

/**
 * Trading days per year used to annualize the Sharpe ratio. Crypto trades 24/7, so every calendar
 * day is a trading day (365, not the 252 of exchange-traded equities).
 */
export const ANNUALIZATION_DAYS = 365

/** One closed round trip (the execution module's `RoundTrip` is one, with its position id). */
export interface ClosedTrade {
  symbol: string
  side: 'long' | 'short'
  /** Total quantity opened (= closed), base units. */
  quantity: number
  /** Volume-weighted entry and exit prices. */
  entryPrice: number
  exitPrice: number
  /** Realized PnL net of every commission of the round trip (quote currency). */
  pnl: number
  /** Commissions paid on the entries and exits (quote currency). */
  commission: number
  /** Epoch ms. */
  openedAt: number
  /** Epoch ms. */
  closedAt: number
}

/** A mark of account equity (quote currency) at an instant (epoch ms). */
export interface EquityPoint {
  at: number
  equity: number
}

/** The seed's performance object (full precision; see {@link roundPerformance}). */
export interface PerformanceMetrics {
  total_trades: number
  /** Trades with pnl > 0. */
  winning_trades: number
  /** Trades with pnl < 0. */
  losing_trades: number
  /** Trades with pnl === 0: neither winners nor losers, but they count in `total_trades`. */
  breakeven_trades: number
  /** winning_trades / total_trades × 100 (breakevens are in the denominator); 0 without trades. */
  win_rate: number
  /** Σ pnl. */
  total_pnl: number
  /** Σ pnl of winners (≥ 0). */
  gross_profit: number
  /** |Σ pnl of losers| (≥ 0). */
  gross_loss: number
  /** gross_profit / winning_trades; 0 without winners. */
  average_win: number
  /** −gross_loss / losing_trades (≤ 0); 0 without losers. */
  average_loss: number
  /** gross_profit / gross_loss; null when there is no loss (no trade, or only winners/breakevens). */
  profit_factor: number | null
  /** See {@link sharpeRatio}. */
  sharpe_ratio: number | null
  /** See {@link maxDrawdownPercent}. */
  max_drawdown: number
  /** Mean of (closedAt − openedAt) in hours; 0 without trades. */
  average_trade_duration: number
  /** Largest pnl; null without trades. */
  best_trade: number | null
  /** Smallest pnl; null without trades. */
  worst_trade: number | null
}

/** Compensated (Neumaier) summation, in the order given. */
export function stableSum(values: Iterable<number>): number {
  let sum = 0
  let c = 0
  for (const x of values) {
    const t = sum + x
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum
    sum = t
  }
  return sum + c
}

/**
 * A running compensated sum (for curves: the value after each addition). Its value after adding
 * x₁ … xₙ is exactly {@link stableSum}([x₁ … xₙ]): the same steps in the same order.
 */
export class RunningSum {
  private sum = 0
  private c = 0
  add(x: number): number {
    const t = this.sum + x
    this.c += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum
    this.sum = t
    return this.value
  }
  get value(): number {
    return this.sum + this.c
  }
}

/** Why the analytics refuse a trade (a field not finite, or closed before opened); undefined when they take it. */
export function tradeProblem(t: ClosedTrade): string | undefined {
  for (const k of ['pnl', 'commission', 'quantity', 'entryPrice', 'exitPrice', 'openedAt', 'closedAt'] as const) {
    if (!Number.isFinite(t[k])) return `${k} must be a finite number, got ${t[k]}`
  }
  if (t.closedAt < t.openedAt) return `closedAt ${t.closedAt} is before openedAt ${t.openedAt}`
  return undefined
}

function assertValid(t: ClosedTrade, i: number): void {
  const problem = tradeProblem(t)
  if (problem !== undefined) throw new RangeError(`trade ${i}: ${problem}`)
}

/** Trades by close time; ties keep their input order (Array#sort is stable). */
export function byCloseTime<T extends { closedAt: number }>(trades: readonly T[]): T[] {
  return [...trades].sort((a, b) => a.closedAt - b.closedAt)
}

/**
 * Maximum drawdown, percent, of the realized equity curve: E₀ = startingEquity, then
 * Eᵢ = Eᵢ₋₁ + pnlᵢ after each trade by close time. Drawdown at i = (peak − Eᵢ) / peak with
 * peak = max(E₀ … Eᵢ); the result is the largest one × 100, a non-negative number (5.2 = 5.2 %).
 * Unrealized swings while positions are open are not part of this curve. Only positive peaks
 * define a drawdown (a percentage of a non-positive equity means nothing); no trades → 0.
 *
 * @example
 * maxDrawdownPercent([{ pnl: 100 }, { pnl: -220 }, { pnl: 50 }].map((t, i) => ({ ...t, closedAt: i })), 1000)
 * // curve 1000 → 1100 → 880 → 930; peak 1100, trough 880: 220 / 1100 = 20 (%)
 */
export function maxDrawdownPercent(trades: readonly Pick<ClosedTrade, 'pnl' | 'closedAt'>[], startingEquity: number): number {
  const cumulative = new RunningSum()
  const dd = new DrawdownTracker(startingEquity)
  for (const t of byCloseTime(trades)) dd.note(startingEquity + cumulative.add(t.pnl))
  return dd.worst * 100
}

/** UTC day number (days since the epoch) of an epoch-ms instant. */
export const utcDay = (ms: number): number => Math.floor(ms / MS_PER_DAY)

/**
 * Daily returns of the realized equity curve, one per UTC day from the day of the first close to
 * the day of the last close (inclusive; days without a close return 0):
 * rₐ = PnLₐ / Eₐ, with PnLₐ the pnl of the trades closed on day d and Eₐ the equity when day d
 * opens = startingEquity + pnl closed on earlier days. Undefined (null) when a day opens at
 * equity ≤ 0.
 */
export function dailyReturns(trades: readonly Pick<ClosedTrade, 'pnl' | 'closedAt'>[], startingEquity: number): number[] | null {
  const sorted = byCloseTime(trades)
  if (sorted.length === 0) return []
  const first = utcDay(sorted[0]!.closedAt)
  const last = utcDay(sorted[sorted.length - 1]!.closedAt)
  const perDay: number[][] = Array.from({ length: last - first + 1 }, () => [])
  for (const t of sorted) perDay[utcDay(t.closedAt) - first]!.push(t.pnl)
  const cumulative = new RunningSum()
  const out: number[] = []
  for (const pnls of perDay) {
    const open = startingEquity + cumulative.value
    if (!(open > 0)) return null
    const pnl = stableSum(pnls)
    out.push(pnl / open)
    cumulative.add(pnl)
  }
  return out
}

/**
 * Annualized Sharpe ratio of the {@link dailyReturns}: mean(r) / s(r) × √365, with s the sample
 * standard deviation (n − 1) and a risk-free rate of 0. null when there are fewer than 2 days,
 * when the returns do not vary (s ≈ 0) or when a day opens at equity ≤ 0.
 *
 * @example
 * // 10 000 equity; +100 on day 1, −101 on day 2, +99.99 on day 3: returns +1 %, −1 %, +1 %
 * // mean = 1/3 %, s = 2/√3 %, ratio = √3/6 ≈ 0.288675, × √365 ≈ 5.515131
 */
export function sharpeRatio(trades: readonly Pick<ClosedTrade, 'pnl' | 'closedAt'>[], startingEquity: number): number | null {
  return sharpeOfReturns(dailyReturns(trades, startingEquity))
}

/** {@link sharpeRatio} of daily returns already at hand (null: undefined returns). */
export function sharpeOfReturns(r: readonly number[] | null): number | null {
  if (!r || r.length < 2) return null
  const mean = stableSum(r) / r.length
  const variance = stableSum(r.map((x) => (x - mean) ** 2)) / (r.length - 1)
  const sd = Math.sqrt(variance)
  // Float noise on constant returns leaves a std of ~1e-18: that is "no variation", not a huge ratio.
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) return null
  const ratio = (mean / sd) * Math.sqrt(ANNUALIZATION_DAYS)
  return Number.isFinite(ratio) ? ratio : null
}

/**
 * Every metric of the performance object for closed round trips. `startingEquity` is the account
 * equity when the analysed period starts (see {@link equityAt}); it anchors the equity curve of
 * `max_drawdown` and the daily returns of `sharpe_ratio`.
 *
 * @example
 * const m = computePerformance(trades, { startingEquity: 10_000 })
 * const body = roundPerformance(m)
 */
export function computePerformance(trades: readonly ClosedTrade[], opts: { startingEquity: number }): PerformanceMetrics {
  if (!Number.isFinite(opts.startingEquity)) throw new RangeError(`startingEquity must be finite, got ${opts.startingEquity}`)
  trades.forEach(assertValid)
  const sorted = byCloseTime(trades)
  const wins = sorted.filter((t) => t.pnl > 0).map((t) => t.pnl)
  const losses = sorted.filter((t) => t.pnl < 0).map((t) => t.pnl)
  const n = sorted.length
  const grossProfit = stableSum(wins)
  const grossLoss = Math.abs(stableSum(losses))
  let best: number | null = null
  let worst: number | null = null
  for (const t of sorted) {
    if (best === null || t.pnl > best) best = t.pnl
    if (worst === null || t.pnl < worst) worst = t.pnl
  }
  return {
    total_trades: n,
    winning_trades: wins.length,
    losing_trades: losses.length,
    breakeven_trades: n - wins.length - losses.length,
    win_rate: n === 0 ? 0 : (wins.length / n) * 100,
    total_pnl: stableSum(sorted.map((t) => t.pnl)),
    gross_profit: grossProfit,
    gross_loss: grossLoss,
    average_win: wins.length === 0 ? 0 : grossProfit / wins.length,
    average_loss: losses.length === 0 ? 0 : -grossLoss / losses.length,
    profit_factor: grossLoss > 0 ? grossProfit / grossLoss : null,
    sharpe_ratio: sharpeRatio(sorted, opts.startingEquity),
    max_drawdown: maxDrawdownPercent(sorted, opts.startingEquity),
    average_trade_duration: n === 0 ? 0 : stableSum(sorted.map((t) => t.closedAt - t.openedAt)) / n / MS_PER_HOUR,
    best_trade: best,
    worst_trade: worst,
  }
}

/** Decimal places of each metric in JSON: money as quote atoms (8), percents/ratios/hours 4. */
export const PERFORMANCE_DECIMALS: Record<keyof PerformanceMetrics, number> = {
  total_trades: 0,
  winning_trades: 0,
  losing_trades: 0,
  breakeven_trades: 0,
  win_rate: 4,
  total_pnl: 8,
  gross_profit: 8,
  gross_loss: 8,
  average_win: 8,
  average_loss: 8,
  profit_factor: 4,
  sharpe_ratio: 4,
  max_drawdown: 4,
  average_trade_duration: 4,
  best_trade: 8,
  worst_trade: 8,
}

/**
 * `x` rounded half away from zero to `decimals` places of its decimal rendering, never −0.
 * Goes through `toFixed` (exact on the binary value, no overflow of `x × 10^d`).
 */
export function roundTo(x: number, decimals: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`cannot round ${x}`)
  const r = Number(x.toFixed(decimals))
  return r === 0 ? 0 : r
}

/** The metrics rounded for presentation ({@link PERFORMANCE_DECIMALS}); nulls stay null. */
export function roundPerformance(m: PerformanceMetrics): PerformanceMetrics {
  const out = { ...m }
  for (const k of Object.keys(PERFORMANCE_DECIMALS) as (keyof PerformanceMetrics)[]) {
    const v = m[k]
    ;(out as Record<string, number | null>)[k] = v === null ? null : roundTo(v, PERFORMANCE_DECIMALS[k])
  }
  return out
}
