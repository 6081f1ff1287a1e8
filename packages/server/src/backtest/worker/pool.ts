import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { ColumnPool } from '@smc-trading/smc'
import { DomainError, type ErrorCode } from '../../core'
import type { CandleColumns } from '../../market'
import type { BacktestResult } from '../engine'
import { PauseWaiters } from '../pause-waiters'
import type { BacktestRunner, PersistingSink, RunHandle } from '../runner'
import { candleBuffers, type FromWorker, type RunBatch, type ToWorker, type WorkerError } from './protocol'

/**
 * A worker with no run for this long is ended (≈ 45 MB of its own freed, and the candle buffers it
 * keeps for the next read); the next run starts another, which costs about a second to load and a
 * few runs before its code is optimised again.
 */
export const WORKER_IDLE_MS = 5 * 60_000

/**
 * Milliseconds of the server's thread one turn of persisting the worker's batches may take: the
 * worker can post faster than SQLite writes, and a backlog handled in one go would hold requests up.
 */
export const PERSIST_SLICE_MS = 8

/**
 * The worker heap's young generation (MB; V8's default here is 48). A run allocates fast and keeps
 * little, and the young generation is memory the worker holds while it runs: at 24 MB a fresh
 * server's first million-candle `smc_trend` run grew its RSS by 245–301 MB instead of 305–319 MB
 * (three runs each, alternating), at the same speed (worker A/B, 8 runs each: 527,093 vs 502,029/s
 * and 569,998 vs 606,864/s). At 16 or 12 MB runs were ≈ 5 % slower.
 */
export const WORKER_YOUNG_GENERATION_MB = 24

/** Bytes of finished runs' candle buffers kept for the next reads (a million candles: 48 MB). */
export const CANDLE_POOL_BYTES = 128 * 2 ** 20

interface Pending {
  sink: PersistingSink
  onProgress?: (processed: number, total: number) => void
  /** Pause requests waiting for the worker to report the pause. */
  paused: PauseWaiters
  resolve(result: BacktestResult): void
  reject(error: Error): void
}

/** Hand a batch to the run's sink in order; nothing once the sink closed (the run was stopped after waiting too long for the worker). */
function apply(sink: PersistingSink, b: RunBatch): void {
  if (sink.closed) return
  for (let i = 0; i < b.eventTypes.length; i++) sink.eventJson(b.eventTypes[i]!, b.eventTimes[i]!, b.eventData[i]!)
  for (const t of b.trades) sink.trade(t)
  sink.equityPoints(b.equity)
  if (b.checkpoint) sink.checkpoint(b.checkpoint)
}

const toError = (e: WorkerError): Error => {
  if (e.code !== undefined) return new DomainError(e.code as ErrorCode, e.message, e.details)
  const err = new Error(e.message)
  if (e.stack !== undefined) err.stack = e.stack
  return err
}

/**
 * Backtests in a worker thread: the engine runs beside the server's event loop instead of in its
 * time slices, so a run takes a core of its own and requests never wait for it; the server's thread
 * only persists the batches of records it receives. One worker, started at the first run and ended
 * {@link WORKER_IDLE_MS} after the last; several runs share it in time slices. A worker that
 * dies fails the runs it held (their executions become `failed` with the reason).
 *
 * @example
 * const runner = new BacktestWorker()
 * const handle = runner.start(spec, candles, store.sink(executionId), { instrument })
 * const result = await handle.done
 */
export class BacktestWorker implements BacktestRunner {
  private worker: Worker | null = null
  private readonly runs = new Map<number, Pending>()
  private nextId = 1
  private idleTimer: NodeJS.Timeout | null = null
  /** Messages received and not handled yet, in order. */
  private inbox: FromWorker[] = []
  private draining = false
  /** The candle buffers finished runs moved back, for the next reads (emptied with the worker). */
  readonly candlePool = new ColumnPool(CANDLE_POOL_BYTES)

  constructor(
    private readonly options: {
      idleMs?: number
      entry?: URL
      /** The worker heap's young generation, MB (default {@link WORKER_YOUNG_GENERATION_MB}). */
      youngGenerationMb?: number
    } = {},
  ) {}

  /** Runs in flight. */
  get active(): number {
    return this.runs.size
  }

