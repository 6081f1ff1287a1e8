import type { Clock } from '../core'
import { DomainError } from '../core'
import type { ExecutionReader, ExecutionStatusJson, ExecutionStore } from '../executions'
import type { CandleColumns, Interval, MarketData } from '../market'
import { getStrategy, parseStrategyParams } from '../strategies'
import { checkHistory, intervalMs, readBacktestCandles, requiredCandles, validateBacktestSpec } from './engine'
import { inThisThread, type BacktestRunner, type RunHandle } from './runner'
import type { BacktestSpec } from './types'

/**
 * Most backtests of one user pending, running or paused at once (documented; beyond it 429). Trading
 * executions (strategy accounts, the engine) run until stopped and are limited by their own rules:
 * they do not count here.
 */
export const MAX_CONCURRENT_RUNS = 2

/**
 * Longest a pause or stop request waits for the engine to reach its slice boundary and for its
 * records up to there to be stored (a slice is 5 ms; a worker's backlog of batches takes longer).
 */
export const CONTROL_WAIT_MS = 5_000

/** `p`, or nothing after `ms` (the caller goes on either way). */
const within = (p: Promise<unknown>, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    void p.finally(() => {
      clearTimeout(t)
      resolve()
    })
  })

export interface BacktestRequestBody {
  strategy: string
  params?: Record<string, unknown>
  symbol: string
  interval: Interval
  start_time: number
  end_time: number
  initial_balance?: number
  taker_fee_bps?: number
  maker_fee_bps?: number
  slippage_bps?: number
}

/**
 * Backtests as background executions: validates a request completely before answering 202 (so a
 * bad one costs nothing), records the task and its executions in the ExecutionStore, runs the engine
 * through its runner (a worker thread in the server; this thread's time slices otherwise), and drives
 * each execution's status through the store's state table (pause, resume and stop reach the running
 * engine).
 */
export class BacktestService {
  private readonly running = new Map<number, { handle: RunHandle; settled: Promise<void> }>()
  /** Runs a stop request is ending (their handler sets `stopped`). */
  private readonly stopping = new Set<number>()

  constructor(
    private readonly deps: {
      store: ExecutionStore
      market: MarketData
      clock: Clock
      defaults: { initial_balance: number; taker_fee_bps: number; maker_fee_bps: number }
      onError?: (err: unknown, executionId: number) => void
      /** Where runs go (default: this thread, in time slices). */
      runner?: BacktestRunner
    },
  ) {}

  /**
   * Validate, record and start a backtest: the task and its first execution (status running). Reads
   * the range's candles first (in chunks, yielding to the event loop), so too few of them is a 400.
   */
  async create(userId: string, body: BacktestRequestBody) {
    const definition = getStrategy(body.strategy)
    const params = parseStrategyParams(definition.name, body.params ?? {}) as Record<string, unknown>
    const symbol = body.symbol.toUpperCase()
    this.deps.market.requireInstrument(symbol)
    const d = this.deps.defaults
    const spec: BacktestSpec = {
      strategy: definition.name,
      params,
      symbol,
      interval: body.interval,
      start_time: body.start_time,
      end_time: body.end_time,
      initial_balance: body.initial_balance ?? d.initial_balance,
      taker_fee_bps: body.taker_fee_bps ?? d.taker_fee_bps,
      maker_fee_bps: body.maker_fee_bps ?? d.maker_fee_bps,
      slippage_bps: body.slippage_bps ?? 0,
    }
    validateBacktestSpec(spec)
    // Read once: up to MAX_BACKTEST_CANDLES candles, 48 MB of columns (into a finished run's buffers when the runner kept some).
    const candles = await readBacktestCandles(this.deps.market, spec, { pool: this.deps.runner?.candlePool })
    checkHistory(spec, candles, requiredCandles(definition, params as { risk_fraction: number }))
    // A range reaching past now ends with the last closed candle read: the task keeps that end, so a
    // re-run reads the same candles (and gives identical results) however much later it runs.
    const n = candles.time.length
    if (spec.end_time > this.deps.market.now()) spec.end_time = Math.min(spec.end_time, candles.time[n - 1]! + intervalMs(spec.interval))
    // After the read: a run another request started meanwhile counts.
    this.refuseOverLimit(userId)
    const { task, execution } = this.deps.store.createTask(userId, spec)
    this.start(execution.execution_id, spec, candles)
    return { task_id: task.task_id, execution_id: execution.execution_id, execution_number: execution.execution_number, status: 'running' as const }
  }

  /** Run a task again as its next execution (identical results: the same spec over the same closed candles). */
  async rerun(taskId: string, reader: ExecutionReader) {
    const task = this.deps.store.taskAccess(taskId, reader)
    // The new execution is the task owner's (an admin may re-run another user's task): their limit.
    this.refuseOverLimit(task.userId, reader.userId)
    const stored = this.deps.store.task(task.id)
    const spec: BacktestSpec = {
      ...stored,
      interval: stored.interval as Interval,
      start_time: Date.parse(stored.start_time),
      end_time: Date.parse(stored.end_time),
    }
    const candles = await readBacktestCandles(this.deps.market, spec, { pool: this.deps.runner?.candlePool })
    // Checked again after the read (another request may have started a run meanwhile).
    this.refuseOverLimit(task.userId, reader.userId)
    const execution = this.deps.store.rerun(task.id)
    this.start(execution.execution_id, spec, candles)
    return { task_id: task.id, execution_id: execution.execution_id, execution_number: execution.execution_number, status: 'running' as const }
  }

