import { and, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm'
import { tables, type Db } from '../store'
import { ACTIVE, type OrderStatus } from './order-state'
import type { Account, Fill, Order, Position } from './types'

const o = tables.orders
const p = tables.positions
const f = tables.fills
const a = tables.accounts

export interface OrderFilter {
  symbol?: string
  /** A status, or `open` for pending_new, new and partially_filled. */
  status?: OrderStatus | 'open'
  limit: number
  offset: number
}

export interface PositionFilter {
  symbol?: string
  status?: 'open' | 'closed'
  limit: number
  offset: number
}

export interface TradeFilter {
  symbol?: string
  since?: number
  until?: number
  /** Status of the fill's order. */
  status?: OrderStatus
  limit: number
  page: number
}

/** The execution ledger's reads and row updates (prepared once: they are on the order path). */
export class OrderQueries {
  private readonly byClient
  private readonly byIdQ
  private readonly updOrder
  private readonly updPosition
  private readonly updAccount
  private readonly insOrder
  private readonly insFill
  private readonly insPosition
  private readonly insSnapshot

  constructor(private readonly db: Db) {
    // Every column but the autoincrement key, bound by name.
    const ph = (cols: Record<string, true>): never => Object.fromEntries(Object.keys(cols).map((k) => [k, sql.placeholder(k)])) as never
    this.insOrder = db.insert(o).values(ph(pickColumns(o, ['seq']))).prepare()
    this.insFill = db.insert(f).values(ph(pickColumns(f, ['seq']))).prepare()
    this.insPosition = db.insert(p).values(ph(pickColumns(p, ['seq']))).prepare()
    this.insSnapshot = db.insert(tables.equitySnapshots).values(ph(pickColumns(tables.equitySnapshots, ['seq']))).prepare()
    this.byClient = db
      .select()
      .from(o)
      .where(and(eq(o.accountId, sql.placeholder('accountId')), eq(o.clientOrderId, sql.placeholder('cid'))))
      .prepare()
    this.byIdQ = db.select().from(o).where(eq(o.id, sql.placeholder('id'))).prepare()
    this.updOrder = db
      .update(o)
      .set({
        status: sql`${sql.placeholder('status')}`,
        quantity: sql`${sql.placeholder('quantity')}`,
        triggered: sql`${sql.placeholder('triggered')}`,
        filledQuantity: sql`${sql.placeholder('filledQuantity')}`,
        filledNotional: sql`${sql.placeholder('filledNotional')}`,
        commission: sql`${sql.placeholder('commission')}`,
        stopLoss: sql`${sql.placeholder('stopLoss')}`,
        rejectReason: sql`${sql.placeholder('rejectReason')}`,
        updatedAt: sql`${sql.placeholder('updatedAt')}`,
        closedAt: sql`${sql.placeholder('closedAt')}`,
      })
      .where(eq(o.id, sql.placeholder('id')))
      .prepare()
    this.updPosition = db
      .update(p)
      .set({
        status: sql`${sql.placeholder('status')}`,
        quantity: sql`${sql.placeholder('quantity')}`,
        costBasis: sql`${sql.placeholder('costBasis')}`,
        openedQuantity: sql`${sql.placeholder('openedQuantity')}`,
        closedQuantity: sql`${sql.placeholder('closedQuantity')}`,
        closedCost: sql`${sql.placeholder('closedCost')}`,
        exitNotional: sql`${sql.placeholder('exitNotional')}`,
        realizedPnl: sql`${sql.placeholder('realizedPnl')}`,
        commission: sql`${sql.placeholder('commission')}`,
        updatedAt: sql`${sql.placeholder('updatedAt')}`,
        closedAt: sql`${sql.placeholder('closedAt')}`,
      })
      .where(eq(p.id, sql.placeholder('id')))
      .prepare()
    this.updAccount = db
      .update(a)
      .set({
        balance: sql`${sql.placeholder('balance')}`,
        realizedPnl: sql`${sql.placeholder('realizedPnl')}`,
        commission: sql`${sql.placeholder('commission')}`,
        updatedAt: sql`${sql.placeholder('updatedAt')}`,
      })
      .where(eq(a.id, sql.placeholder('id')))
      .prepare()
  }

  /** Insert a new order; returns its sequence number. */
  insertOrder(x: Order): number {
    const { seq: _seq, ...values } = x
    return Number(this.insOrder.run(bind(values)).lastInsertRowid)
  }

  insertFill(x: Omit<Fill, 'seq'>): void {
    this.insFill.run(bind(x))
  }

  /** Insert a new position; returns its sequence number. */
  insertPosition(x: Position): number {
    const { seq: _seq, ...values } = x
    return Number(this.insPosition.run(bind(values)).lastInsertRowid)
  }

  insertSnapshot(accountId: string, at: number, equity: number, balance: number): void {
    this.insSnapshot.run({ accountId, at, equity, balance })
  }

  byClientOrderId(accountId: string, cid: string): Order | undefined {
    return this.byClient.get({ accountId, cid }) as Order | undefined
  }

  byId(id: string): Order | undefined {
    return this.byIdQ.get({ id }) as Order | undefined
  }

  activeOrders(): Order[] {
    return this.db
      .select()
      .from(o)
      .where(inArray(o.status, [...ACTIVE]))
      .orderBy(o.seq)
      .all() as Order[]
  }

  updateOrder(x: Order): void {
    this.updOrder.run({
      id: x.id,
      status: x.status,
      quantity: x.quantity,
      triggered: x.triggered ? 1 : 0,
      filledQuantity: x.filledQuantity,
      filledNotional: x.filledNotional,
      commission: x.commission,
      stopLoss: x.stopLoss,
      rejectReason: x.rejectReason,
      updatedAt: x.updatedAt,
      closedAt: x.closedAt,
    })
  }

  updatePosition(x: Position): void {
    this.updPosition.run({
      id: x.id,
      status: x.status,
      quantity: x.quantity,
      costBasis: x.costBasis,
      openedQuantity: x.openedQuantity,
      closedQuantity: x.closedQuantity,
      closedCost: x.closedCost,
      exitNotional: x.exitNotional,
      realizedPnl: x.realizedPnl,
      commission: x.commission,
      updatedAt: x.updatedAt,
      closedAt: x.closedAt,
    })
  }

  updateAccount(x: Account): void {
    this.updAccount.run({ id: x.id, balance: x.balance, realizedPnl: x.realizedPnl, commission: x.commission, updatedAt: x.updatedAt })
  }

  listOrders(accountId: string, q: OrderFilter): { rows: Order[]; total: number } {
    const where: SQL[] = [eq(o.accountId, accountId)]
    if (q.symbol) where.push(eq(o.symbol, q.symbol))
    if (q.status === 'open') where.push(inArray(o.status, [...ACTIVE]))
    else if (q.status) where.push(eq(o.status, q.status))
    const cond = and(...where)
    const rows = this.db.select().from(o).where(cond).orderBy(desc(o.seq)).limit(q.limit).offset(q.offset).all() as Order[]
    const total = this.db.select({ n: count() }).from(o).where(cond).get()?.n ?? 0
    return { rows, total }
  }

  listPositions(accountId: string, q: PositionFilter): { rows: Position[]; total: number } {
    const where: SQL[] = [eq(p.accountId, accountId)]
    if (q.symbol) where.push(eq(p.symbol, q.symbol))
    if (q.status) where.push(eq(p.status, q.status))
    const cond = and(...where)
    const rows = this.db.select().from(p).where(cond).orderBy(desc(p.seq)).limit(q.limit).offset(q.offset).all()
    const total = this.db.select({ n: count() }).from(p).where(cond).get()?.n ?? 0
    return { rows, total }
  }

  position(id: string): Position | undefined {
    return this.db.select().from(p).where(eq(p.id, id)).get()
  }

  trades(accountId: string, q: TradeFilter): { rows: Fill[]; total: number } {
    const where: SQL[] = [eq(f.accountId, accountId)]
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
}

/** Column keys of a table (its JS property names), without `omit`. */
function pickColumns(table: object, omit: string[]): Record<string, true> {
  const out: Record<string, true> = {}
  for (const [k, v] of Object.entries(table)) if (v && typeof v === 'object' && 'columnType' in v && !omit.includes(k)) out[k] = true
  return out
}

/** Placeholder values: booleans as SQLite integers (placeholders bypass drizzle's column mapping). */
function bind(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'boolean' ? (v ? 1 : 0) : v
  return out
}
