// Direction prediction model: causal candle features, a multinomial logistic regression trained on
// a chronological split with walk-forward validation, and the per-symbol service that records and
// resolves live predictions. Definitions and measured figures: docs/analytics.md "Prediction model".
export {
  PredictionService,
  type PredictionServiceOptions,
  type PredictionView,
  type RecordedPrediction,
  type ModelInfo,
  type SymbolModelInfo,
  type LiveStats,
} from './prediction-service'
export { computeFeatures, FEATURE_NAMES, RETURN_LAGS, type FeatureMatrix, type FeatureName } from './features'
export { smcTrendSeries } from './smc-trend'
export { DIRECTIONS, type Direction, FLAT_SHARE } from './labels'
export { trainDirectionModel, predictProbabilities, type DirectionModel, type ModelMetrics, type WalkForwardFold, type TrainOptions } from './model'
export { fitSoftmax, softmaxProbabilities } from './logistic'
