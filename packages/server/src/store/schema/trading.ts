import { sql } from 'drizzle-orm'
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/*
 * The paper exchange's ledger. Money columns are integers in quote "atoms" (1e-8 of the quote asset,
 * see execution/money.ts); quantities are integers in lots of 10^-quantityPrecision and prices in
 * 10^-pricePrecision of their instrument, so nothing ever accumulates binary-float error.
 */

/** One paper account per user. `balance = initial_balance + realized_pnl − commission`, exactly. */
export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().unique(),
  currency: text('currency').notNull(),
  initialBalance: integer('initial_balance').notNull(),
  balance: integer('balance').notNull(),
  realizedPnl: integer('realized_pnl').notNull(),
  commission: integer('commission').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** Orders; `status` only changes through execution/order-state.ts. */
export const orders = sqliteTable(
  'orders',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    accountId: text('account_id').notNull(),
    clientOrderId: text('client_order_id'),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    type: text('type', { enum: ['market', 'limit', 'stop', 'stop_limit'] }).notNull(),
    timeInForce: text('time_in_force', { enum: ['GTC', 'IOC', 'FOK', 'DAY', 'GTD'] }).notNull(),
    status: text('status').notNull(),
    /** Lots. */
    quantity: integer('quantity').notNull(),
    /** Limit price in ticks of 10^-pricePrecision; null for market and stop. */
    price: integer('price'),
    /** Trigger price of stop and stop_limit orders. */
    stopPrice: integer('stop_price'),
    /** Whether a stop has triggered (it then works as a market or limit order). */
    triggered: integer('triggered', { mode: 'boolean' }).notNull(),
    filledQuantity: integer('filled_quantity').notNull(),
    /** Sum of fill notionals (atoms): average price = filled_notional / filled_quantity. */
    filledNotional: integer('filled_notional').notNull(),
    /** Best opposite price (ticks) when the order first took liquidity: its slippage reference. */
    arrivalPrice: integer('arrival_price'),
    commission: integer('commission').notNull(),
    /** Requested protective exits of an entry (price units). */
    stopLoss: integer('stop_loss'),
    takeProfit: integer('take_profit'),
    /** For linked exits: the entry that created them, and which exit this is. */
    parentOrderId: text('parent_order_id'),
    linkType: text('link_type', { enum: ['stop_loss', 'take_profit'] }),
    /** Reduce-only orders never increase or reverse a position (linked exits). */
    reduceOnly: integer('reduce_only', { mode: 'boolean' }).notNull(),
    rejectReason: text('reject_reason'),
    /** Values the server moved onto the instrument's grid, as JSON [{field, requested, applied}]; null: none. */
    adjustments: text('adjustments'),
    /** When a DAY or GTD order expires (ms). */
    expiresAt: integer('expires_at'),
    /**
     * Who placed the order when it was not the account's own trading (an API order, a strategy's):
     * `manual` (the owner closing positions by hand: close all, a strategy account deleted, an
     * engine stopped) or `emergency_stop` (an administrator's or an engine's). Null otherwise. What a
     * round trip's exit reason is made of, with `link_type`.
     */
    origin: text('origin', { enum: ['manual', 'emergency_stop'] }),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    closedAt: integer('closed_at'),
  },
  // Few indexes on purpose: every commit writes each index page it touches. Open orders and linked
  // exits are looked up in memory; the store is read by account (lists) and by id. Sequence keys are
  // plain rowids (no AUTOINCREMENT, whose counter table would be one more page per commit).
  (t) => [
    uniqueIndex('orders_client_order_id').on(t.accountId, t.clientOrderId).where(sql`${t.clientOrderId} IS NOT NULL`),
    index('orders_account').on(t.accountId, t.seq),
  ],
)

/** Executions: one row per fill (a market order walking three book levels makes three). */
export const fills = sqliteTable(
  'fills',
  {
    seq: integer('seq').primaryKey(),
    /** Unique by construction (never looked up by itself, so not indexed). */
    id: text('id').notNull(),
    orderId: text('order_id').notNull(),
    accountId: text('account_id').notNull(),
    positionId: text('position_id').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['buy', 'sell'] }).notNull(),
    quantity: integer('quantity').notNull(),
    price: integer('price').notNull(),
    notional: integer('notional').notNull(),
    commission: integer('commission').notNull(),
    liquidity: text('liquidity', { enum: ['maker', 'taker'] }).notNull(),
    /** Realized PnL of the closing part of this fill, before commission (atoms). */
    realizedPnl: integer('realized_pnl').notNull(),
    /**
     * On the last fill of a state change: the account's equity after it (atoms), an equity mark
     * written with the fill instead of as a row (and index entry) of its own.
     */
    equity: integer('equity'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('fills_account').on(t.accountId, t.seq)],
)

