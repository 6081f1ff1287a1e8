import { DomainError } from '../../../core'
import { getRiskEventsRoute, getRiskLimitsRoute, getRiskMetricsRoute, updateRiskLimitsRoute } from '../../../generated'
import type { EffectiveLimits } from '../../../risk'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'
import { userOf } from '../../route-helpers'

const limitsView = (l: EffectiveLimits) => ({
  max_position_size: l.maxPositionSize,
  max_daily_loss: l.maxDailyLoss,
  max_drawdown: l.maxDrawdown,
  stop_loss_percent: l.stopLossPercent,
  position_limits: l.positionLimits,
  updated_at: l.updatedAt === null ? null : new Date(l.updatedAt).toISOString(),
})

export function registerRiskRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getRiskMetricsRoute, s), (c) => {
    const st = s.execution.state(userOf(c))
    const p = s.execution.portfolio(st)
    return c.json(s.risk.metrics(p, s.execution.worstDrawdown(st, p)), 200)
  })

  app.openapi(secured(getRiskLimitsRoute, s), (c) => {
    const accountId = s.execution.accountIdOf(userOf(c))
    return c.json(limitsView(s.risk.limits(accountId)), 200)
  })

  app.openapi(secured(updateRiskLimitsRoute, s), (c) => {
    const accountId = s.execution.accountIdOf(userOf(c))
    return c.json(limitsView(s.risk.updateLimits(accountId, c.req.valid('json'))), 200)
  })

  app.openapi(secured(getRiskEventsRoute, s), (c) => {
    const q = c.req.valid('query')
    const accountId = s.execution.accountIdOf(userOf(c))
    const since = q.start_date === undefined ? undefined : Date.parse(q.start_date)
    const until = q.end_date === undefined ? undefined : Date.parse(q.end_date)
    if (since !== undefined && until !== undefined && since > until)
      throw new DomainError('VALIDATION_FAILED', 'start_date must not be after end_date', { field: 'start_date' })
    return c.json({ events: s.risk.listEvents(accountId, { severity: q.severity, since, until, resolved: q.resolved, limit: q.limit }) }, 200)
  })
}
