export { analyzeSmc, SMC_RANGE_PERCENT } from './analysis'
export type {
  SmcAnalysisOptions,
  SmcAnalysisView,
  SmcDirection,
  SmcFairValueGapView,
  SmcLiquiditySweepView,
  SmcOrderBlockView,
  SmcStructureBreakView,
} from './analysis'
export { analyzeSmcCausal } from './causal'
export type { SmcCausalBreakView, SmcCausalOptions, SmcCausalTimeframeView, SmcCausalView, SmcDealingRangeView, SmcZoneView } from './causal'