  start(spec: Parameters<BacktestRunner['start']>[0], candles: CandleColumns, sink: PersistingSink, o: Parameters<BacktestRunner['start']>[3]): RunHandle {
    const id = this.nextId++
    const worker = this.ensure()
    const paused = new PauseWaiters()
    const done = new Promise<BacktestResult>((resolve, reject) => this.runs.set(id, { sink, onProgress: o.onProgress, paused, resolve, reject }))
    // The candles move to the worker by their buffers, not a copy (48 MB for a million candles, and
    // fresh memory costs page faults): the caller's arrays are detached afterwards, and a view moves
    // its whole buffer, which is why the runner must own the candles (`readBacktestCandles`' are).
    this.send({ type: 'run', id, spec, candles, instrument: o.instrument }, candleBuffers(candles), worker)
    const control = (action: 'pause' | 'resume' | 'stop') => () => {
      if (this.runs.has(id)) this.send({ type: 'control', id, action })
    }
    return {
      done,
      pause: () => {
        if (!this.runs.has(id)) return Promise.resolve()
        control('pause')()
        return paused.wait()
      },
      resume: () => {
        control('resume')()
        paused.settle()
      },
      stop: control('stop'),
    }
  }

  /** End the worker now; the runs it held fail. */
  async close(): Promise<void> {
    this.candlePool.clear()
    const w = this.worker
    if (w) await w.terminate()
  }

  private send(m: ToWorker, transfer: ArrayBuffer[] = [], worker = this.worker): void {
    worker?.postMessage(m, transfer)
  }

  private ensure(): Worker {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    if (this.worker) {
      this.worker.ref()
      return this.worker
    }
    const w = new Worker(this.options.entry ?? new URL('./entry.mjs', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: this.options.youngGenerationMb ?? WORKER_YOUNG_GENERATION_MB },
    })
    this.worker = w
    w.on('message', (m: FromWorker) => {
      this.inbox.push(m)
      if (!this.draining) {
        this.draining = true
        setImmediate(() => this.drain())
      }
    })
    w.on('error', (err) => this.lost(w, `backtest worker failed: ${err.message}`))
    w.on('exit', (code) => this.lost(w, `backtest worker exited (code ${code})`))
    return w
  }

  /** Handle received messages for up to PERSIST_SLICE_MS, then let the event loop run. */
  private drain(): void {
    const until = performance.now() + PERSIST_SLICE_MS
    let i = 0
    while (i < this.inbox.length) {
      this.receive(this.inbox[i++]!)
      if (performance.now() >= until) break
    }
    this.inbox = this.inbox.slice(i)
    if (this.inbox.length > 0) setImmediate(() => this.drain())
    else this.draining = false
  }

  private receive(m: FromWorker): void {
    const r = this.runs.get(m.id)
    if (!r) return
    if (m.type === 'paused') {
      r.paused.settle()
      return
    }
    if (m.type === 'records') {
      try {
        apply(r.sink, m.batch)
        r.onProgress?.(m.batch.processed, m.batch.total)
      } catch (err) {
        // The store refused (a failed write): the run fails as in the server's own thread.
        this.send({ type: 'control', id: m.id, action: 'stop' })
        this.finish(m.id, () => r.reject(err instanceof Error ? err : new Error(String(err))))
      }
      return
    }
    for (const b of m.candles) this.candlePool.give(b)
    this.finish(m.id, m.type === 'done' ? () => r.resolve(m.result) : () => r.reject(toError(m.error)))
  }

  private finish(id: number, settle: () => void): void {
    this.runs.get(id)?.paused.settle()
    this.runs.delete(id)
    settle()
    if (this.runs.size > 0 || !this.worker) return
    const w = this.worker
    w.unref()
    this.idleTimer = setTimeout(() => {
      if (this.runs.size === 0 && this.worker === w) void this.close()
    }, this.options.idleMs ?? WORKER_IDLE_MS)
    this.idleTimer.unref()
  }

  /** The worker is gone: what it sent before still counts; fail what it held; the next run starts a new one. */
  private lost(w: Worker, reason: string): void {
    if (this.worker !== w) return
    this.worker = null
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    const received = this.inbox
    this.inbox = []
    for (const m of received) this.receive(m)
    const held = [...this.runs.values()]
    this.runs.clear()
    for (const r of held) {
      r.paused.settle()
      r.reject(new Error(reason))
    }
  }
}

let shared: BacktestWorker | null = null

/** The process's backtest worker, shared by every server in it (tests start many). */
export function sharedBacktestWorker(): BacktestWorker {
  return (shared ??= new BacktestWorker())
}
