import type { BacktestSpec, RunEventType, RunMetrics } from '../backtest/types'
import { DomainError, idFactory, systemClock, type Clock, type IdFactory } from '../core'
import type {
  BacktestTaskRow,
  CheckpointRow,
  EquityBlockRow,
  ExecutionRepository,
  ExecutionRow,
  ExecutionStatus,
  TaskType,
} from '../store/repositories/executions'
import { downsample } from './downsample'
import type {
  BacktestTaskJson,
  BacktestTaskListJson,
  CheckpointJson,
  EquityJson,
  EquityPointJson,
  EventsJson,
  ExecutionListJson,
  ExecutionRefJson,
  ExecutionStatusJson,
  ExecutionSummaryJson,
  LatestMetricsJson,
  TradesJson,
} from './json'
import {
  DEFAULT_EQUITY_PAGE_SIZE,
  DEFAULT_PAGE_SIZE,
  enumParam,
  intParam,
  invalid,
  iso,
  MAX_POINTS_LIMIT,
  pageLinks,
  pagingParams,
  sinceParam,
  textParam,
  timeParam,
  type RawQuery,
} from './params'
import { RecordSink, type ExecutionSink } from './sink'
import { assertTransition, EXECUTION_STATUSES, isTerminal } from './state'

export const RUN_EVENT_TYPES = [
  'status_changed',
  'strategy_signal',
  'order_placed',
  'trade_executed',
  'position_closed',
  'checkpoint',
  'error_occurred',
] as const satisfies readonly RunEventType[]
// Every RunEventType is listed (a type error here names the missing one).
const _allEventTypes: Exclude<RunEventType, (typeof RUN_EVENT_TYPES)[number]> extends never ? true : never = true
void _allEventTypes
const TASK_TYPES: readonly TaskType[] = ['backtest', 'trading']
const DIRECTIONS = ['long', 'short'] as const

/** The error message of runs the server was running (or about to run) when it stopped. */
export const RESTART_MESSAGE = 'server restarted during the run'

/** What starts a live (`trading`) execution. */
export type TradingSource = 'strategy_account' | 'engine'

export interface TradingExecutionInput {
  source: TradingSource
  /** The strategy account id, or the engine's owner. */
  source_id: string
  strategy: string
  symbols: readonly string[]
}

/** The task id of a source's trading executions: the strategy account id, or `engine:<owner>`. */
export const tradingTaskId = (source: TradingSource, sourceId: string): string => (source === 'engine' ? `engine:${sourceId}` : sourceId)

/** Who is asking: a user, with `admin_full` reading everyone's executions. */
export interface ExecutionReader {
  userId: string
  scopes: readonly string[]
}

export interface ExecutionStoreOptions {
  clock?: Clock
  newId?: IdFactory
  /** Buffered records after which a sink flushes (default 4096). */
  flushEvery?: number
  /** Where list links point (default `/v1/executions`, tasks `/v1/backtests`). */
  basePath?: string
  tasksPath?: string
}

/** What changed: a checkpoint was written, or the status changed. */
export type ExecutionChange = { executionId: number; kind: 'checkpoint' | 'status' }

const round2 = (x: number): number => Math.round(x * 100) / 100

/**
 * Backtest tasks, their executions, the records runs write (through sinks) and the executions API's
 * reads. Status changes go through one transition table (state.ts).
 */
export class ExecutionStore {
  private readonly clock: Clock
  private readonly newId: IdFactory
  private readonly flushEvery: number
  private readonly basePath: string
  private readonly tasksPath: string
  private readonly sinks = new Map<number, RecordSink>()
  private readonly listeners = new Set<(change: ExecutionChange) => void>()

  constructor(
    private readonly repo: ExecutionRepository,
    options: ExecutionStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock
    this.newId = options.newId ?? idFactory()
    this.flushEvery = options.flushEvery ?? 4096
    this.basePath = options.basePath ?? '/v1/executions'
    this.tasksPath = options.tasksPath ?? '/v1/backtests'
  }

  // ── Writes ──────────────────────────────────────────────────────────────────────────────────────

