import type { Statement } from 'better-sqlite3'
import type { Db } from '../database'
import type { Page } from './execution-rows'

// Runs and their records (seed 004's executions API). Every statement is prepared once; the record
// writes of one sink flush go in one transaction. Optional filters are `(@x IS NULL OR col = @x)`,
// so one statement serves every combination.

export type TaskType = 'backtest' | 'trading'
export type ExecutionStatus = 'pending' | 'running' | 'paused' | 'completed' | 'failed' | 'stopped'

export interface BacktestTaskRow {
  id: string
  userId: string
  /** The validated spec (plain JSON). */
  spec: unknown
  createdAt: number
}

export interface ExecutionRow {
  id: number
  taskType: TaskType
  taskId: string
  userId: string
  executionNumber: number
  status: ExecutionStatus
  /** Percent done, 0–100. */
  progress: number
  processed: number
  total: number
  strategy: string
  startedAt: number | null
  completedAt: number | null
  errorMessage: string | null
  createdAt: number
}

export type NewExecutionRow = Omit<ExecutionRow, 'id'>

/** The columns a status change or a progress report writes. */
export type ExecutionPatch = Partial<Pick<ExecutionRow, 'status' | 'progress' | 'processed' | 'total' | 'startedAt' | 'completedAt' | 'errorMessage'>>

export interface ExecutionEventRow {
  executionId: number
  sequence: number
  eventType: string
  time: number
  /** The event's data as JSON text. */
  data: string
  createdAt: number
}

export interface ExecutionTradeRow {
  executionId: number
  sequence: number
  symbol: string
  direction: 'long' | 'short'
  entryTime: number
  entryPrice: number
  exitTime: number
  exitPrice: number
  quantity: number
  fees: number
  pnl: number
  exitReason: string
  createdAt: number
}

/** Where a block of equity points sits (without its points). */
export interface EquityBlockHead {
  firstSequence: number
  lastSequence: number
  firstTime: number
  lastTime: number
}

/**
 * Equity points firstSequence..lastSequence: per point four little-endian float64s (time ms, equity,
 * balance, drawdown_pct), in sequence order.
 */
export interface EquityBlockRow extends EquityBlockHead {
  executionId: number
  points: Uint8Array
}

export interface CheckpointRow {
  executionId: number
  sequence: number
  /** The RunMetrics as JSON text. */
  metrics: string
  createdAt: number
}

/** Records to append in one transaction. */
export interface RecordBatch {
  events: readonly ExecutionEventRow[]
  trades: readonly ExecutionTradeRow[]
  equity: readonly EquityBlockRow[]
  checkpoints: readonly CheckpointRow[]
}

/** Highest sequence written per kind (0 before the first); equity counts points. */
export interface MaxSequences {
  events: number
  trades: number
  equity: number
  checkpoints: number
  /** Time of the last equity point written (null before the first). */
  equityLastTime: number | null
}

export interface ExecutionListFilter {
  /** Only this user's executions; undefined: everyone's. */
  userId?: string
  taskType?: TaskType
  status?: ExecutionStatus
  strategy?: string
  limit: number
  offset: number
}

export interface EventFilter {
  /** Sequences strictly greater than this. */
  afterSequence: number
  eventType?: string
  limit: number
  offset: number
}

export interface TradeRowFilter {
  afterSequence: number
  direction?: 'long' | 'short'
  symbol?: string
  limit: number
  offset: number
}

export interface ExecutionRepository {
  insertTask(row: BacktestTaskRow): void
  findTask(id: string): BacktestTaskRow | undefined
  /** Tasks, newest first; `userId` undefined: everyone's. */
  listTasks(userId: string | undefined, limit: number, offset: number): Page<BacktestTaskRow>
  /** Insert and return the new execution's id. */
  insertExecution(row: NewExecutionRow): number
  find(id: number): ExecutionRow | undefined
  /** A task's executions by execution_number. */
  byTask(taskId: string): ExecutionRow[]
  /** The task's highest execution_number (0 when none). */
  maxExecutionNumber(taskId: string): number
  /** Executions, newest first, with the total matching. */
  list(filter: ExecutionListFilter): Page<ExecutionRow>
  /** Apply `patch` when the execution is still in status `from`; false when it was not (nothing written). */
  update(id: number, from: ExecutionStatus, patch: ExecutionPatch): boolean
  /** Every pending, running or paused execution becomes failed with `message`; returns their ids. */
  failUnfinished(message: string, now: number): number[]
  /** The user's pending, running and paused executions of one task type. */
  countActive(userId: string, taskType: TaskType): number
  maxSequences(executionId: number): MaxSequences
  /** Append in one transaction. */
  append(batch: RecordBatch): void
  events(executionId: number, filter: EventFilter): Page<ExecutionEventRow>
  trades(executionId: number, filter: TradeRowFilter): Page<ExecutionTradeRow>
  /**
   * Heads of the blocks holding points with sequence > afterSequence inside [startTime, endTime]
   * (bounds inclusive, null: open), by sequence. Relies on time ascending with the sequence.
   */
  equityHeads(executionId: number, afterSequence: number, startTime: number | null, endTime: number | null): EquityBlockHead[]
  /** The blocks overlapping sequences fromSequence..toSequence, by sequence. */
  equityBlocks(executionId: number, fromSequence: number, toSequence: number): EquityBlockRow[]
  latestCheckpoint(executionId: number): CheckpointRow | undefined
}

