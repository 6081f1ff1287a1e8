import { randomId } from '../../../auth'
import { DomainError, isoOrNull } from '../../../core'
import { emergencyStopRoute, pauseTradingRoute, resumeTradingRoute } from '../../../generated'
import { marketScope, type TradingControlRow } from '../../../risk'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { requireSymbol } from '../../route-helpers'
import type { App } from '../../types'

/** What a pause or resume call did besides the control itself. */
interface ControlOutcome {
  markets: string[] | null
  affected: string[]
  ordersCancelled: number
  resumedAt: number | null
  ordersPlaced: number
}

/** The contract's TradingControl of a stored control (the first, for several markets). */
function controlView(row: TradingControlRow, userId: string | null, o: ControlOutcome) {
  return {
    status: row.paused ? ('paused' as const) : ('active' as const),
    scope: o.markets ? ('market' as const) : userId === null ? ('global' as const) : ('account' as const),
    user_id: userId,
    reason: row.reason,
    paused_at: isoOrNull(row.pausedAt),
    resume_at: isoOrNull(row.resumeAt),
    orders_cancelled: o.ordersCancelled,
    affected_markets: o.affected,
    positions_maintained: true,
    resumed_at: isoOrNull(o.resumedAt),
    orders_placed: o.ordersPlaced,
  }
}

/** The body's markets as known symbols (INVALID_SYMBOL otherwise); `markets` and `user_id` exclude each other. */
function marketsOf(s: AppServices, body: { markets?: string[]; user_id?: string }): string[] | null {
  if (!body.markets) return null
  if (body.user_id !== undefined) throw new DomainError('VALIDATION_FAILED', 'markets and user_id cannot be combined', { field: 'markets' })
  return [...new Set(body.markets.map((m) => requireSymbol(s, m)))]
}

/** Administrator's trading controls: pause and resume (globally or per user account), emergency stop. */
export function registerAdminRoutes(app: App, s: AppServices): void {
  app.openapi(secured(pauseTradingRoute, s), (c) => {
    const body = c.req.valid('json')
    const markets = marketsOf(s, body)
    const userId = body.user_id ?? null
    const accountId = userId === null ? undefined : s.execution.accountIdOf(userId)
    const resumeAt = body.duration_seconds === undefined ? null : s.clock.now() + body.duration_seconds * 1000
    // Pause first, so nothing new is accepted while the open orders are being cancelled.
    const scopes = markets ? markets.map(marketScope) : [accountId ?? 'global']
    const rows = scopes.map((scope) => s.risk.setPaused(scope, true, body.reason ?? null, resumeAt))
    const symbols = markets ? new Set(markets) : undefined
    const cancelled = body.cancel_orders ? s.execution.cancelOpenOrders(accountId, 'cancelled by an administrator’s pause', symbols) : 0
    s.logger.warn({ scopes, userId, reason: body.reason ?? null, resumeAt: isoOrNull(resumeAt), cancelled }, 'trading paused')
    const view = controlView(rows[0]!, userId, { markets, affected: markets ?? s.market.symbols(), ordersCancelled: cancelled, resumedAt: null, ordersPlaced: 0 })
    return c.json({ ...view, notification: s.notifier.notify('trading.paused', view, s.clock.now()) }, 200)
  })

  app.openapi(secured(resumeTradingRoute, s), (c) => {
    const body = c.req.valid('json')
    const markets = marketsOf(s, body)
    const userId = body.user_id ?? null
    const accountId = userId === null ? undefined : s.execution.accountIdOf(userId)
    const scopes = markets ? markets.map(marketScope) : [accountId ?? 'global']
    const rows = scopes.map((scope) => s.risk.setPaused(scope, false))
    // The orders the pause held work again (they fill from the next market tick on).
    const placed = s.execution.heldOrderCount(accountId, markets ? new Set(markets) : undefined)
    s.logger.warn({ scopes, userId, released: placed }, 'trading resumed')
    const view = controlView(rows[0]!, userId, { markets, affected: markets ?? s.market.symbols(), ordersCancelled: 0, resumedAt: s.clock.now(), ordersPlaced: placed })
    return c.json({ ...view, notification: s.notifier.notify('trading.resumed', view, s.clock.now()) }, 200)
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
    const result = {
      status: 'emergency_stopped' as const,
      stopped_at: new Date(row.updatedAt).toISOString(),
      reason: body.reason,
      orders_cancelled: cancelled,
      positions_flattened: flat.closed,
      positions_open: flat.open,
      incident_id: incident,
      affected_markets: s.market.symbols(),
      positions_maintained: !body.flatten_positions,
      total_position: s.execution.totalPositionValue(),
    }
    return c.json({ ...result, notification: s.notifier.notify('trading.emergency_stop', result, s.clock.now()) }, 200)
  })
}
