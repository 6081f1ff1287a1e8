export { scan, symbolReport, type ScanOptions } from './scan'
export { ScanStore } from './scan-store'
export { evaluateSymbol, scoreOf, type SymbolEvaluation } from './evaluate'
export { clusterLevels } from './levels'
export {
  SCAN_FILTERS,
  type ScanFilter,
  type ScanLevel,
  type ScanMetrics,
  type ScanBreakout,
  type ScanCandidate,
  type ScanRejection,
  type ScanResult,
  type SymbolScanReport,
  type TrendDirection,
} from './types'