  /** Store a backtest request and its execution #1 (pending). */
  createTask(userId: string, spec: BacktestSpec): { task: BacktestTaskJson; execution: ExecutionSummaryJson } {
    const now = this.clock.now()
    const task: BacktestTaskRow = { id: this.newId('bt'), userId, spec, createdAt: now }
    this.repo.insertTask(task)
    const execution = this.insertExecution(task, 1, now)
    return { task: this.taskJson(task), execution: summaryJson(execution) }
  }

  /**
   * A live run (a strategy account's trading, or an engine's start) as a `trading` execution: task id
   * the strategy account id or `engine:<owner>`, execution_number counting per source, created
   * pending and moved to running through the transition table. Its first event (status_changed)
   * names the source and symbols.
   */
  createTrading(userId: string, input: TradingExecutionInput): ExecutionSummaryJson {
    const now = this.clock.now()
    const taskId = tradingTaskId(input.source, input.source_id)
    const row = {
      taskType: 'trading' as const,
      taskId,
      userId,
      executionNumber: this.repo.maxExecutionNumber(taskId) + 1,
      status: 'pending' as const,
      progress: 0,
      processed: 0,
      total: 0,
      strategy: input.strategy,
      startedAt: null,
      completedAt: null,
      errorMessage: null,
      createdAt: now,
    }
    const id = this.repo.insertExecution(row)
    this.setStatus(id, 'running')
    this.sink(id).event({
      event_type: 'status_changed',
      time: now,
      data: { status: 'running', source: input.source, source_id: input.source_id, strategy: input.strategy, symbols: [...input.symbols] },
    })
    this.sink(id).flush()
    return summaryJson(this.row(id))
  }

