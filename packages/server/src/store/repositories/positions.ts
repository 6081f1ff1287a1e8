import type { Statement } from 'better-sqlite3'
import { and, asc, count, desc, eq, gt, gte, lte, sql } from 'drizzle-orm'
import type { Db } from '../database'
import { accounts as a, positions as p } from '../schema'
import type { ClosedPositionFilter, Page, PositionFilter, PositionRow } from './execution-rows'
import { positionalInsert, type PositionalInsert } from './positional-insert'

/** Positions (netted per account and symbol while open). */
export interface PositionRepository {
  /** Insert a new position; returns its sequence number. */
  insert(row: PositionRow): number
  update(row: PositionRow): void
  byId(id: string): PositionRow | undefined
  list(accountId: string, q: PositionFilter): Page<PositionRow>
  /** An account's open positions. */
  open(accountId: string): PositionRow[]
  /** Accounts holding at least one open position. */
  accountsWithOpen(): string[]
  /** Open positions over every account. */
  countOpen(): number
  /** Every open position with its owner's user id (an emergency stop flattens them). */
  openWithOwners(): { userId: string; symbol: string; side: PositionRow['side']; quantity: number }[]
  /** An account's closed positions, oldest close first. */
  closed(accountId: string, q: ClosedPositionFilter): PositionRow[]
  /** A page of an account's closed positions that closed something, newest close first. */
  closedPage(accountId: string, q: ClosedPositionFilter & { limit: number; offset: number }): Page<PositionRow>
}

export class SqlitePositionRepository implements PositionRepository {
  private readonly ins: PositionalInsert
  private readonly upd: Statement

  /** The common read of live executions (closed since a time, no symbol, no end): prepared once. */
  private readonly closedSinceQ
  /** Health and metrics count open positions on every poll: prepared once. */
  private readonly countOpenQ

  constructor(private readonly db: Db) {
    this.countOpenQ = db.select({ n: count() }).from(p).where(eq(p.status, 'open')).prepare()
    this.closedSinceQ = db
      .select()
      .from(p)
      .where(and(eq(p.accountId, sql.placeholder('accountId')), eq(p.status, 'closed'), gte(p.closedAt, sql.placeholder('since'))))
      .orderBy(asc(p.closedAt), asc(p.seq))
      .prepare()
    this.ins = positionalInsert(db, p)
    this.upd = db.$client.prepare(
      `UPDATE positions SET status = ?, quantity = ?, cost_basis = ?, opened_quantity = ?, closed_quantity = ?, closed_cost = ?,
         exit_notional = ?, realized_pnl = ?, commission = ?, initial_stop_loss = ?, exit_reason = ?, updated_at = ?, closed_at = ? WHERE id = ?`,
    )
  }

  insert(row: PositionRow): number {
    return Number(this.ins.run(row).lastInsertRowid)
  }

  update(x: PositionRow): void {
    this.upd.run(
      x.status,
      x.quantity,
      x.costBasis,
      x.openedQuantity,
      x.closedQuantity,
      x.closedCost,
      x.exitNotional,
      x.realizedPnl,
      x.commission,
      x.initialStopLoss,
      x.exitReason,
      x.updatedAt,
      x.closedAt,
      x.id,
    )
  }

  byId(id: string): PositionRow | undefined {
    return this.db.select().from(p).where(eq(p.id, id)).get()
  }

  list(accountId: string, q: PositionFilter): Page<PositionRow> {
    const where = [eq(p.accountId, accountId)]
    if (q.symbol) where.push(eq(p.symbol, q.symbol))
    if (q.status) where.push(eq(p.status, q.status))
    const cond = and(...where)
    const rows = this.db.select().from(p).where(cond).orderBy(desc(p.seq)).limit(q.limit).offset(q.offset).all()
    const total = this.db.select({ n: count() }).from(p).where(cond).get()?.n ?? 0
    return { rows, total }
  }

  open(accountId: string): PositionRow[] {
    return this.db
      .select()
      .from(p)
      .where(and(eq(p.accountId, accountId), eq(p.status, 'open')))
      .all()
  }

  accountsWithOpen(): string[] {
    return this.db
      .selectDistinct({ accountId: p.accountId })
      .from(p)
      .where(eq(p.status, 'open'))
      .all()
      .map((r) => r.accountId)
  }

  countOpen(): number {
    return this.countOpenQ.get()?.n ?? 0
  }

  openWithOwners(): { userId: string; symbol: string; side: PositionRow['side']; quantity: number }[] {
    return this.db
      .select({ userId: a.userId, symbol: p.symbol, side: p.side, quantity: p.quantity })
      .from(p)
      .innerJoin(a, eq(a.id, p.accountId))
      .where(eq(p.status, 'open'))
      .all()
  }

  closed(accountId: string, q: ClosedPositionFilter): PositionRow[] {
    if (q.since !== undefined && q.symbol === undefined && q.until === undefined)
      return this.closedSinceQ.all({ accountId, since: q.since }) as PositionRow[]
    const where = [eq(p.accountId, accountId), eq(p.status, 'closed')]
    if (q.symbol) where.push(eq(p.symbol, q.symbol))
    if (q.since !== undefined) where.push(gte(p.closedAt, q.since))
    if (q.until !== undefined) where.push(lte(p.closedAt, q.until))
    return this.db
      .select()
      .from(p)
      .where(and(...where))
      .orderBy(asc(p.closedAt), asc(p.seq))
      .all()
  }

  closedPage(accountId: string, q: ClosedPositionFilter & { limit: number; offset: number }): Page<PositionRow> {
    const where = [eq(p.accountId, accountId), eq(p.status, 'closed'), gt(p.closedQuantity, 0)]
    if (q.symbol) where.push(eq(p.symbol, q.symbol))
    if (q.since !== undefined) where.push(gte(p.closedAt, q.since))
    if (q.until !== undefined) where.push(lte(p.closedAt, q.until))
    const cond = and(...where)
    const rows = this.db.select().from(p).where(cond).orderBy(desc(p.closedAt), desc(p.seq)).limit(q.limit).offset(q.offset).all()
    const total = this.db.select({ n: count() }).from(p).where(cond).get()?.n ?? 0
    return { rows, total }
  }
}
