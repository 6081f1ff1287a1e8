import { computePerformance, equityAt, periodWindow, roundPerformance, roundTo } from '../../../analytics'
import { invalidSymbol } from '../../../core'
import { getPerformanceRoute } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { userOf } from '../../route-helpers'
import type { App } from '../../types'
import { registerIndicatorsRoute } from './indicators'
import { registerSmcAnalysisRoute } from './smc'

/**
 * A symbol the market knows, upper-cased, or INVALID_SYMBOL. Unlike trading, a symbol disabled in
 * the settings is accepted: its past round trips are still history worth analysing.
 */
function knownSymbol(s: AppServices, raw: string): string {
  const symbol = raw.toUpperCase()
  if (!s.market.instrument(symbol)) throw invalidSymbol(raw, s.market.symbols())
  return symbol
}

const iso = (ms: number): string => new Date(ms).toISOString()

export function registerAnalyticsRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getPerformanceRoute, s), (c) => {
    const q = c.req.valid('query')
    const symbol = q.symbol === undefined ? undefined : knownSymbol(s, q.symbol)
    const accountId = s.execution.accountIdOf(userOf(c))
    const { since, until } = periodWindow(q.period, s.clock.now())
    const trades = s.execution.listRoundTrips(accountId, { symbol, since, until })
    // The account's first mark is its opening balance, so the series is never empty once it exists.
    const startingEquity = equityAt(s.execution.equityHistory(accountId), since) ?? 0
    const metrics = roundPerformance(computePerformance(trades, { startingEquity }))
    return c.json(
      {
        period: q.period,
        symbol: symbol ?? null,
        period_start: iso(since),
        period_end: iso(until),
        starting_equity: roundTo(startingEquity, 8),
        ...metrics,
      },
      200,
    )
  })
  registerSmcAnalysisRoute(app, s)
  registerIndicatorsRoute(app, s)
}
