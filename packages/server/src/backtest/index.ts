// Backtests: the run records (types.ts) and the engine that produces them (engine/).
export type { BacktestSpec, RunEvent, RunEventType, RunTrade, EquityPoint, RunMetrics, RunSink } from './types'
export * from './engine'
export { BacktestService, MAX_CONCURRENT_RUNS, type BacktestRequestBody } from './service'
export { inThisThread, type BacktestRunner, type PersistingSink, type RunHandle, type RunStart } from './runner'
export { BacktestWorker, sharedBacktestWorker, WORKER_IDLE_MS } from './worker'
