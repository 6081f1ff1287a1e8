import { randomId } from '../../../auth'
import { isoOrNull } from '../../../core'
import { emergencyStopRoute, pauseTradingRoute, resumeTradingRoute } from '../../../generated'
import type { TradingControlRow } from '../../../risk'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'

/** The contract's TradingControl of a stored control. */
function controlView(row: TradingControlRow, userId: string | null, ordersCancelled: number) {
  return {
    status: row.paused ? ('paused' as const) : ('active' as const),
    scope: userId === null ? ('global' as const) : ('account' as const),
    user_id: userId,
    reason: row.reason,
    paused_at: isoOrNull(row.pausedAt),
    resume_at: isoOrNull(row.resumeAt),
    orders_cancelled: ordersCancelled,
  }
}

/** Administrator's trading controls: pause and resume (globally or per user account), emergency stop. */
export function registerAdminRoutes(app: App, s: AppServices): void {
  app.openapi(secured(pauseTradingRoute, s), (c) => {
    const body = c.req.valid('json')
    const userId = body.user_id ?? null
    const accountId = userId === null ? undefined : s.execution.accountIdOf(userId)
    const resumeAt = body.duration_seconds === undefined ? null : s.clock.now() + body.duration_seconds * 1000
    // Pause first, so nothing new is accepted while the open orders are being cancelled.
    const row = s.risk.setPaused(accountId ?? 'global', true, body.reason ?? null, resumeAt)
    const cancelled = body.cancel_orders ? s.execution.cancelOpenOrders(accountId, 'cancelled by an administrator’s pause') : 0
    s.logger.warn({ scope: row.scope, userId, reason: row.reason, resumeAt: isoOrNull(resumeAt), cancelled }, 'trading paused')
    return c.json(controlView(row, userId, cancelled), 200)
  })

  app.openapi(secured(resumeTradingRoute, s), (c) => {
    const userId = c.req.valid('json').user_id ?? null
    const scope = userId === null ? 'global' : s.execution.accountIdOf(userId)
    const row = s.risk.setPaused(scope, false)
    s.logger.warn({ scope, userId }, 'trading resumed')
    return c.json(controlView(row, userId, 0), 200)
  })

  app.openapi(secured(emergencyStopRoute, s), (c) => {
    const body = c.req.valid('json')
    const incident = randomId('inc')
    const row = s.risk.setPaused('global', true, `Emergency stop: ${body.reason}`)
    const cancelled = s.execution.cancelOpenOrders(undefined, `emergency stop ${incident}`)
    // Closing orders only reduce exposure, so they go through the pause just set.
    const flat = body.flatten_positions ? s.execution.flattenAll() : { closed: 0, open: s.execution.openPositionCount() }
    // Every trading engine goes to EMERGENCY as well (their own orders and positions included).
    s.engine.forceEmergency(`admin emergency stop: ${body.reason}`)
    s.logger.error({ incident, reason: body.reason, cancelled, flattened: flat.closed, open: flat.open }, 'emergency stop')
    return c.json(
      {
        status: 'emergency_stopped' as const,
        stopped_at: new Date(row.updatedAt).toISOString(),
        reason: body.reason,
        orders_cancelled: cancelled,
        positions_flattened: flat.closed,
        positions_open: flat.open,
        incident_id: incident,
      },
      200,
    )
  })
}
