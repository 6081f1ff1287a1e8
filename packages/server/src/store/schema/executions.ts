import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/*
 * Runs (backtests now, live strategy runs later) and the records they produce (seed 004's executions
 * API). A task is what was asked for; each execution is one run of it (re-running a backtest adds
 * execution_number 2, 3…). The record tables are append-only, keyed by (execution_id, sequence) with
 * gapless sequences per execution and kind; times are epoch ms, money and prices plain numbers.
 */

/** A backtest as requested: the validated BacktestSpec (backtest/types.ts). */
export const backtestTasks = sqliteTable(
  'backtest_tasks',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    spec: text('spec', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('backtest_tasks_user').on(t.userId, t.createdAt)],
)

/** One run of a task. `status` only changes through executions/state.ts. Integer ids, as seed 004's. */
export const executions = sqliteTable(
  'executions',
  {
    id: integer('id').primaryKey(),
    taskType: text('task_type', { enum: ['backtest', 'trading'] }).notNull(),
    taskId: text('task_id').notNull(),
    userId: text('user_id').notNull(),
    executionNumber: integer('execution_number').notNull(),
    status: text('status', { enum: ['pending', 'running', 'paused', 'completed', 'failed', 'stopped'] }).notNull(),
    /** Percent done, 0–100. */
    progress: real('progress').notNull(),
    /** Candles processed and to process. */
    processed: integer('processed').notNull(),
    total: integer('total').notNull(),
    strategy: text('strategy').notNull(),
    startedAt: integer('started_at'),
    completedAt: integer('completed_at'),
    errorMessage: text('error_message'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('executions_task_number').on(t.taskId, t.executionNumber),
    index('executions_user').on(t.userId, t.id),
  ],
)

/** Events of a run, in emission order. `time` is the market time the event belongs to. */
export const executionEvents = sqliteTable(
  'execution_events',
  {
    executionId: integer('execution_id').notNull(),
    sequence: integer('sequence').notNull(),
    eventType: text('event_type').notNull(),
    time: integer('time').notNull(),
    data: text('data', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.sequence] }), index('execution_events_type').on(t.executionId, t.eventType, t.sequence)],
)

/** Closed round trips of a run (backtest/types.ts RunTrade). */
export const executionTrades = sqliteTable(
  'execution_trades',
  {
    executionId: integer('execution_id').notNull(),
    sequence: integer('sequence').notNull(),
    symbol: text('symbol').notNull(),
    direction: text('direction', { enum: ['long', 'short'] }).notNull(),
    entryTime: integer('entry_time').notNull(),
    entryPrice: real('entry_price').notNull(),
    exitTime: integer('exit_time').notNull(),
    exitPrice: real('exit_price').notNull(),
    quantity: real('quantity').notNull(),
    fees: real('fees').notNull(),
    pnl: real('pnl').notNull(),
    exitReason: text('exit_reason').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.sequence] })],
)

/**
 * The equity curve (one point per candle close), stored in blocks: one row per sink flush holding
 * points first_sequence..last_sequence. A run writes a point per candle (a million for a long
 * backtest): a row per point costs ~2.5 µs to write and ~1 µs to read back, a block ~0.2 µs and
 * ~0.03 µs per point. `points` packs, per point in sequence order, four little-endian float64s:
 * time (epoch ms), equity, balance, drawdown_pct. `time` ascends with the sequence.
 */
export const executionEquity = sqliteTable(
  'execution_equity',
  {
    executionId: integer('execution_id').notNull(),
    firstSequence: integer('first_sequence').notNull(),
    lastSequence: integer('last_sequence').notNull(),
    firstTime: integer('first_time').notNull(),
    lastTime: integer('last_time').notNull(),
    points: blob('points', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.firstSequence] })],
)

/** Metrics checkpoints (backtest/types.ts RunMetrics); the latest is the run's current figures. */
export const executionCheckpoints = sqliteTable(
  'execution_checkpoints',
  {
    executionId: integer('execution_id').notNull(),
    sequence: integer('sequence').notNull(),
    metrics: text('metrics', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.sequence] })],
)
