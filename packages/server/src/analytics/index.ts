export {
  computePerformance,
  roundPerformance,
  maxDrawdownPercent,
  sharpeRatio,
  sharpeOfReturns,
  RunningSum,
  dailyReturns,
  stableSum,
  roundTo,
  byCloseTime,
  utcDay,
  PERFORMANCE_DECIMALS,
  ANNUALIZATION_DAYS,
  type ClosedTrade,
  type EquityPoint,
  type PerformanceMetrics,
} from './performance'
export { periodWindow, equityAt, PERIOD_DAYS, type Period } from './periods'
