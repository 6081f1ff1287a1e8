import type { Statement } from 'better-sqlite3'
import { and, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm'
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core'
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
  // The writes of every order: plain better-sqlite3 statements with positional parameters (no
  // drizzle query or placeholder mapping per run).
  private readonly updOrder: Statement
  private readonly updPosition: Statement
  private readonly updAccount: Statement
  private readonly insOrder: Insert
  private readonly insFill: Insert
  private readonly insPosition: Insert
  private readonly insSnapshot: Statement

  constructor(private readonly db: Db) {
    const client = db.$client
    this.insOrder = insertOf(client, o)
    this.insFill = insertOf(client, f)
    this.insPosition = insertOf(client, p)
    this.insSnapshot = client.prepare('INSERT INTO equity_snapshots (account_id, at, equity, balance) VALUES (?, ?, ?, ?)')
    this.byClient = db
      .select()
      .from(o)
      .where(and(eq(o.accountId, sql.placeholder('accountId')), eq(o.clientOrderId, sql.placeholder('cid'))))
      .prepare()
    this.byIdQ = db.select().from(o).where(eq(o.id, sql.placeholder('id'))).prepare()
    this.updOrder = client.prepare(
      `UPDATE orders SET status = ?, quantity = ?, triggered = ?, filled_quantity = ?, filled_notional = ?, arrival_price = ?,
         commission = ?, stop_loss = ?, reject_reason = ?, updated_at = ?, closed_at = ? WHERE id = ?`,
    )
    this.updPosition = client.prepare(
      `UPDATE positions SET status = ?, quantity = ?, cost_basis = ?, opened_quantity = ?, closed_quantity = ?, closed_cost = ?,
         exit_notional = ?, realized_pnl = ?, commission = ?, updated_at = ?, closed_at = ? WHERE id = ?`,
    )
    this.updAccount = client.prepare('UPDATE accounts SET balance = ?, realized_pnl = ?, commission = ?, updated_at = ? WHERE id = ?')
  }

  /** Insert a new order; returns its sequence number. */
  insertOrder(x: Order): number {
    return Number(this.insOrder.run(x).lastInsertRowid)
  }

  insertFill(x: Omit<Fill, 'seq'>): void {
    this.insFill.run(x)
  }

  /** Insert a new position; returns its sequence number. */
  insertPosition(x: Position): number {
    return Number(this.insPosition.run(x).lastInsertRowid)
  }

  insertSnapshot(accountId: string, at: number, equity: number, balance: number): void {
    this.insSnapshot.run(accountId, at, equity, balance)
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
    this.updOrder.run(
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

  updatePosition(x: Position): void {
    this.updPosition.run(
      x.status,
      x.quantity,
      x.costBasis,
      x.openedQuantity,
      x.closedQuantity,
      x.closedCost,
      x.exitNotional,
      x.realizedPnl,
      x.commission,
      x.updatedAt,
      x.closedAt,
      x.id,
    )
  }

  updateAccount(x: Account): void {
    this.updAccount.run(x.balance, x.realizedPnl, x.commission, x.updatedAt, x.id)
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

/** A prepared INSERT of every column but the autoincrement key, bound positionally from a row object. */
interface Insert {
  run(row: object): { lastInsertRowid: number | bigint }
}

function insertOf(client: Db['$client'], table: SQLiteTable): Insert {
  const columns = Object.entries(table as unknown as Record<string, unknown>).filter(
    (e): e is [string, { name: string; columnType: string; primary: boolean; autoIncrement?: boolean }] =>
      !!e[1] && typeof e[1] === 'object' && 'columnType' in (e[1] as object) && e[0] !== 'seq',
  )
  const stmt = client.prepare(`INSERT INTO ${getTableConfig(table).name} (${columns.map(([, c]) => c.name).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
  const keys = columns.map(([k]) => k)
  const n = keys.length
  return {
    run(row) {
      const r = row as Record<string, unknown>
      const values = new Array<unknown>(n)
      for (let i = 0; i < n; i++) {
        const v = r[keys[i]!]
        // Booleans as SQLite integers (the column mode drizzle would apply).
        values[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v
      }
      return stmt.run(values)
    },
  }
}
