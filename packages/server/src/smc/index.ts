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
