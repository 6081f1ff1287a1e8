// Technical indicators: batch functions over Float64Array columns (NaN = not enough history), O(1)
// streaming classes equal to them, and the computeIndicators facade for the indicators endpoint.
// Definitions and conventions: batch.ts header and docs/analytics.md "Indicators".
export {
  sma,
  ema,
  rsi,
  macd,
  bollinger,
  atr,
  volumeSma,
  trueRange,
  rsiFromAverages,
  type MacdSeries,
  type BollingerSeries,
} from './batch'
export {
  StreamingSma,
  StreamingEma,
  StreamingRsi,
  StreamingMacd,
  StreamingBollinger,
  StreamingAtr,
  type MacdPoint,
  type BollingerPoint,
  type HlcCandle,
} from './streaming'
export {
  computeIndicators,
  resolveIndicatorRequest,
  INDICATOR_NAMES,
  DEFAULT_PERIODS,
  PERIOD_MIN,
  PERIOD_MAX,
  MAX_PERIODS_PER_INDICATOR,
  MAX_SERIES,
  BB_K_MAX,
  type IndicatorName,
  type IndicatorRequest,
  type IndicatorsResult,
  type SingleValue,
  type MacdResult,
  type BollingerResult,
} from './compute'
