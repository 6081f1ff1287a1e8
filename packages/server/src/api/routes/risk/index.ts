import { DomainError } from '../../../core'
import { deleteRiskLockRoute, getRiskEventsRoute, getRiskLimitsRoute, getRiskMetricsRoute, listRiskLocksRoute, updateRiskLimitsRoute } from '../../../generated'
import type { EffectiveLimits, RiskLockRow } from '../../../risk'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'
import { readerOf, userOf } from '../../route-helpers'

const limitsView = (l: EffectiveLimits) => ({
  max_position_size: l.maxPositionSize,
  max_daily_loss: l.maxDailyLoss,
  max_drawdown: l.maxDrawdown,
  stop_loss_percent: l.stopLossPercent,
  position_limits: l.positionLimits,
  protections: l.protections,
  updated_at: l.updatedAt === null ? null : new Date(l.updatedAt).toISOString(),
})

/** The contract's RiskLock (active at `now`). */
const lockView = (r: RiskLockRow, now: number) => ({
  id: r.id,
  protection: r.protection as 'cooldown' | 'stoploss_guard' | 'max_drawdown',
  symbol: r.symbol,
  reason: r.reason,
  created_at: new Date(r.createdAt).toISOString(),
  until: new Date(r.until).toISOString(),
  active: r.removedAt === null && r.until > now,
  removed_at: r.removedAt === null ? null : new Date(r.removedAt).toISOString(),
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

  app.openapi(secured(listRiskLocksRoute, s), (c) => {
    const q = c.req.valid('query')
    const accountId = s.execution.accountIdOf(userOf(c))
    const now = s.clock.now()
    return c.json({ locks: s.risk.listLocks(accountId, { active: q.active, limit: q.limit }).map((r) => lockView(r, now)) }, 200)
  })

  app.openapi(secured(deleteRiskLockRoute, s), (c) => {
    const { id } = c.req.valid('param')
    const caller = readerOf(c)
    const lock = s.risk.lock(id)
    // Another account's lock is as unknown as a missing one, unless an administrator asks.
    const mine = lock !== undefined && (caller.scopes.includes('admin_full') || lock.accountId === s.execution.accountIdOf(caller.userId))
    if (!lock || !mine) throw new DomainError('NOT_FOUND', `Lock ${id} not found`, { lock_id: id })
    const removed = s.risk.removeLock(lock)
    s.logger.warn({ lockId: id, protection: lock.protection, by: caller.userId }, 'protection lock removed')
    return c.json(lockView(removed, s.clock.now()), 200)
  })
}
