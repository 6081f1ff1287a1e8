import type {
  EmergencyStopRequest,
  EmergencyStopResult,
  RiskEventList,
  RiskEventsQuery,
  RiskLimits,
  RiskLimitsUpdate,
  RiskLock,
  RiskLockList,
  RiskLocksQuery,
  RiskMetrics,
  TradingControl,
  TradingPauseRequest,
  TradingResumeRequest,
  TradingStatus,
} from '../types'
import { TradingMethods } from './trading'

/** `SMCClient`'s risk methods, and the administration ones (`admin_full`). */
export class RiskMethods extends TradingMethods {
  /**
   * Risk metrics computed from your account now: exposure, daily PnL, drawdown, VaR, limit usage.
   * @example
   * const { var_95, risk_score, position_limits } = await client.getRiskMetrics()
   */
  getRiskMetrics(): Promise<RiskMetrics> {
    return this.unwrap(this.api.GET('/v1/risk/metrics'))
  }

  /**
   * The risk limits in force for your account.
   * @example
   * const { max_daily_loss, position_limits } = await client.getRiskLimits()
   */
  getRiskLimits(): Promise<RiskLimits> {
    return this.unwrap(this.api.GET('/v1/risk/limits'))
  }

  /**
   * Change your account's risk limits (omitted fields keep their value, null resets to the default).
   * @example
   * await client.updateRiskLimits({ max_daily_loss: 1000, position_limits: { BTCUSDT: 0.5 } })
   */
  updateRiskLimits(limits: RiskLimitsUpdate): Promise<RiskLimits> {
    return this.unwrap(this.api.PUT('/v1/risk/limits', { body: limits }))
  }

  /**
   * Risk events (limits approached, orders denied), newest first.
   * @example
   * const { events } = await client.getRiskEvents({ severity: 'high', resolved: false })
   */
  getRiskEvents(query: RiskEventsQuery = {}): Promise<RiskEventList> {
    return this.unwrap(this.api.GET('/v1/risk/events', { params: { query } }))
  }

  /**
   * Your account's protection locks, newest first. While one is active, orders that add exposure
   * (on its symbol, or any symbol when `symbol` is null) are denied with `RISK_LOCKED`.
   * @example
   * const { locks } = await client.listRiskLocks({ active: true })
   * for (const l of locks) console.log(`${l.protection} locks ${l.symbol ?? 'everything'} until ${l.until}`)
   */
  listRiskLocks(query: RiskLocksQuery = {}): Promise<RiskLockList> {
    return this.unwrap(this.api.GET('/v1/risk/locks', { params: { query } }))
  }

  /**
   * Lift a protection lock before its time (yours; any account's with `admin_full`). Returns the
   * lock, now inactive. Unknown ids are `NOT_FOUND`.
   * @example
   * const { locks } = await client.listRiskLocks({ active: true })
   * if (locks[0]) await client.deleteRiskLock(locks[0].id)
   */
  deleteRiskLock(id: string): Promise<RiskLock> {
    return this.unwrap(this.api.DELETE('/v1/risk/locks/{id}', { params: { path: { id } } }))
  }

  /**
   * Whether your orders are accepted now or denied with `TRADING_PAUSED`, and why and until when.
   * @example
   * const { status, reason, resume_at } = await client.getTradingStatus()
   * if (status === 'paused') console.log(`paused: ${reason} (until ${resume_at ?? 'resumed'})`)
   */
  getTradingStatus(): Promise<TradingStatus> {
    return this.unwrap(this.api.GET('/v1/trading/status'))
  }

  // ---- administration (admin_full) ----------------------------------------------------------

  /**
   * Pause trading for every account, or for one user's account with `user_id` (admin only). Orders
   * that add exposure are denied with `TRADING_PAUSED`; closing orders and SL/TP exits still work.
   * @example
   * await admin.pauseTrading({ reason: 'Manual intervention required', duration_seconds: 300, cancel_orders: true })
   * await admin.pauseTrading({ user_id: 'bot-7', reason: 'runaway strategy' })
   */
  pauseTrading(request: TradingPauseRequest = {}): Promise<TradingControl> {
    return this.unwrap(this.api.POST('/v1/admin/pause', { body: request }))
  }

  /**
   * Lift the global pause, or one user's account pause with `user_id` (admin only).
   * @example
   * await admin.resumeTrading()
   * await admin.resumeTrading({ user_id: 'bot-7' })
   */
  resumeTrading(request: TradingResumeRequest = {}): Promise<TradingControl> {
    return this.unwrap(this.api.POST('/v1/admin/resume', { body: request }))
  }

  /**
   * Stop all trading (admin only): a global pause until `resumeTrading()`, every open order
   * cancelled and, with `flatten_positions`, every open position closed at market.
   * @example
   * const stop = await admin.emergencyStop({ confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'Feed anomaly', flatten_positions: true })
   * console.log(stop.incident_id, stop.orders_cancelled, stop.positions_flattened)
   */
  emergencyStop(request: EmergencyStopRequest): Promise<EmergencyStopResult> {
    return this.unwrap(this.api.POST('/v1/admin/emergency-stop', { body: request }))
  }
}