  /**
   * Pause a run: answered once the engine has paused at its slice boundary and its records up to
   * the pause are stored (bounded by CONTROL_WAIT_MS), so the reply's `processed` and every record
   * read after it agree. A run that completes first cannot be paused (INVALID_STATE_TRANSITION).
   */
  async pause(id: number): Promise<ExecutionStatusJson> {
    this.refuseTrading(id)
    const run = this.running.get(id)
    if (run) {
      this.deps.store.assertCanBecome(id, 'paused')
      await within(run.handle.pause(), CONTROL_WAIT_MS)
    }
    return this.deps.store.setStatus(id, 'paused')
  }

  resume(id: number): ExecutionStatusJson {
    this.refuseTrading(id)
    const status = this.deps.store.setStatus(id, 'running')
    this.running.get(id)?.handle.resume()
    return status
  }

  /**
   * Stop a run: the engine stops at its next slice boundary and writes its last checkpoint and its
   * `status_changed` stopped event; the status becomes `stopped` after them (the run's handler sets
   * it), so a stopped run's records are complete. After CONTROL_WAIT_MS without the engine's end
   * (a worker far behind on persisting) it is set at once and the engine's later records are dropped.
   */
  async stop(id: number): Promise<ExecutionStatusJson> {
    this.refuseTrading(id)
    const run = this.running.get(id)
    if (run) {
      this.deps.store.assertCanBecome(id, 'stopped')
      this.stopping.add(id)
      run.handle.stop()
      await within(run.settled, CONTROL_WAIT_MS)
      // Stopped by its handler, or completed before the engine saw the request (then the table refuses).
      const status = this.deps.store.status(id)
      if (status.status === 'stopped') return status
    }
    return this.deps.store.setStatus(id, 'stopped')
  }

  /** Runs in progress (their records are being written). */
  get active(): number {
    return this.running.size
  }

  /** Runs in progress (tests wait for them; shutdown stops them). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 5))
  }

  /** Stop every run's engine (shutdown): their executions stay unfinished, and the next start fails them ("server restarted during the run"). */
  stopAll(): void {
    for (const r of this.running.values()) r.handle.stop()
  }

  /** A trading execution follows its strategy account or engine: it is controlled through them. */
  private refuseTrading(id: number): void {
    const status = this.deps.store.status(id)
    if (status.task_type === 'trading')
      throw new DomainError('INVALID_STATE_TRANSITION', `Execution ${id} is a trading run: pause, resume or stop its strategy account or engine instead`, {
        execution_id: id,
        task_type: 'trading',
        allowed: [],
      })
  }

  private refuseOverLimit(userId: string, caller = userId): void {
    const active = this.deps.store.activeCount(userId, 'backtest')
    const whose = caller === userId ? 'You have' : `The task's owner (${userId}) has`
    if (active >= MAX_CONCURRENT_RUNS)
      throw new DomainError('CONCURRENT_RUN_LIMIT', `${whose} ${active} backtests in progress; at most ${MAX_CONCURRENT_RUNS} at once`, {
        active,
        limit: MAX_CONCURRENT_RUNS,
        // Runs of a few thousand candles finish within seconds.
        retry_after: 5,
      })
  }

  private start(executionId: number, spec: BacktestSpec, candles: CandleColumns): void {
    const { store, market } = this.deps
    store.setStatus(executionId, 'running')
    // The run's size is known now: its status says so before the first slice reports.
    store.setProgress(executionId, 0, candles.time.length)
    const sink = store.sink(executionId)
    const handle = (this.deps.runner ?? inThisThread).start(spec, candles, sink, {
      instrument: market.requireInstrument(spec.symbol),
      onProgress: (processed, total) => store.setProgress(executionId, processed, total),
    })
    const settled = handle.done
      .then((result) => {
        store.setProgress(executionId, result.processed, result.total)
        const current = store.status(executionId).status
        if (current !== 'running' && current !== 'paused') return
        // A finished run completes; one stopped on request becomes stopped after its last records. One
        // stopped by stopAll (shutdown) stays unfinished: the next start fails it.
        if (result.status === 'completed') {
          // A pause that timed out (CONTROL_WAIT_MS) may have marked a run paused that went on to its end.
          if (current === 'paused') store.setStatus(executionId, 'running')
          store.setStatus(executionId, 'completed')
        } else if (this.stopping.has(executionId)) store.setStatus(executionId, 'stopped')
      })
      .catch((err: unknown) => {
        this.deps.onError?.(err, executionId)
        const current = store.status(executionId).status
        if (current === 'running' || current === 'paused')
          store.setStatus(executionId, 'failed', { error_message: err instanceof Error ? err.message : String(err) })
      })
      .finally(() => {
        this.running.delete(executionId)
        this.stopping.delete(executionId)
      })
    this.running.set(executionId, { handle, settled })
  }
}