const ACTIVE = `('pending', 'running', 'paused')`
const EXECUTION_COLUMNS = `id, task_type AS taskType, task_id AS taskId, user_id AS userId, execution_number AS executionNumber,
  status, progress, processed, total, strategy, started_at AS startedAt, completed_at AS completedAt,
  error_message AS errorMessage, created_at AS createdAt`
const TRADE_COLUMNS = `execution_id AS executionId, sequence, symbol, direction, entry_time AS entryTime, entry_price AS entryPrice,
  exit_time AS exitTime, exit_price AS exitPrice, quantity, fees, pnl, exit_reason AS exitReason, created_at AS createdAt`
const HEAD_COLUMNS = 'first_sequence AS firstSequence, last_sequence AS lastSequence, first_time AS firstTime, last_time AS lastTime'

interface TaskRecord {
  id: string
  userId: string
  spec: string
  createdAt: number
}
const toTask = (r: TaskRecord): BacktestTaskRow => ({ ...r, spec: JSON.parse(r.spec) as unknown })

export class SqliteExecutionRepository implements ExecutionRepository {
  private readonly s: Record<string, Statement>
  private readonly appendTx: (batch: RecordBatch) => void
  private readonly updateTx: (id: number, from: ExecutionStatus, patch: ExecutionPatch) => boolean
  private readonly failTx: (message: string, now: number) => number[]

