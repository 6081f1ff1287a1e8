import { and, asc, count, desc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm'
import type { Db } from '../database'
import { fills as f, orders as o } from '../schema'
import type { FillRow, Page, TradeFilter } from './execution-rows'
import { positionalInsert, type PositionalInsert } from './positional-insert'

/** Executions (fills). The last fill of a state change carries the account's equity mark. */
export interface FillRepository {
  insert(row: Omit<FillRow, 'seq'>): void
  /** An account's fills, newest first, with the total matching. */
  list(accountId: string, q: TradeFilter): Page<FillRow>
  /** Fills of an account at or after `since` (ms), oldest first, at most `limit`: one prepared statement. */
  since(accountId: string, since: number, limit: number): FillRow[]
  /** Equity marks carried by fills, ascending (atoms). */
  equityMarks(accountId: string, since?: number): { at: number; equity: number }[]
  /** The order of a position's first fill (the one that opened it), if any. */
  openingOrderId(accountId: string, positionId: string): string | undefined
}

export class SqliteFillRepository implements FillRepository {
  private readonly ins: PositionalInsert
  private readonly sinceQ

  constructor(private readonly db: Db) {
    this.ins = positionalInsert(db, f)
    this.sinceQ = db
      .select()
      .from(f)
      .where(and(eq(f.accountId, sql.placeholder('accountId')), gte(f.createdAt, sql.placeholder('since'))))
      .orderBy(asc(f.seq))
      .limit(sql.placeholder('limit'))
      .prepare()
  }

  since(accountId: string, since: number, limit: number): FillRow[] {
    return this.sinceQ.all({ accountId, since, limit }) as FillRow[]
  }

  insert(row: Omit<FillRow, 'seq'>): void {
    this.ins.run(row)
  }

  openingOrderId(accountId: string, positionId: string): string | undefined {
    // Rare (moving a position's exits): the account's index and a scan of its fills is enough.
    return this.db
      .select({ orderId: f.orderId })
      .from(f)
      .where(and(eq(f.accountId, accountId), eq(f.positionId, positionId)))
      .orderBy(asc(f.seq))
      .limit(1)
      .get()?.orderId
  }

  list(accountId: string, q: TradeFilter): Page<FillRow> {
    const where = [eq(f.accountId, accountId)]
    if (q.symbol) where.push(eq(f.symbol, q.symbol))
    if (q.since !== undefined) where.push(gte(f.createdAt, q.since))
    if (q.until !== undefined) where.push(lte(f.createdAt, q.until))
    if (q.status) where.push(inArray(f.orderId, this.db.select({ id: o.id }).from(o).where(and(eq(o.accountId, accountId), eq(o.status, q.status)))))
    const cond = and(...where)
    const rows = this.db
      .select()
      .from(f)
      .where(cond)
      .orderBy(desc(f.seq))
      .limit(q.limit)
      .offset((q.page - 1) * q.limit)
      .all()
    const total = this.db.select({ n: count() }).from(f).where(cond).get()?.n ?? 0
    return { rows, total }
  }

  equityMarks(accountId: string, since?: number): { at: number; equity: number }[] {
    return this.db
      .select({ at: f.createdAt, equity: f.equity })
      .from(f)
      .where(and(eq(f.accountId, accountId), isNotNull(f.equity), ...(since === undefined ? [] : [gte(f.createdAt, since)])))
      .orderBy(asc(f.seq))
      .all() as { at: number; equity: number }[]
  }
}
