import { eq } from 'drizzle-orm'
import { randomId } from '../auth'
import type { Clock, EventBus } from '../core'
import type { MarketData } from '../market'
import { tables, transaction, type Db } from '../store'
import { equityHistory, listRoundTrips, type EquityPoint, type RoundTrip, type RoundTripQuery } from './history'
import { toAtoms } from './money'

export interface ExecutionOptions {
  db: Db
  clock: Clock
  market: MarketData
  events: EventBus
  /** Initial balance of a new paper account (quote currency). */
  initialBalance: number
  currency?: string
}

/** The paper exchange: accounts, orders, fills, positions and the ledger. */
export class ExecutionService {
  private readonly accountIds = new Map<string, string>()

  constructor(private readonly o: ExecutionOptions) {}

  /** The paper account id of a user, created (with the initial balance) on first use. */
  accountIdOf(userId: string): string {
    let id = this.accountIds.get(userId)
    if (id) return id
    const { db, clock } = this.o
    const row = db.select({ id: tables.accounts.id }).from(tables.accounts).where(eq(tables.accounts.userId, userId)).get()
    if (row) id = row.id
    else {
      id = randomId('acc')
      const now = clock.now()
      const balance = toAtoms(this.o.initialBalance)
      const accountId = id
      transaction(db, (tx) => {
        tx.insert(tables.accounts)
          .values({ id: accountId, userId, currency: this.o.currency ?? 'USDT', initialBalance: balance, balance, realizedPnl: 0, commission: 0, createdAt: now, updatedAt: now })
          .run()
        tx.insert(tables.equitySnapshots).values({ accountId, at: now, equity: balance, balance }).run()
      })
    }
    this.accountIds.set(userId, id)
    return id
  }

  /** Closed round trips of an account (see {@link listRoundTrips}). */
  listRoundTrips(accountId: string, q: RoundTripQuery = {}): RoundTrip[] {
    return listRoundTrips(this.o.db, this.o.market, accountId, q)
  }

  /** Equity marks of an account (see {@link equityHistory}). */
  equityHistory(accountId: string, q: { since?: number } = {}): EquityPoint[] {
    return equityHistory(this.o.db, accountId, q)
  }
}
