export { RiskService } from './risk-service'
export { riskEventView } from './event-log'
export { DEFAULT_MAX_DRAWDOWN } from './limits'
export { VAR_SCENARIOS } from './metrics-view'
export { historicalVar, maxDrawdown, riskScore, returns, usage, usageSeverity, WARNING_USAGE, HIGH_USAGE } from './calculations'
export type {
  Portfolio,
  PositionExposure,
  OrderImpact,
  EffectiveLimits,
  LimitsUpdate,
  RiskDenial,
  RiskEventQuery,
  RiskEventRow,
  RiskEventView,
  Severity,
  TradingControlRow,
  TradingPause,
} from './types'
