import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/*
 * The strategy runner (seed 001): strategy accounts and the decisions the scheduler's cycles record.
 * A strategy account trades through its own paper account (accounts/orders/fills/positions, keyed
 * by the synthetic user id `sa:<id>`); these tables hold what the runner itself knows. Times are
 * epoch ms.
 */

/** A strategy run continuously on paper by a user; soft-deleted (`deleted_at`) so decisions keep their account. */
export const strategyAccounts = sqliteTable(
  'strategy_accounts',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    strategy: text('strategy').notNull(),
    /** The validated parameters (defaults filled in). */
    params: text('params', { mode: 'json' }).notNull(),
    /** Symbols traded, as a JSON array (1–6). */
    symbols: text('symbols', { mode: 'json' }).notNull(),
    interval: text('interval').notNull(),
    /** Quote currency, as asked at creation (the paper account's ledger holds it in atoms). */
    initialBalance: real('initial_balance').notNull(),
    /** The paper account it trades through (accounts.id). */
    paperAccountId: text('paper_account_id').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('strategy_accounts_owner').on(t.ownerId, t.createdAt)],
)

/** One decision of one account for one symbol in one cycle. */
export const strategyDecisions = sqliteTable(
  'strategy_decisions',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull(),
    accountId: text('account_id').notNull(),
    cycleId: text('cycle_id').notNull(),
    symbol: text('symbol').notNull(),
    action: text('action', { enum: ['BUY', 'SELL', 'HOLD', 'CLOSE'] }).notNull(),
    confidence: real('confidence').notNull(),
    reasoning: text('reasoning').notNull(),
    /** The indicator values the decision used, as a JSON object of numbers (or nulls). */
    indicators: text('indicators', { mode: 'json' }).notNull(),
    /** Open time (ms) of the closed candle decided on; null when no candle was available. */
    candleTime: integer('candle_time'),
    orderId: text('order_id'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('strategy_decisions_account').on(t.accountId, t.seq)],
)