  constructor(db: Db) {
    const c = db.$client
    const p = (sql: string): Statement => c.prepare(sql)
    this.s = {
      insertTask: p('INSERT INTO backtest_tasks (id, user_id, spec, created_at) VALUES (?, ?, ?, ?)'),
      findTask: p('SELECT id, user_id AS userId, spec, created_at AS createdAt FROM backtest_tasks WHERE id = ?'),
      listTasks: p(
        'SELECT id, user_id AS userId, spec, created_at AS createdAt FROM backtest_tasks WHERE (? IS NULL OR user_id = ?) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?',
      ),
      countTasks: p('SELECT count(*) AS n FROM backtest_tasks WHERE (? IS NULL OR user_id = ?)'),
      insertExecution: p(
        `INSERT INTO executions (task_type, task_id, user_id, execution_number, status, progress, processed, total, strategy,
          started_at, completed_at, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      find: p(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = ?`),
      byTask: p(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE task_id = ? ORDER BY execution_number`),
      maxNumber: p('SELECT coalesce(max(execution_number), 0) AS n FROM executions WHERE task_id = ?'),
      list: p(
        `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE (@user IS NULL OR user_id = @user) AND (@type IS NULL OR task_type = @type)
          AND (@status IS NULL OR status = @status) AND (@strategy IS NULL OR strategy = @strategy) ORDER BY id DESC LIMIT @limit OFFSET @offset`,
      ),
      count: p(
        `SELECT count(*) AS n FROM executions WHERE (@user IS NULL OR user_id = @user) AND (@type IS NULL OR task_type = @type)
          AND (@status IS NULL OR status = @status) AND (@strategy IS NULL OR strategy = @strategy)`,
      ),
      update: p(
        `UPDATE executions SET status = coalesce(@status, status), progress = coalesce(@progress, progress),
          processed = coalesce(@processed, processed), total = coalesce(@total, total),
          started_at = CASE WHEN @setStarted THEN @startedAt ELSE started_at END,
          completed_at = CASE WHEN @setCompleted THEN @completedAt ELSE completed_at END,
          error_message = CASE WHEN @setError THEN @errorMessage ELSE error_message END
          WHERE id = @id AND status = @from`,
      ),
      unfinished: p(`SELECT id FROM executions WHERE status IN ${ACTIVE} ORDER BY id`),
      failUnfinished: p(`UPDATE executions SET status = 'failed', error_message = ?, completed_at = ? WHERE status IN ${ACTIVE}`),
      countActive: p(`SELECT count(*) AS n FROM executions WHERE user_id = ? AND task_type = ? AND status IN ${ACTIVE}`),
      maxEvents: p('SELECT coalesce(max(sequence), 0) AS n FROM execution_events WHERE execution_id = ?'),
      maxTrades: p('SELECT coalesce(max(sequence), 0) AS n FROM execution_trades WHERE execution_id = ?'),
      lastEquity: p('SELECT last_sequence AS n, last_time AS t FROM execution_equity WHERE execution_id = ? ORDER BY first_sequence DESC LIMIT 1'),
      maxCheckpoints: p('SELECT coalesce(max(sequence), 0) AS n FROM execution_checkpoints WHERE execution_id = ?'),
      insertEvent: p('INSERT INTO execution_events (execution_id, sequence, event_type, time, data, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      insertTrade: p(
        `INSERT INTO execution_trades (execution_id, sequence, symbol, direction, entry_time, entry_price, exit_time, exit_price,
          quantity, fees, pnl, exit_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertEquity: p(
        'INSERT INTO execution_equity (execution_id, first_sequence, last_sequence, first_time, last_time, points) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertCheckpoint: p('INSERT INTO execution_checkpoints (execution_id, sequence, metrics, created_at) VALUES (?, ?, ?, ?)'),
      // Two shapes each, so the event-type filter can use its index.
      events: p(
        `SELECT execution_id AS executionId, sequence, event_type AS eventType, time, data, created_at AS createdAt FROM execution_events
          WHERE execution_id = ? AND sequence > ? ORDER BY sequence LIMIT ? OFFSET ?`,
      ),
      countEvents: p('SELECT count(*) AS n FROM execution_events WHERE execution_id = ? AND sequence > ?'),
      eventsOfType: p(
        `SELECT execution_id AS executionId, sequence, event_type AS eventType, time, data, created_at AS createdAt FROM execution_events
          WHERE execution_id = ? AND event_type = ? AND sequence > ? ORDER BY sequence LIMIT ? OFFSET ?`,
      ),
      countEventsOfType: p('SELECT count(*) AS n FROM execution_events WHERE execution_id = ? AND event_type = ? AND sequence > ?'),
      trades: p(
        `SELECT ${TRADE_COLUMNS} FROM execution_trades WHERE execution_id = @id AND sequence > @after AND (@direction IS NULL OR direction = @direction)
          AND (@symbol IS NULL OR symbol = @symbol) ORDER BY sequence LIMIT @limit OFFSET @offset`,
      ),
      countTrades: p(
        `SELECT count(*) AS n FROM execution_trades WHERE execution_id = @id AND sequence > @after AND (@direction IS NULL OR direction = @direction)
          AND (@symbol IS NULL OR symbol = @symbol)`,
      ),
      equityHeads: p(
        `SELECT ${HEAD_COLUMNS} FROM execution_equity WHERE execution_id = @id AND last_sequence > @after
          AND (@start IS NULL OR last_time >= @start) AND (@end IS NULL OR first_time <= @end) ORDER BY first_sequence`,
      ),
      equityBlocks: p(
        `SELECT execution_id AS executionId, ${HEAD_COLUMNS}, points FROM execution_equity WHERE execution_id = ?
          AND last_sequence >= ? AND first_sequence <= ? ORDER BY first_sequence`,
      ),
      latestCheckpoint: p(
        `SELECT execution_id AS executionId, sequence, metrics, created_at AS createdAt FROM execution_checkpoints
          WHERE execution_id = ? ORDER BY sequence DESC LIMIT 1`,
      ),
    }
    const s = this.s
    this.appendTx = c.transaction((b: RecordBatch) => {
      for (const e of b.events) s.insertEvent!.run(e.executionId, e.sequence, e.eventType, e.time, e.data, e.createdAt)
      for (const t of b.trades)
        s.insertTrade!.run(
          t.executionId,
          t.sequence,
          t.symbol,
          t.direction,
          t.entryTime,
          t.entryPrice,
          t.exitTime,
          t.exitPrice,
          t.quantity,
          t.fees,
          t.pnl,
          t.exitReason,
          t.createdAt,
        )
      for (const q of b.equity) s.insertEquity!.run(q.executionId, q.firstSequence, q.lastSequence, q.firstTime, q.lastTime, q.points)
      for (const k of b.checkpoints) s.insertCheckpoint!.run(k.executionId, k.sequence, k.metrics, k.createdAt)
    })
    this.updateTx = (id, from, x) =>
      s.update!.run({
        id,
        from,
        status: x.status ?? null,
        progress: x.progress ?? null,
        processed: x.processed ?? null,
        total: x.total ?? null,
        setStarted: x.startedAt !== undefined ? 1 : 0,
        startedAt: x.startedAt ?? null,
        setCompleted: x.completedAt !== undefined ? 1 : 0,
        completedAt: x.completedAt ?? null,
        setError: x.errorMessage !== undefined ? 1 : 0,
        errorMessage: x.errorMessage ?? null,
      }).changes > 0
    this.failTx = c.transaction((message: string, now: number) => {
      const ids = (s.unfinished!.all() as { id: number }[]).map((r) => r.id)
      if (ids.length > 0) s.failUnfinished!.run(message, now)
      return ids
    })
  }

  insertTask(row: BacktestTaskRow): void {
    this.s.insertTask!.run(row.id, row.userId, JSON.stringify(row.spec), row.createdAt)
  }

  findTask(id: string): BacktestTaskRow | undefined {
    const r = this.s.findTask!.get(id) as TaskRecord | undefined
    return r && toTask(r)
  }

  listTasks(userId: string | undefined, limit: number, offset: number): Page<BacktestTaskRow> {
    const u = userId ?? null
    const rows = (this.s.listTasks!.all(u, u, limit, offset) as TaskRecord[]).map(toTask)
    return { rows, total: (this.s.countTasks!.get(u, u) as { n: number }).n }
  }

  insertExecution(r: NewExecutionRow): number {
    const res = this.s.insertExecution!.run(
      r.taskType,
      r.taskId,
      r.userId,
      r.executionNumber,
      r.status,
      r.progress,
      r.processed,
      r.total,
      r.strategy,
      r.startedAt,
      r.completedAt,
      r.errorMessage,
      r.createdAt,
    )
    return Number(res.lastInsertRowid)
  }

  find(id: number): ExecutionRow | undefined {
    return this.s.find!.get(id) as ExecutionRow | undefined
  }

  byTask(taskId: string): ExecutionRow[] {
    return this.s.byTask!.all(taskId) as ExecutionRow[]
  }

  maxExecutionNumber(taskId: string): number {
    return (this.s.maxNumber!.get(taskId) as { n: number }).n
  }

  list(f: ExecutionListFilter): Page<ExecutionRow> {
    const args = { user: f.userId ?? null, type: f.taskType ?? null, status: f.status ?? null, strategy: f.strategy ?? null }
    const rows = this.s.list!.all({ ...args, limit: f.limit, offset: f.offset }) as ExecutionRow[]
    return { rows, total: (this.s.count!.get(args) as { n: number }).n }
  }

  update(id: number, from: ExecutionStatus, patch: ExecutionPatch): boolean {
    return this.updateTx(id, from, patch)
  }

  failUnfinished(message: string, now: number): number[] {
    return this.failTx(message, now)
  }

  countActive(userId: string, taskType: TaskType): number {
    return (this.s.countActive!.get(userId, taskType) as { n: number }).n
  }

  maxSequences(executionId: number): MaxSequences {
    const n = (st: string): number => (this.s[st]!.get(executionId) as { n: number }).n
    const eq = this.s.lastEquity!.get(executionId) as { n: number; t: number } | undefined
    return { events: n('maxEvents'), trades: n('maxTrades'), equity: eq?.n ?? 0, checkpoints: n('maxCheckpoints'), equityLastTime: eq?.t ?? null }
  }

  append(batch: RecordBatch): void {
    this.appendTx(batch)
  }

  events(executionId: number, f: EventFilter): Page<ExecutionEventRow> {
    if (f.eventType === undefined) {
      return {
        rows: this.s.events!.all(executionId, f.afterSequence, f.limit, f.offset) as ExecutionEventRow[],
        total: (this.s.countEvents!.get(executionId, f.afterSequence) as { n: number }).n,
      }
    }
    return {
      rows: this.s.eventsOfType!.all(executionId, f.eventType, f.afterSequence, f.limit, f.offset) as ExecutionEventRow[],
      total: (this.s.countEventsOfType!.get(executionId, f.eventType, f.afterSequence) as { n: number }).n,
    }
  }

  trades(executionId: number, f: TradeRowFilter): Page<ExecutionTradeRow> {
    const args = { id: executionId, after: f.afterSequence, direction: f.direction ?? null, symbol: f.symbol ?? null }
    return {
      rows: this.s.trades!.all({ ...args, limit: f.limit, offset: f.offset }) as ExecutionTradeRow[],
      total: (this.s.countTrades!.get(args) as { n: number }).n,
    }
  }

  equityHeads(executionId: number, afterSequence: number, startTime: number | null, endTime: number | null): EquityBlockHead[] {
    return this.s.equityHeads!.all({ id: executionId, after: afterSequence, start: startTime, end: endTime }) as EquityBlockHead[]
  }

  equityBlocks(executionId: number, fromSequence: number, toSequence: number): EquityBlockRow[] {
    return this.s.equityBlocks!.all(executionId, fromSequence, toSequence) as EquityBlockRow[]
  }

  latestCheckpoint(executionId: number): CheckpointRow | undefined {
    return this.s.latestCheckpoint!.get(executionId) as CheckpointRow | undefined
  }
}
