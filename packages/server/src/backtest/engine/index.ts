// The backtest engine: runBacktest(spec, candles, sink, options) replays closed candles through a
// private paper exchange (see run.ts for the semantics).
export {
  runBacktest,
  checkpointInterval,
  createBacktestControl,
  entryQuantity,
  ENTRY_BALANCE_USE,
  type BacktestControl,
  type BacktestOptions,
  type BacktestResult,
} from './run'
export {
  validateBacktestSpec,
  validateTerms,
  checkHistory,
  requiredCandles,
  MAX_BACKTEST_CANDLES,
  MIN_BACKTEST_CANDLES,
  MAX_INITIAL_BALANCE,
  MAX_FEE_BPS,
  MAX_SLIPPAGE_BPS,
} from './validate'
export { backtestCandles, readBacktestCandles, CANDLE_CHUNK } from './candles'
export { computeRunMetrics, sortinoRatio, toClosedTrade, type MetricsState } from './metrics'
export { CandleReplay, candlePath, anchorOffsets, legCrossings } from './replay'
export { withSlippage } from './slippage'
export { openSandbox, intervalMs, SANDBOX_USER, type Sandbox, type SandboxOptions, type SandboxServices } from './sandbox'
