// Backtests in a worker thread (the server's default): the engine beside the event loop.
export { BacktestWorker, sharedBacktestWorker, WORKER_IDLE_MS } from './pool'
export type { RunBatch, ToWorker, FromWorker } from './protocol'
