import type { ColumnPool } from '@smc-trading/smc'
import type { CandleColumns, Instrument } from '../market'
import { createBacktestControl, runBacktest, type BacktestResult } from './engine'
import { PauseWaiters } from './pause-waiters'
import type { BacktestSpec, RunEventType, RunSink } from './types'

/** A sink that persists: it also takes an event whose data is already JSON, and says when it closed. */
export interface PersistingSink extends RunSink {
  /** The same record as `event`, with `data` serialized already (a worker's batch). */
  eventJson(eventType: RunEventType, time: number, data: string): void
  /** The same records as `equity`, packed as a worker posts them: time, equity, balance, drawdown_pct per point. */
  equityPoints(points: Float64Array): void
  /** True once the run reached a final status (stopped, say): it takes no more records. */
  readonly closed: boolean
}

/** A started run: its result, and the controls the executions API reaches it through. */
export interface RunHandle {
  readonly done: Promise<BacktestResult>
  /**
   * The run pauses at its next slice boundary. Resolves once it has (its records up to the pause
   * handed to the sink), or once it resumed or ended first.
   */
  pause(): Promise<void>
  resume(): void
  /** The run stops at its next slice boundary: its last checkpoint and status event, then `done` resolves with status `stopped`. */
  stop(): void
}

export interface RunStart {
  instrument: Instrument
  /** After every slice and at the end. */
  onProgress?: (processed: number, total: number) => void
}

/**
 * Where the engine runs a backtest: in the server's thread (time slices) or in a worker thread. The
 * runner takes the candles: a worker moves their buffers to its thread (the caller's arrays are then
 * empty), so pass columns whose buffers nothing else holds (as `readBacktestCandles` returns them).
 */
export interface BacktestRunner {
  start(spec: BacktestSpec, candles: CandleColumns, sink: PersistingSink, o: RunStart): RunHandle
  /** Candle buffers of finished runs, for the next read to fill (a worker moves them back). */
  readonly candlePool?: ColumnPool
}

/**
 * In this thread, in time slices (see SLICE_MS): for the CLI, for `BACKTEST_WORKER=false`, and for
 * tests that need a run's timing to be their own.
 *
 * @example
 * const handle = inThisThread.start(spec, candles, store.sink(id), { instrument })
 * const result = await handle.done
 */
export const inThisThread: BacktestRunner = {
  start(spec, candles, sink, o) {
    const abort = new AbortController()
    const control = createBacktestControl()
    const paused = new PauseWaiters()
    const done = runBacktest(spec, candles, sink, {
      instrument: o.instrument,
      signal: abort.signal,
      control,
      onProgress: o.onProgress,
      onPaused: (processed, total) => {
        o.onProgress?.(processed, total)
        paused.settle()
      },
    })
    done.then(
      () => paused.settle(),
      () => paused.settle(),
    )
    return {
      done,
      pause: () => {
        control.pause()
        return paused.wait()
      },
      resume: () => {
        control.resume()
        paused.settle()
      },
      stop: () => abort.abort(),
    }
  },
}
