import type { StrategyDecisionRow } from '../store'
import type { DecisionView } from './types'

const iso = (ms: number): string => new Date(ms).toISOString()

/** The contract's shape of a stored decision. */
export function decisionView(r: StrategyDecisionRow): DecisionView {
  return {
    decision_id: r.id,
    account_id: r.accountId,
    cycle_id: r.cycleId,
    symbol: r.symbol,
    action: r.action,
    confidence: r.confidence,
    reasoning: r.reasoning,
    indicators: r.indicators,
    candle_time: r.candleTime === null ? null : iso(r.candleTime),
    order_id: r.orderId,
    error: r.errorCode === null ? null : { code: r.errorCode, message: r.errorMessage ?? '' },
    created_at: iso(r.createdAt),
  }
}
