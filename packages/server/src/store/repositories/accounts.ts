import type { Statement } from 'better-sqlite3'
import { and, asc, eq, gte, sql } from 'drizzle-orm'
import type { Db } from '../database'
import { accounts as a, equitySnapshots as e } from '../schema'
import type { AccountRow } from './execution-rows'

/** Paper accounts and their equity snapshots (atoms). */
export interface AccountRepository {
  byUserId(userId: string): AccountRow | undefined
  byId(id: string): AccountRow | undefined
  insert(row: AccountRow): void
  /** Write the ledger totals (balance, realized PnL, commission) and the update time. */
  updateTotals(row: AccountRow): void
  /** Realized PnL net of commissions over every account (atoms). */
  totalRealizedNet(): number
  insertSnapshot(accountId: string, at: number, equity: number, balance: number): void
  /** Equity snapshots, ascending by time. */
  snapshots(accountId: string, since?: number): { at: number; equity: number }[]
}

export class SqliteAccountRepository implements AccountRepository {
  private readonly upd: Statement
  private readonly insSnapshot: Statement

  constructor(private readonly db: Db) {
    this.upd = db.$client.prepare('UPDATE accounts SET balance = ?, realized_pnl = ?, commission = ?, updated_at = ? WHERE id = ?')
    this.insSnapshot = db.$client.prepare('INSERT INTO equity_snapshots (account_id, at, equity, balance) VALUES (?, ?, ?, ?)')
  }

  byUserId(userId: string): AccountRow | undefined {
    return this.db.select().from(a).where(eq(a.userId, userId)).get()
  }

  byId(id: string): AccountRow | undefined {
    return this.db.select().from(a).where(eq(a.id, id)).get()
  }

  insert(row: AccountRow): void {
    this.db.insert(a).values(row).run()
  }

  updateTotals(x: AccountRow): void {
    this.upd.run(x.balance, x.realizedPnl, x.commission, x.updatedAt, x.id)
  }

  totalRealizedNet(): number {
    return this.db.select({ atoms: sql<number>`coalesce(sum(${a.realizedPnl} - ${a.commission}), 0)` }).from(a).get()?.atoms ?? 0
  }

  insertSnapshot(accountId: string, at: number, equity: number, balance: number): void {
    this.insSnapshot.run(accountId, at, equity, balance)
  }

  snapshots(accountId: string, since?: number): { at: number; equity: number }[] {
    return this.db
      .select({ at: e.at, equity: e.equity })
      .from(e)
      .where(and(eq(e.accountId, accountId), ...(since === undefined ? [] : [gte(e.at, since)])))
      .orderBy(asc(e.at), asc(e.seq))
      .all()
  }
}
