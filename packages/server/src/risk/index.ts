export { RiskService, type RiskOptions } from './risk-service'
export { marketScope } from './trading-pauses'
export { riskEventView } from './event-log'
export { DEFAULT_MAX_DRAWDOWN } from './limits'
export { NO_PROTECTIONS, type ProtectionName } from './protections'
export { VAR_SCENARIOS, VAR_1D_SCALE } from './metrics-view'
export { correlationMatrix, historicalVar, pearson, scenarioPnls, tailRisk, maxDrawdown, riskScore, returns, usage, usageSeverity, WARNING_USAGE, HIGH_USAGE } from './calculations'
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
  RiskLockRow,
  ProtectionsConfig,
  Severity,
  TradingControlRow,
  TradingPause,
} from './types'
