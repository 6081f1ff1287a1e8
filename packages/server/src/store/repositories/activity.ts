import type { Statement } from 'better-sqlite3'
import type { Db } from '../database'

/** Fills aggregated by symbol and liquidity (integer units: notional and money in quote atoms). */
export interface FillAggregateRow {
  symbol: string
  liquidity: 'maker' | 'taker'
  fills: number
  orders: number
  notional: number
  commission: number
  realizedPnl: number
}

/** Counts over time windows for health and metrics: aggregates only, never rows. */
export interface ActivityRepository {
  /** Orders created at or after `since` (ms), counted by status, over every account. */
  orderCountsSince(since: number): { status: string; n: number }[]
  /** Fills at or after `since` over every account, by symbol and liquidity. */
  fillAggregatesSince(since: number): FillAggregateRow[]
  /** One account's fills at or after `since`, by symbol and liquidity. */
  accountFillAggregatesSince(accountId: string, since: number): FillAggregateRow[]
  /** One account's orders created at or after `since`, counted by status. */
  accountOrderCountsSince(accountId: string, since: number): { status: string; n: number }[]
}

const FILL_COLUMNS = `symbol, liquidity, count(*) AS fills, count(DISTINCT order_id) AS orders, coalesce(sum(notional), 0) AS notional,
  coalesce(sum(commission), 0) AS commission, coalesce(sum(realized_pnl), 0) AS realizedPnl`

export class SqliteActivityRepository implements ActivityRepository {
  // Prepared per connection (a closed and reopened client gets new statements).
  private client?: Db['$client']
  private q!: Record<'orders' | 'fills' | 'accountFills' | 'accountOrders', Statement>

  constructor(private readonly db: Db) {}

  private statements(): typeof this.q {
    const c = this.db.$client
    if (c !== this.client) {
      this.q = {
        orders: c.prepare('SELECT status, count(*) AS n FROM orders WHERE created_at >= ? GROUP BY status'),
        fills: c.prepare(`SELECT ${FILL_COLUMNS} FROM fills WHERE created_at >= ? GROUP BY symbol, liquidity ORDER BY symbol, liquidity`),
        accountFills: c.prepare(
          `SELECT ${FILL_COLUMNS} FROM fills WHERE account_id = ? AND created_at >= ? GROUP BY symbol, liquidity ORDER BY symbol, liquidity`,
        ),
        accountOrders: c.prepare('SELECT status, count(*) AS n FROM orders WHERE account_id = ? AND created_at >= ? GROUP BY status'),
      }
      this.client = c
    }
    return this.q
  }

  orderCountsSince(since: number): { status: string; n: number }[] {
    return this.statements().orders.all(since) as { status: string; n: number }[]
  }

  fillAggregatesSince(since: number): FillAggregateRow[] {
    return this.statements().fills.all(since) as FillAggregateRow[]
  }

  accountFillAggregatesSince(accountId: string, since: number): FillAggregateRow[] {
    return this.statements().accountFills.all(accountId, since) as FillAggregateRow[]
  }

  accountOrderCountsSince(accountId: string, since: number): { status: string; n: number }[] {
    return this.statements().accountOrders.all(accountId, since) as { status: string; n: number }[]
  }
}
