import type { Order, OrderOrigin } from './types'

export type { OrderOrigin }

/**
 * Why a round trip ended, as its closing order says. LIQUIDATION is in the contract's enum for
 * leveraged venues but never produced here: margin is 1×, so a position cannot be liquidated.
 */
export type ExitReason = 'TAKE_PROFIT' | 'STOP_LOSS' | 'SIGNAL' | 'MANUAL' | 'EMERGENCY_STOP'

/**
 * The exit reason of a round trip whose last fill came from `o`: its linked exit type (stop loss,
 * take profit), else its origin (a manual close, an emergency stop), else SIGNAL (an order of the
 * account's own trading: an API order, a strategy's or an engine's decision). The one rule: round
 * trips, positions and live executions all read it.
 *
 * @example
 * exitReasonOf({ linkType: 'stop_loss', origin: null }) // 'STOP_LOSS'
 */
export function exitReasonOf(o: Pick<Order, 'linkType' | 'origin'>): ExitReason {
  if (o.linkType === 'stop_loss') return 'STOP_LOSS'
  if (o.linkType === 'take_profit') return 'TAKE_PROFIT'
  if (o.origin === 'emergency_stop') return 'EMERGENCY_STOP'
  if (o.origin === 'manual') return 'MANUAL'
  return 'SIGNAL'
}
