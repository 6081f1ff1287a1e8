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
