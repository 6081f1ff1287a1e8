export { RiskService, riskEventView, DEFAULT_MAX_DRAWDOWN, VAR_SCENARIOS, type LimitsUpdate, type RiskDenial, type RiskEventQuery } from './risk-service'
export { historicalVar, maxDrawdown, riskScore, returns, usage, usageSeverity, WARNING_USAGE, HIGH_USAGE } from './calculations'
export type { Portfolio, PositionExposure, OrderImpact, EffectiveLimits, RiskEventRow, RiskEventView, Severity, TradingControlRow, TradingPause } from './types'
