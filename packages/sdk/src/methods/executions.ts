import type {
  BacktestAccepted,
  BacktestRequest,
  BacktestsQuery,
  BacktestTask,
  BacktestTaskList,
  ExecutionList,
  ExecutionsQuery,
  ExecutionStatus,
  LatestMetrics,
  StrategyList,
} from '../types'
import { cancellable } from './cancellable'
import { ExecutionResultMethods } from './execution-results'
import { executionUpdates, watchStatuses, type WatchExecutionOptions } from './execution-watch'

/** `SMCClient`'s strategies, backtests and the executions API (seed 004); a run's results are in `ExecutionResultMethods`. */
export class ExecutionMethods extends ExecutionResultMethods {
  /**
   * The built-in strategies with a JSON Schema of each one's parameters (defaults, bounds).
   * @example
   * const { strategies } = await client.listStrategies()
   * console.log(strategies.map((s) => s.name))
   */
  listStrategies(): Promise<StrategyList> {
    return this.unwrap(this.api.GET('/v1/strategies'))
  }

  /**
   * Start a backtest in the background; follow it with `watchExecution(execution_id)`.
   * @example
   * const { execution_id } = await client.createBacktest({ strategy: 'sma_crossover', params: { fast: 10, slow: 30 }, symbol: 'BTCUSDT', interval: '1h', start_time: '2024-01-01', end_time: '2024-02-01' })
   */
  createBacktest(request: BacktestRequest): Promise<BacktestAccepted> {
    return this.unwrap(this.api.POST('/v1/backtests', { body: request }))
  }

  /**
   * Your backtest tasks, newest first, each with its executions (one page; `count` is the total).
   * @example
   * const { tasks, count } = await client.listBacktests({ page_size: 20 })
   * for (const t of tasks) console.log(t.task_id, t.executions.length)
   */
  listBacktests(query: BacktestsQuery = {}): Promise<BacktestTaskList> {
    return this.unwrap(this.api.GET('/v1/backtests', { params: { query } }))
  }

  /**
   * One backtest task and its executions.
   * @example
   * const { executions } = await client.getBacktest(task_id)
   */
  getBacktest(taskId: string): Promise<BacktestTask> {
    return this.unwrap(this.api.GET('/v1/backtests/{task_id}', { params: { path: { task_id: taskId } } }))
  }

  /**
   * Run a backtest task again (its next execution; identical results).
   * @example
   * const { execution_id, execution_number } = await client.rerunBacktest(task_id)
   */
  rerunBacktest(taskId: string): Promise<BacktestAccepted> {
    return this.unwrap(this.api.POST('/v1/backtests/{task_id}/executions', { params: { path: { task_id: taskId } } }))
  }

  /**
   * Your executions (backtests and trading runs), newest first.
   * @example
   * const { executions } = await client.listExecutions({ task_type: 'backtest', status: 'completed' })
   */
  listExecutions(query: ExecutionsQuery = {}): Promise<ExecutionList> {
    return this.unwrap(this.api.GET('/v1/executions', { params: { query } }))
  }

  /**
   * An execution's status, progress and latest checkpoint.
   * @example
   * const { status, progress, checkpoint } = await client.getExecutionStatus(execution_id)
   */
  getExecutionStatus(id: number): Promise<ExecutionStatus> {
    return this.unwrap(this.api.GET('/v1/executions/{execution_id}/status', { params: { path: { execution_id: id } } }))
  }

  /**
   * An execution's latest metrics checkpoint (return, Sharpe, Sortino, drawdown, win rate, …).
   * @example
   * const { checkpoint } = await client.getExecutionMetrics(execution_id)
   */
  getExecutionMetrics(id: number): Promise<LatestMetrics> {
    return this.unwrap(this.api.GET('/v1/executions/{execution_id}/metrics/latest', { params: { path: { execution_id: id } } }))
  }

  /**
   * Pause, resume or stop a run (400 INVALID_STATE_TRANSITION when its state does not allow it).
   * @example
   * await client.controlExecution(execution_id, 'stop')
   */
  controlExecution(id: number, command: 'pause' | 'resume' | 'stop'): Promise<ExecutionStatus> {
    const params = { params: { path: { execution_id: id } } }
    if (command === 'pause') return this.unwrap(this.api.POST('/v1/executions/{execution_id}/pause', params))
    if (command === 'resume') return this.unwrap(this.api.POST('/v1/executions/{execution_id}/resume', params))
    return this.unwrap(this.api.POST('/v1/executions/{execution_id}/stop', params))
  }

  /**
   * The run's status as it changes, until it is completed, failed or stopped (the last status
   * yielded is the terminal one). Stream first, polling fallback: the first status comes from
   * `getExecutionStatus` (a bad token or an unknown run throws `SMCApiError` at once); then frames
   * of the stream (`executions.{id}`) arrive as they happen, and the status endpoint is polled every
   * `intervalMs` (default 500 ms) all along — alone when the stream cannot connect within
   * `connectTimeoutMs` (default 5000 ms), is refused (404, a bad token, CONNECTION_LIMIT_EXCEEDED,
   * 429) or is lost. Progress never goes back: a status behind the last yielded is skipped.
   * `signal` ends the watch (it fails with the signal's reason); `break` or `return()` end it too,
   * even while it waits; either way the socket is closed and no timer is left behind.
   * @example
   * for await (const s of client.watchExecution(execution_id, { signal: AbortSignal.timeout(600_000) })) console.log(`${s.progress.toFixed(1)} %`)
   */
  watchExecution(id: number, options: WatchExecutionOptions = {}): AsyncGenerator<ExecutionStatus, void, undefined> {
    const { intervalMs = 500, connectTimeoutMs = 5_000 } = options
    const poll = (signal: AbortSignal): Promise<ExecutionStatus> =>
      this.unwrap(this.api.GET('/v1/executions/{execution_id}/status', { params: { path: { execution_id: id } }, signal }))
    // The token as it is now: the watch's stream connects once and never reconnects.
    const token = this.token
    const openStream =
      options.stream === false || token === undefined
        ? undefined
        : (onUpdate: (s: ExecutionStatus) => void) => executionUpdates({ baseUrl: this.options.baseUrl, token }, id, onUpdate, connectTimeoutMs)
    return cancellable((signal) => watchStatuses(poll, openStream, intervalMs, signal), options.signal)
  }
}
