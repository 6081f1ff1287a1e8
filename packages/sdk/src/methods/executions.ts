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
import { StreamClient } from '../stream'
import { ExecutionResultMethods } from './execution-results'

const TERMINAL = new Set(['completed', 'failed', 'stopped'])

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
   * yielded is the terminal one): from the stream (`executions.{id}`) when it can connect, with the
   * status endpoint polled every `intervalMs` (default 500 ms) as the fallback and safety net.
   * @example
   * for await (const s of client.watchExecution(execution_id)) console.log(`${s.progress.toFixed(1)} %`)
   */
  async *watchExecution(id: number, options: { intervalMs?: number; stream?: boolean } = {}): AsyncGenerator<ExecutionStatus, void, undefined> {
    const interval = options.intervalMs ?? 500
    const queue: ExecutionStatus[] = []
    let wake: (() => void) | undefined
    let stream: StreamClient | undefined
    if (options.stream !== false) {
      try {
        const client = new StreamClient({ baseUrl: this.options.baseUrl, token: () => this.token })
        stream = client
        client.on('execution_update', (d) => {
          if (d.execution_id !== id) return
          queue.push(d)
          wake?.()
        })
        await client.connect()
        await client.subscribe(`executions.${id}`)
      } catch {
        // No stream (no `ws` package, a proxy, …): polling alone.
        await stream?.close().catch(() => {})
        stream = undefined
      }
    }
    try {
      let status = await this.getExecutionStatus(id)
      yield status
      while (!TERMINAL.has(status.status)) {
        if (queue.length === 0)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, interval)
            wake = () => {
              clearTimeout(timer)
              resolve()
            }
          })
        wake = undefined
        status = queue.length > 0 ? queue.splice(0).at(-1)! : await this.getExecutionStatus(id)
        yield status
      }
    } finally {
      await stream?.close().catch(() => {})
    }
  }
}