/** Net positions: at most one open per (account, symbol); reversing closes one and opens another. */
export const positions = sqliteTable(
  'positions',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    accountId: text('account_id').notNull(),
    symbol: text('symbol').notNull(),
    side: text('side', { enum: ['long', 'short'] }).notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    /** Open quantity (lots). */
    quantity: integer('quantity').notNull(),
    /** Entry value of the open quantity (atoms): entry price = cost_basis / quantity. */
    costBasis: integer('cost_basis').notNull(),
    /** Total quantity opened and closed over the position's life (lots). */
    openedQuantity: integer('opened_quantity').notNull(),
    closedQuantity: integer('closed_quantity').notNull(),
    /** Entry value released by closes, and exit value received (atoms): round-trip prices. */
    closedCost: integer('closed_cost').notNull(),
    exitNotional: integer('exit_notional').notNull(),
    realizedPnl: integer('realized_pnl').notNull(),
    commission: integer('commission').notNull(),
    /** The first stop loss the position had (price units): the base of its R figures; null: never had one. */
    initialStopLoss: integer('initial_stop_loss'),
    /** Why it closed, from the order of its last fill (execution/exit-reason.ts); null while open. */
    exitReason: text('exit_reason', { enum: ['TAKE_PROFIT', 'STOP_LOSS', 'SIGNAL', 'MANUAL', 'EMERGENCY_STOP'] }),
    openedAt: integer('opened_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [index('positions_account').on(t.accountId, t.status, t.symbol)],
)

/**
 * Equity marks that are not fills: the opening balance, and one a minute while positions are open.
 * Marks after fills live on the fills (`fills.equity`).
 */
export const equitySnapshots = sqliteTable(
  'equity_snapshots',
  {
    seq: integer('seq').primaryKey(),
    accountId: text('account_id').notNull(),
    at: integer('at').notNull(),
    equity: integer('equity').notNull(),
    balance: integer('balance').notNull(),
  },
  (t) => [index('equity_snapshots_account').on(t.accountId, t.at)],
)

/** Per-account risk limits; null falls back to the runtime settings (trading.*). */
export const riskLimits = sqliteTable('risk_limits', {
  accountId: text('account_id').primaryKey(),
  maxPositionSize: real('max_position_size'),
  maxDailyLoss: real('max_daily_loss'),
  maxDrawdown: real('max_drawdown'),
  stopLossPercent: real('stop_loss_percent'),
  positionLimits: text('position_limits', { mode: 'json' }).$type<Record<string, number>>().notNull(),
  /** The account's protections (the contract's Protections; null: all off). */
  protections: text('protections', { mode: 'json' }).$type<ProtectionsConfig>(),
  updatedAt: integer('updated_at').notNull(),
})

/** An account's protections as the contract writes them (snake case); each null when off. */
export interface ProtectionsConfig {
  cooldown: { losing_trades: number; lock_minutes: number; lookback_minutes: number } | null
  stoploss_guard: { max_daily_loss_percent: number } | null
  max_drawdown: { max_drawdown_percent: number; lock_minutes: number } | null
}

/** Locks created by an account's protections; kept after they end (expired or removed). */
export const riskLocks = sqliteTable(
  'risk_locks',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    accountId: text('account_id').notNull(),
    /** cooldown | stoploss_guard | max_drawdown */
    protection: text('protection').notNull(),
    /** The symbol locked; null: every symbol. */
    symbol: text('symbol'),
    reason: text('reason').notNull(),
    createdAt: integer('created_at').notNull(),
    until: integer('until').notNull(),
    /** When the owner or an administrator lifted it early. */
    removedAt: integer('removed_at'),
  },
  (t) => [index('risk_locks_account').on(t.accountId, t.createdAt), index('risk_locks_until').on(t.until)],
)

/** Risk events: limits approached (≥ 80 %) and denied orders; resolved when usage falls back. */
export const riskEvents = sqliteTable(
  'risk_events',
  {
    seq: integer('seq').primaryKey(),
    id: text('id').notNull().unique(),
    accountId: text('account_id').notNull(),
    type: text('type').notNull(),
    severity: text('severity', { enum: ['low', 'medium', 'high', 'critical'] }).notNull(),
    message: text('message').notNull(),
    symbol: text('symbol'),
    /** What the event is about (e.g. `position:BTCUSDT`): resolution is per key. */
    subject: text('subject').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    resolved: integer('resolved', { mode: 'boolean' }).notNull(),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('risk_events_account').on(t.accountId, t.createdAt), index('risk_events_open').on(t.accountId, t.resolved)],
)

/** Trading pauses: `global` or an account id. */
export const tradingControls = sqliteTable('trading_controls', {
  scope: text('scope').primaryKey(),
  paused: integer('paused', { mode: 'boolean' }).notNull(),
  reason: text('reason'),
  /** When the pause in force began (null when active). */
  pausedAt: integer('paused_at'),
  /** When the pause lifts by itself (null: until resumed). */
  resumeAt: integer('resume_at'),
  updatedAt: integer('updated_at').notNull(),
})
