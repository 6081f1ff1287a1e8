import type { Statement } from 'better-sqlite3'
import { and, count, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm'
import type { Db } from '../database'
import { orders as o } from '../schema'
import { ACTIVE_STATUSES, type OrderFilter, type OrderRow, type Page } from './execution-rows'
import { positionalInsert, type PositionalInsert } from './positional-insert'

/** Orders of the paper exchange. Inserts and updates are on the order path. */
export interface OrderRepository {
  /** Insert a new order; returns its sequence number. */
  insert(row: OrderRow): number
  /** Write an order's mutable fields. */
  update(row: OrderRow): void
  byId(id: string): OrderRow | undefined
  byClientOrderId(accountId: string, clientOrderId: string): OrderRow | undefined
  /** Every working order, in submission order. */
  active(): OrderRow[]
  list(accountId: string, q: OrderFilter): Page<OrderRow>
}

export class SqliteOrderRepository implements OrderRepository {
  private readonly ins: PositionalInsert
  private readonly upd: Statement
  private readonly byClient
  private readonly byIdQ

  constructor(private readonly db: Db) {
    this.ins = positionalInsert(db, o)
    this.upd = db.$client.prepare(
      `UPDATE orders SET status = ?, quantity = ?, triggered = ?, filled_quantity = ?, filled_notional = ?, arrival_price = ?,
         commission = ?, stop_loss = ?, reject_reason = ?, updated_at = ?, closed_at = ? WHERE id = ?`,
    )
    this.byClient = db
      .select()
      .from(o)
      .where(and(eq(o.accountId, sql.placeholder('accountId')), eq(o.clientOrderId, sql.placeholder('cid'))))
      .prepare()
    this.byIdQ = db.select().from(o).where(eq(o.id, sql.placeholder('id'))).prepare()
  }

  insert(row: OrderRow): number {
    return Number(this.ins.run(row).lastInsertRowid)
  }

  update(x: OrderRow): void {
    this.upd.run(
      x.status,
      x.quantity,
      x.triggered ? 1 : 0,
      x.filledQuantity,
      x.filledNotional,
      x.arrivalPrice,
      x.commission,
      x.stopLoss,
      x.rejectReason,
      x.updatedAt,
      x.closedAt,
      x.id,
    )
  }

  byId(id: string): OrderRow | undefined {
    return this.byIdQ.get({ id }) as OrderRow | undefined
  }

  byClientOrderId(accountId: string, cid: string): OrderRow | undefined {
    return this.byClient.get({ accountId, cid }) as OrderRow | undefined
  }

  active(): OrderRow[] {
    return this.db
      .select()
      .from(o)
      .where(inArray(o.status, [...ACTIVE_STATUSES]))
      .orderBy(o.seq)
      .all() as OrderRow[]
  }

  list(accountId: string, q: OrderFilter): Page<OrderRow> {
    const where = [eq(o.accountId, accountId)]
    if (q.symbol) where.push(eq(o.symbol, q.symbol))
    if (q.status === 'open') where.push(inArray(o.status, [...ACTIVE_STATUSES]))
    else if (q.status) where.push(eq(o.status, q.status))
    if (q.since !== undefined) where.push(gte(o.createdAt, q.since))
    if (q.until !== undefined) where.push(lte(o.createdAt, q.until))
    const cond = and(...where)
    const rows = this.db.select().from(o).where(cond).orderBy(desc(o.seq)).limit(q.limit).offset(q.offset).all() as OrderRow[]
    const total = this.db.select({ n: count() }).from(o).where(cond).get()?.n ?? 0
    return { rows, total }
  }
}