  /** The unfinished (pending, running or paused) trading execution of a source, newest, or undefined. */
  openTrading(source: TradingSource, sourceId: string): ExecutionSummaryJson | undefined {
    const rows = this.repo.byTask(tradingTaskId(source, sourceId))
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.taskType === 'trading' && !isTerminal(rows[i]!.status)) return summaryJson(rows[i]!)
    return undefined
  }

  /** A new execution of the task (execution_number + 1, pending). */
  rerun(taskId: string): ExecutionSummaryJson {
    const task = this.repo.findTask(taskId)
    if (!task) throw taskNotFound(taskId)
    return summaryJson(this.insertExecution(task, this.repo.maxExecutionNumber(taskId) + 1, this.clock.now()))
  }

  /**
   * The execution's sink (one per execution: the open one is returned again). Its sequences continue
   * from what is stored. Refused for a finished execution.
   */
  sink(executionId: number): ExecutionSink {
    const open = this.sinks.get(executionId)
    if (open) return open
    const row = this.row(executionId)
    if (isTerminal(row.status)) throw new Error(`Execution ${executionId} is ${row.status}: it takes no more records`)
    const sink = new RecordSink(this.repo, executionId, this.clock, this.flushEvery, (id) => this.emit({ executionId: id, kind: 'checkpoint' }))
    this.sinks.set(executionId, sink)
    return sink
  }

  /**
   * Change the status through the transition table (INVALID_STATE_TRANSITION otherwise). The open
   * sink is flushed first (and closed on a final status), so every record precedes the change.
   * `running` stamps started_at the first time; final statuses stamp completed_at.
   */
  setStatus(id: number | string, to: ExecutionStatus, options: { error_message?: string | null } = {}): ExecutionStatusJson {
    const row = this.row(id)
    assertTransition(row.id, row.status, to)
    const sink = this.sinks.get(row.id)
    if (sink) {
      if (isTerminal(to)) {
        sink.close()
        this.sinks.delete(row.id)
      } else sink.flush()
    }
    const now = this.clock.now()
    const changed = this.repo.update(row.id, row.status, {
      status: to,
      ...(to === 'running' && row.startedAt === null ? { startedAt: now } : {}),
      ...(isTerminal(to) ? { completedAt: now } : {}),
      ...(options.error_message !== undefined ? { errorMessage: options.error_message } : {}),
    })
    if (!changed) {
      // Changed under us (another connection): judge against the status it has now.
      const current = this.row(row.id)
      assertTransition(row.id, current.status, to)
      return this.setStatus(row.id, to, options)
    }
    this.emit({ executionId: row.id, kind: 'status' })
    return this.status(row.id)
  }

  /** INVALID_STATE_TRANSITION now unless the execution may become `to` (nothing changes). */
  assertCanBecome(id: number | string, to: ExecutionStatus): void {
    const row = this.row(id)
    assertTransition(row.id, row.status, to)
  }

  /** Record progress (candles processed of total); progress = processed / total in percent. Ignored once finished. */
  setProgress(id: number | string, processed: number, total: number): void {
    const row = this.row(id)
    if (isTerminal(row.status)) return
    const progress = total > 0 ? round2(Math.min(100, Math.max(0, (processed / total) * 100))) : 0
    this.repo.update(row.id, row.status, { processed, total, progress })
  }

  /**
   * At server start: every pending, running or paused execution becomes failed with
   * "server restarted during the run" (none stays stuck). Returns their ids.
   */
  markInterruptedFailed(now: number = this.clock.now()): number[] {
    for (const sink of this.sinks.values()) sink.close()
    this.sinks.clear()
    return this.repo.failUnfinished(RESTART_MESSAGE, now)
  }

  /** The user's pending, running and paused executions of one task type (for a per-user limit). */
  activeCount(userId: string, taskType: TaskType): number {
    return this.repo.countActive(userId, taskType)
  }

  /** Be told of checkpoints written and status changes (e.g. to push WS execution_update). Returns the unsubscribe. */
  subscribe(listener: (change: ExecutionChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  // ── Access ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * The execution if `reader` may read it: unknown (or malformed) id → 404 NOT_FOUND; another user's
   * → 403 INSUFFICIENT_PERMISSIONS with details.reason `not_owner`; `admin_full` reads all.
   */
  access(id: number | string, reader: ExecutionReader): ExecutionRow {
    const row = this.row(id)
    if (row.userId !== reader.userId && !reader.scopes.includes('admin_full'))
      throw new DomainError('INSUFFICIENT_PERMISSIONS', `Execution ${row.id} belongs to another user`, {
        reason: 'not_owner',
        execution_id: row.id,
      })
    return row
  }

  /** The task if `reader` may read it (404 NOT_FOUND, 403 not_owner as for executions). */
  taskAccess(taskId: string, reader: ExecutionReader): BacktestTaskRow {
    const task = this.repo.findTask(taskId)
    if (!task) throw taskNotFound(taskId)
    if (task.userId !== reader.userId && !reader.scopes.includes('admin_full'))
      throw new DomainError('INSUFFICIENT_PERMISSIONS', `Backtest ${taskId} belongs to another user`, { reason: 'not_owner', task_id: taskId })
    return task
  }

  // ── Reads (plain JSON, as served) ───────────────────────────────────────────────────────────────

  /** A backtest task with its executions. */
  task(taskId: string): BacktestTaskJson {
    const task = this.repo.findTask(taskId)
    if (!task) throw taskNotFound(taskId)
    return this.taskJson(task)
  }

  /** Backtest tasks, newest first: one user's, or everyone's when `userFilter` is null/undefined. Query: page, page_size. */
  listTasks(userFilter: string | null | undefined, q: RawQuery = {}): BacktestTaskListJson {
    const paging = pagingParams(q, DEFAULT_PAGE_SIZE)
    const page = this.repo.listTasks(userFilter ?? undefined, paging.pageSize, paging.offset)
    return { tasks: page.rows.map((t) => this.taskJson(t)), ...pageLinks(this.tasksPath, [], paging, page.total) }
  }

  /**
   * Executions, newest first: one user's, or everyone's when `userFilter` is null/undefined.
   * Query: task_type (backtest|trading), status, strategy, page, page_size (≤ 1000, default 1000).
   */
  list(userFilter: string | null | undefined, q: RawQuery = {}): ExecutionListJson {
    const taskType = enumParam(q, 'task_type', TASK_TYPES)
    const status = enumParam(q, 'status', EXECUTION_STATUSES)
    const strategy = textParam(q, 'strategy')
    const paging = pagingParams(q, DEFAULT_PAGE_SIZE)
    const page = this.repo.list({ userId: userFilter ?? undefined, taskType, status, strategy, limit: paging.pageSize, offset: paging.offset })
    const filters = [
      ['task_type', taskType],
      ['status', status],
      ['strategy', strategy],
    ] as const
    return { executions: page.rows.map(summaryJson), ...pageLinks(this.basePath, filters, paging, page.total) }
  }

  /** GET …/status: the execution's state and its latest checkpoint. */
  status(id: number | string): ExecutionStatusJson {
    const row = this.row(id)
    const checkpoint = this.latestCheckpoint(row.id)
    return {
      execution_id: row.id,
      task_type: row.taskType,
      task_id: row.taskId,
      execution_number: row.executionNumber,
      status: row.status,
      progress: row.progress,
      processed: row.processed,
      total: row.total,
      started_at: isoOrNull(row.startedAt),
      completed_at: isoOrNull(row.completedAt),
      error_message: row.errorMessage,
      has_checkpoint: checkpoint !== null,
      checkpoint,
    }
  }

  /** GET …/events. Query: since_sequence (strictly greater), event_type, page, page_size (≤ 1000, default 1000). */
  events(id: number | string, q: RawQuery = {}): EventsJson {
    const row = this.row(id)
    const since = sinceParam(q)
    const eventType = enumParam(q, 'event_type', RUN_EVENT_TYPES)
    const paging = pagingParams(q, DEFAULT_PAGE_SIZE)
    const page = this.repo.events(row.id, { afterSequence: since, eventType, limit: paging.pageSize, offset: paging.offset })
    const filters = [
      ['since_sequence', sinceGiven(q, since)],
      ['event_type', eventType],
    ] as const
    return {
      ...ref(row),
      events: page.rows.map((e) => ({
        sequence: e.sequence,
        event_type: e.eventType,
        strategy_type: row.strategy,
        timestamp: iso(e.time),
        event: JSON.parse(e.data) as Record<string, unknown>,
        created_at: iso(e.createdAt),
      })),
      ...pageLinks(`${this.basePath}/${row.id}/events`, filters, paging, page.total),
    }
  }

  /** GET …/trades. Query: since_sequence (strictly greater), direction (long|short), symbol, page, page_size. */
  trades(id: number | string, q: RawQuery = {}): TradesJson {
    const row = this.row(id)
    const since = sinceParam(q)
    const direction = enumParam(q, 'direction', DIRECTIONS)
    // Symbols are stored upper-case, as POST /v1/backtests and orders take them in any case.
    const symbol = textParam(q, 'symbol', 20)?.toUpperCase()
    const paging = pagingParams(q, DEFAULT_PAGE_SIZE)
    const page = this.repo.trades(row.id, { afterSequence: since, direction, symbol, limit: paging.pageSize, offset: paging.offset })
    const filters = [
      ['since_sequence', sinceGiven(q, since)],
      ['direction', direction],
      ['symbol', symbol],
    ] as const
    return {
      ...ref(row),
      trades: page.rows.map((t) => ({
        sequence: t.sequence,
        trade: {
          symbol: t.symbol,
          direction: t.direction,
          entry_time: iso(t.entryTime),
          entry_price: t.entryPrice,
          exit_time: iso(t.exitTime),
          exit_price: t.exitPrice,
          quantity: t.quantity,
          fees: t.fees,
          pnl: t.pnl,
          exit_reason: t.exitReason,
        },
        created_at: iso(t.createdAt),
      })),
      ...pageLinks(`${this.basePath}/${row.id}/trades`, filters, paging, page.total),
    }
  }

  /**
   * GET …/equity. Query: since_sequence (strictly greater), start_time and end_time (ISO 8601,
   * inclusive), max_points, page, page_size (≤ 1000, default 500). Order: filter, then downsample to
   * `max_points` (original points, the last one kept; see downsample.ts), then page; `count` is the
   * number of points after downsampling.
   */
  equity(id: number | string, q: RawQuery = {}): EquityJson {
    const row = this.row(id)
    const since = sinceParam(q)
    const start = timeParam(q, 'start_time')
    const end = timeParam(q, 'end_time')
    if (start !== undefined && end !== undefined && start > end) throw invalid('start_time', 'start_time must not be after end_time')
    const maxPoints = intParam(q, 'max_points', 1, MAX_POINTS_LIMIT)
    const paging = pagingParams(q, DEFAULT_EQUITY_PAGE_SIZE)
    const filters = [
      ['since_sequence', sinceGiven(q, since)],
      ['start_time', start === undefined ? undefined : iso(start)],
      ['end_time', end === undefined ? undefined : iso(end)],
      ['max_points', maxPoints],
    ] as const
    const range = this.equityRange(row.id, since, start ?? null, end ?? null)
    let points: EquityPointJson[] = []
    let count = 0
    let granularity: number | null = null
    if (range) {
      const n = range.hi - range.lo + 1
      if (maxPoints !== undefined && n > maxPoints) {
        const blocks = new EquityBlocks(this.repo.equityBlocks(row.id, range.lo, range.hi))
        const times = blocks.times(range.lo, range.hi)
        const ds = downsample(times, maxPoints)
        count = ds.indices.length
        granularity = ds.granularitySeconds
        points = ds.indices.slice(paging.offset, paging.offset + paging.pageSize).map((k) => blocks.point(range.lo + k))
      } else {
        count = n
        const from = range.lo + paging.offset
        const to = Math.min(range.hi, from + paging.pageSize - 1)
        if (from <= to) {
          const blocks = new EquityBlocks(this.repo.equityBlocks(row.id, from, to))
          for (let s = from; s <= to; s++) points.push(blocks.point(s))
        }
      }
    }
    return {
      ...ref(row),
      equity_curve: points,
      ...pageLinks(`${this.basePath}/${row.id}/equity`, filters, paging, count),
      granularity_seconds: granularity,
    }
  }

  /** GET …/metrics/latest */
  latestMetrics(id: number | string): LatestMetricsJson {
    const row = this.row(id)
    const checkpoint = this.latestCheckpoint(row.id)
    return { ...ref(row), has_checkpoint: checkpoint !== null, checkpoint }
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────

  private insertExecution(task: BacktestTaskRow, executionNumber: number, now: number): ExecutionRow {
    const spec = task.spec as BacktestSpec
    const row = {
      taskType: 'backtest' as const,
      taskId: task.id,
      userId: task.userId,
      executionNumber,
      status: 'pending' as const,
      progress: 0,
      processed: 0,
      total: 0,
      strategy: spec.strategy,
      startedAt: null,
      completedAt: null,
      errorMessage: null,
      createdAt: now,
    }
    return { id: this.repo.insertExecution(row), ...row }
  }

  /** The execution, or 404 NOT_FOUND (also for ids that are not positive integers). */
  private row(id: number | string): ExecutionRow {
    const n = typeof id === 'number' ? id : /^[1-9]\d{0,15}$/.test(id) ? Number(id) : NaN
    const row = Number.isSafeInteger(n) && n > 0 ? this.repo.find(n) : undefined
    // The id as the 403 reports it (a number) when it is one; a malformed id is echoed as given.
    if (!row) throw new DomainError('NOT_FOUND', `Execution ${String(id).slice(0, 40)} not found`, { execution_id: Number.isSafeInteger(n) ? n : String(id).slice(0, 40) })
    return row
  }

  private latestCheckpoint(executionId: number): CheckpointJson | null {
    const c: CheckpointRow | undefined = this.repo.latestCheckpoint(executionId)
    return c ? { sequence: c.sequence, ...(JSON.parse(c.metrics) as RunMetrics), created_at: iso(c.createdAt) } : null
  }

  /**
   * The sequences lo..hi of the points with sequence > since and time in [start, end]: one
   * contiguous range, since time ascends with the sequence (the sink enforces it). Null: none.
   */
  private equityRange(executionId: number, since: number, start: number | null, end: number | null): { lo: number; hi: number } | null {
    const heads = this.repo.equityHeads(executionId, since, start, end)
    if (heads.length === 0) return null
    const firstHead = heads[0]!
    const lastHead = heads[heads.length - 1]!
    const first = new EquityBlocks(this.repo.equityBlocks(executionId, firstHead.firstSequence, firstHead.firstSequence))
    let lo = Math.max(since + 1, firstHead.firstSequence)
    while (lo <= firstHead.lastSequence && start !== null && first.time(lo) < start) lo++
    if (lo > firstHead.lastSequence || (end !== null && first.time(lo) > end)) return null
    const last = new EquityBlocks(this.repo.equityBlocks(executionId, lastHead.firstSequence, lastHead.firstSequence))
    let hi = lastHead.lastSequence
    while (hi >= lastHead.firstSequence && end !== null && last.time(hi) > end) hi--
    return hi >= lo ? { lo, hi } : null
  }

  private taskJson(task: BacktestTaskRow): BacktestTaskJson {
    const s = task.spec as BacktestSpec
    return {
      task_id: task.id,
      task_type: 'backtest',
      strategy: s.strategy,
      params: s.params,
      symbol: s.symbol,
      interval: s.interval,
      start_time: iso(s.start_time),
      end_time: iso(s.end_time),
      initial_balance: s.initial_balance,
      taker_fee_bps: s.taker_fee_bps,
      maker_fee_bps: s.maker_fee_bps,
      slippage_bps: s.slippage_bps,
      created_at: iso(task.createdAt),
      executions: this.repo.byTask(task.id).map(summaryJson),
    }
  }

  private emit(change: ExecutionChange): void {
    for (const l of this.listeners) l(change)
  }
}

/** Decoded equity blocks, read by sequence. */
class EquityBlocks {
  private readonly firsts: number[]
  private readonly data: Float64Array[]

  constructor(blocks: readonly EquityBlockRow[]) {
    this.firsts = blocks.map((b) => b.firstSequence)
    this.data = blocks.map((b) => {
      const p = b.points
      // A view when the bytes are 8-aligned (they usually are), else a copy.
      return p.byteOffset % 8 === 0 ? new Float64Array(p.buffer, p.byteOffset, p.byteLength / 8) : new Float64Array(p.slice().buffer)
    })
  }

  private locate(sequence: number): [Float64Array, number] {
    let lo = 0
    let hi = this.firsts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.firsts[mid]! <= sequence) lo = mid
      else hi = mid - 1
    }
    return [this.data[lo]!, (sequence - this.firsts[lo]!) * 4]
  }

  /** The times of sequences from..to, in one pass over the blocks. */
  times(from: number, to: number): Float64Array {
    const out = new Float64Array(to - from + 1)
    let k = 0
    for (let b = 0; b < this.data.length; b++) {
      const d = this.data[b]!
      const first = this.firsts[b]!
      const end = Math.min(to, first + d.length / 4 - 1)
      for (let s = Math.max(from, first); s <= end; s++) out[k++] = d[(s - first) * 4]!
    }
    return out
  }

  time(sequence: number): number {
    const [d, o] = this.locate(sequence)
    return d[o]!
  }

  point(sequence: number): EquityPointJson {
    const [d, o] = this.locate(sequence)
    return { sequence, timestamp: iso(d[o]!), equity: d[o + 1]!, balance: d[o + 2]!, drawdown_pct: d[o + 3]! }
  }
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms))

const ref = (row: ExecutionRow): ExecutionRefJson => ({ execution_id: row.id, task_type: row.taskType, task_id: row.taskId })

/** since_sequence for the links: kept when the request gave it. */
const sinceGiven = (q: RawQuery, since: number): number | undefined => (q.since_sequence === undefined || q.since_sequence === null ? undefined : since)

const taskNotFound = (taskId: string): DomainError =>
  new DomainError('NOT_FOUND', `Backtest ${taskId.slice(0, 40)} not found`, { task_id: taskId.slice(0, 40) })

function summaryJson(row: ExecutionRow): ExecutionSummaryJson {
  return {
    execution_id: row.id,
    task_type: row.taskType,
    task_id: row.taskId,
    execution_number: row.executionNumber,
    strategy: row.strategy,
    status: row.status,
    progress: row.progress,
    processed: row.processed,
    total: row.total,
    started_at: isoOrNull(row.startedAt),
    completed_at: isoOrNull(row.completedAt),
    error_message: row.errorMessage,
    created_at: iso(row.createdAt),
  }
}
