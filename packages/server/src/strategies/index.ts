// The strategy layer (issue 14): pure strategies shared by backtests and the live runner. Each
// built-in declares zod parameters (defaults, bounds), keeps its own incremental state (streaming
// indicators, the streaming SMC engine) and answers every closed candle with an intent.
export type {
  CandleContext,
  CloseIntent,
  HoldIntent,
  Intent,
  OpenIntent,
  StrategyAccount,
  StrategyDefinition,
  StrategyInstance,
  StrategySetup,
} from './types'
export { candleAt } from './types'
export { positionSize, roundPriceToTick, type PositionSizeInput, type TickRounding } from './sizing'
export {
  STRATEGIES,
  STRATEGY_NAMES,
  isStrategyName,
  getStrategy,
  describeStrategies,
  parseStrategyParams,
  type StrategyName,
  type StrategyDescription,
} from './registry'
export { smaCrossover, SmaCrossoverParams } from './sma-crossover'
export { rsiReversion, RsiReversionParams } from './rsi-reversion'
export { smcTrend, SmcTrendParams, MAX_TREND_SWINGS } from './smc-trend'
export { breakout, BreakoutParams } from './breakout'
