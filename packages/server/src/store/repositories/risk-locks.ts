import { and, desc, eq, gt, isNull, or, isNotNull, lte, type SQL } from 'drizzle-orm'
import type { Db } from '../database'
import { riskLocks } from '../schema'

/** A protection's lock (times in ms). */
export interface RiskLockRow {
  id: string
  accountId: string
  protection: string
  /** Null: every symbol. */
  symbol: string | null
  reason: string
  createdAt: number
  until: number
  removedAt: number | null
}

/** Which of an account's locks to list. */
export interface RiskLockFilter {
  /** true: active at `now`; false: expired or removed by then. */
  active?: boolean
  now: number
  limit: number
}

/** Protection locks: kept after they end, so the history stays listable. */
export interface RiskLockRepository {
  insert(row: RiskLockRow): void
  byId(id: string): RiskLockRow | undefined
  /** Mark a lock removed at `at`. */
  remove(id: string, at: number): void
  /** An account's locks, newest first. */
  list(accountId: string, f: RiskLockFilter): RiskLockRow[]
  /** Every lock still active at `now`, over all accounts (the cache's start). */
  activeAt(now: number): RiskLockRow[]
  /** The newest lock of a protection (and symbol, null: account-wide) of an account, removed or not. */
  latest(accountId: string, protection: string, symbol: string | null): RiskLockRow | undefined
}

export class SqliteRiskLockRepository implements RiskLockRepository {
  constructor(private readonly db: Db) {}

  insert(row: RiskLockRow): void {
    this.db.insert(riskLocks).values(row).run()
  }

  byId(id: string): RiskLockRow | undefined {
    return this.db.select().from(riskLocks).where(eq(riskLocks.id, id)).get() as RiskLockRow | undefined
  }

  remove(id: string, at: number): void {
    this.db.update(riskLocks).set({ removedAt: at }).where(eq(riskLocks.id, id)).run()
  }

  list(accountId: string, f: RiskLockFilter): RiskLockRow[] {
    const where: (SQL | undefined)[] = [eq(riskLocks.accountId, accountId)]
    if (f.active === true) where.push(isNull(riskLocks.removedAt), gt(riskLocks.until, f.now))
    if (f.active === false) where.push(or(isNotNull(riskLocks.removedAt), lte(riskLocks.until, f.now)))
    return this.db
      .select()
      .from(riskLocks)
      .where(and(...where))
      .orderBy(desc(riskLocks.createdAt), desc(riskLocks.seq))
      .limit(f.limit)
      .all() as RiskLockRow[]
  }

  activeAt(now: number): RiskLockRow[] {
    return this.db
      .select()
      .from(riskLocks)
      .where(and(isNull(riskLocks.removedAt), gt(riskLocks.until, now)))
      .all() as RiskLockRow[]
  }

  latest(accountId: string, protection: string, symbol: string | null): RiskLockRow | undefined {
    return this.db
      .select()
      .from(riskLocks)
      .where(and(eq(riskLocks.accountId, accountId), eq(riskLocks.protection, protection), symbol === null ? isNull(riskLocks.symbol) : eq(riskLocks.symbol, symbol)))
      .orderBy(desc(riskLocks.createdAt), desc(riskLocks.seq))
      .limit(1)
      .get() as RiskLockRow | undefined
  }
}
