import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/*
 * The trading engine (seed 003): one engine per owner, its lifecycle state and the history of its
 * state transitions. The engine trades through its own paper account (accounts/orders/fills/
 * positions, keyed by the synthetic user id `engine:<owner>`); these tables hold what the engine
 * itself knows. Times are epoch ms.
 */

/** The engine of one owner: its state and what it runs with; survives restarts. */
export const engines = sqliteTable('engines', {
  ownerId: text('owner_id').primaryKey(),
  /** One of the seed's TradingState names (IDLE … STOPPED). */
  state: text('state').notNull(),
  previousState: text('previous_state'),
  /** Preset name (resolved for the owner at every start and reload). */
  preset: text('preset'),
  /** `paper` (the only mode that trades). */
  mode: text('mode').notNull(),
  /** Symbols scanned, as a JSON array. */
  symbols: text('symbols', { mode: 'json' }).notNull(),
  /** The paper account it trades through (accounts.id). */
  paperAccountId: text('paper_account_id'),
  /** When the current state was entered. */
  since: integer('since').notNull(),
  /** The latest start; null before the first. */
  startedAt: integer('started_at'),
  /** The cycle's working context (candidate, signal, counters) as JSON. */
  context: text('context', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** One state transition of an engine, with why it happened. */
export const engineTransitions = sqliteTable(
  'engine_transitions',
  {
    seq: integer('seq').primaryKey(),
    ownerId: text('owner_id').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    /** The command that caused it (start, stop, …), or null for the cycle and other triggers. */
    command: text('command'),
    /** `command`, `cycle`, `error`, `restart` or `admin`. */
    trigger: text('trigger').notNull(),
    reason: text('reason').notNull(),
    /** The figures behind the reason, as a JSON object. */
    details: text('details', { mode: 'json' }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('engine_transitions_owner').on(t.ownerId, t.seq), index('engine_transitions_to').on(t.toState, t.at)],
)
