/** Reporting periods: the window a period covers and the equity it starts from. Pure. */
import { MS_PER_DAY, type EquityPoint } from './performance'

/** Analysis periods of `GET /v1/analytics/performance`, as rolling windows in days ending now. */
export const PERIOD_DAYS = { '1d': 1, '1w': 7, '1m': 30, '3m': 90, '6m': 180, '1y': 365 } as const
export type Period = keyof typeof PERIOD_DAYS

/**
 * The window [since, until] (epoch ms, inclusive) of a period ending at `now`.
 *
 * @example
 * periodWindow('1w', Date.UTC(2024, 0, 15)) // { since: Date.UTC(2024, 0, 8), until: Date.UTC(2024, 0, 15) }
 */
export function periodWindow(period: Period, now: number): { since: number; until: number } {
  return { since: now - PERIOD_DAYS[period] * MS_PER_DAY, until: now }
}

/**
 * Equity at an instant from ascending marks: the last mark at or before `at`; when every mark is
 * later (the account opened inside the window), the first mark (its opening equity). undefined
 * for an empty series.
 *
 * @example
 * equityAt([{ at: 10, equity: 1000 }, { at: 20, equity: 1050 }], 15) // 1000
 * equityAt([{ at: 10, equity: 1000 }], 5)                            // 1000 (opened later)
 */
export function equityAt(series: readonly EquityPoint[], at: number): number | undefined {
  if (series.length === 0) return undefined
  let lo = 0
  let hi = series.length - 1
  if (series[0]!.at > at) return series[0]!.equity
  // Invariant: series[lo].at <= at; find the last such index.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (series[mid]!.at <= at) lo = mid
    else hi = mid - 1
  }
  return series[lo]!.equity
}
