import type { CandleColumns, Instrument } from '../../market'
import type { BacktestResult } from '../engine'
import type { BacktestSpec, RunEventType, RunMetrics, RunTrade } from '../types'

// The messages between the server and its backtest worker thread. A run is named by the id the
// server gives it; the worker answers with batches of its records, in order (and `paused` when a
// pause took effect), then one `done` or `failed`. Everything here survives structured cloning (no functions, no class instances).

/** Server → worker. */
export type ToWorker =
  | { type: 'run'; id: number; spec: BacktestSpec; candles: CandleColumns; instrument: Instrument }
  | { type: 'control'; id: number; action: 'pause' | 'resume' | 'stop' }

/**
 * A run's records since its previous batch, per kind in the order the engine emitted them, and its
 * progress. A batch that carries a checkpoint ends at it (the checkpoint is the run's last record
 * in the batch), so the server persists it after every record before it, as in this thread.
 */
export interface RunBatch {
  eventTypes: RunEventType[]
  eventTimes: number[]
  /** Each event's data as JSON text (serialized when emitted: the engine reuses its objects). */
  eventData: string[]
  trades: RunTrade[]
  /** Four float64 per point: time, equity, balance, drawdown_pct. */
  equity: Float64Array
  checkpoint: RunMetrics | null
  processed: number
  total: number
}

/**
 * The distinct buffers under a run's candle columns: what moves between the threads with the run
 * (its views cannot move alone). They must be ArrayBuffers (a SharedArrayBuffer cannot be moved).
 */
export function candleBuffers(c: CandleColumns): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>()
  for (const a of [c.time, c.open, c.high, c.low, c.close, c.volume]) {
    if (!(a.buffer instanceof ArrayBuffer)) throw new TypeError('backtest candles must be ArrayBuffer-backed columns')
    buffers.add(a.buffer)
  }
  return [...buffers]
}

/** What a thrown error carries across the thread boundary. */
export interface WorkerError {
  message: string
  /** A DomainError's code and details (absent for any other error). */
  code?: string
  details?: Record<string, unknown>
  stack?: string
}

/**
 * Worker → server. `done` and `failed` move the run's candle buffers back (the run no longer reads
 * them): the server reads the next run's candles into them.
 */
export type FromWorker =
  | { type: 'records'; id: number; batch: RunBatch }
  /** The run paused (after the batch of its records up to the pause). */
  | { type: 'paused'; id: number }
  | { type: 'done'; id: number; result: BacktestResult; candles: ArrayBuffer[] }
  | { type: 'failed'; id: number; error: WorkerError; candles: ArrayBuffer[] }
