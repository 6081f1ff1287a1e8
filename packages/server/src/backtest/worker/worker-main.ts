import { parentPort } from 'node:worker_threads'
import { DomainError } from '../../core'
import { createBacktestControl, runBacktest, type BacktestControl } from '../engine'
import { BatchSink } from './batch-sink'
import { candleBuffers, type FromWorker, type ToWorker, type WorkerError } from './protocol'

// The backtest worker thread: runs the engine (runBacktest, the same code as in the server's
// thread) for every `run` it is sent, several at once in time slices, and posts each run's records
// back in batches. It holds no store: the server persists what it receives.

const port = parentPort
if (!port) throw new Error('worker-main runs in a worker thread')

const runs = new Map<number, { abort: AbortController; control: BacktestControl }>()
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer)

const toWorkerError = (err: unknown): WorkerError =>
  err instanceof DomainError
    ? { message: err.message, code: err.code, details: err.details }
    : { message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined }

async function run(m: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const abort = new AbortController()
  const control = createBacktestControl()
  runs.set(m.id, { abort, control })
  const sink = new BatchSink((batch, transfer) => post({ type: 'records', id: m.id, batch }, transfer))
  try {
    const result = await runBacktest(m.spec, m.candles, sink, {
      instrument: m.instrument,
      signal: abort.signal,
      control,
      onProgress: (processed, total) => sink.send(processed, total),
      onPaused: (processed, total) => {
        sink.send(processed, total)
        post({ type: 'paused', id: m.id })
      },
    })
    sink.send(result.processed, result.total)
    const candles = candleBuffers(m.candles)
    post({ type: 'done', id: m.id, result, candles }, candles)
  } catch (err) {
    // The engine recorded the failure (error_occurred, status_changed) before throwing.
    sink.send()
    const candles = candleBuffers(m.candles)
    post({ type: 'failed', id: m.id, error: toWorkerError(err), candles }, candles)
  } finally {
    runs.delete(m.id)
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'run') {
    void run(m)
    return
  }
  const r = runs.get(m.id)
  if (!r) return
  if (m.action === 'pause') r.control.pause()
  else if (m.action === 'resume') r.control.resume()
  else r.abort.abort()
})
