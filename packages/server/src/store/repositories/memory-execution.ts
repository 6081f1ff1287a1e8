import type { AccountRepository } from './accounts'
import type { ActivityRepository, FillAggregateRow } from './activity'
import type { ExecutionRepositories } from './execution'
import { ACTIVE_STATUSES, type AccountRow, type ClosedPositionFilter, type FillRow, type OrderFilter, type OrderRow, type Page, type PositionFilter, type PositionRow, type TradeFilter } from './execution-rows'
import type { FillRepository } from './fills'
import { accountRow, fillRow, orderRow, positionRow } from './memory-rows'
import type { OrderRepository } from './orders'
import type { PositionRepository } from './positions'

/**
 * The paper exchange's repositories in memory: what a backtest's sandbox trades on, so its core loop
 * never builds a query or opens a transaction for an order or a fill. Same interfaces and the same
 * answers as the SQLite repositories (rows with every column, nulls where SQLite has NULL, the same
 * orders and filters); rows are copied in and out, so a caller's object never aliases a stored row,
 * as with a database. Not transactional: the unit of work's rollback does not undo these writes (a
 * sandbox whose state change throws fails its run and is thrown away).
 */
export interface MemoryExecutionRepositories extends ExecutionRepositories {
  /** What the risk service's protections read about an account's fills (its own history). */
  activity: Pick<ActivityRepository, 'accountFillAggregatesSince'>
  /** An account's fills with a sequence number above `afterSeq`, oldest first (a binary search, not a scan). */
  fillsAfter(accountId: string, afterSeq: number): FillRow[]
  /**
   * Forget the account's equity marks (snapshots and the marks fills carry) older than the last one
   * at or before `cutoff`; the fills themselves stay. The last mark at or before `cutoff` (what the
   * paper engine reads as the day's starting equity) is then the first one: a long run's daily read
   * stops growing with it.
   */
  pruneMarks(accountId: string, cutoff: number): void
}

const page = <T>(rows: T[], limit: number, offset: number): Page<T> => ({ rows: rows.slice(offset, offset + limit), total: rows.length })
/** SQLite's order of a nullable integer column: NULL first. */
const nullsFirst = (x: number | null): number => (x === null ? Number.NEGATIVE_INFINITY : x)
/** A SQL comparison with NULL is never true. */
const atLeast = (x: number | null, bound: number | undefined): boolean => bound === undefined || (x !== null && x >= bound)
const atMost = (x: number | null, bound: number | undefined): boolean => bound === undefined || (x !== null && x <= bound)

class MemoryOrders implements OrderRepository {
  readonly rows: OrderRow[] = []
  private readonly ids = new Map<string, OrderRow>()

  insert(row: OrderRow): number {
    const seq = this.rows.length + 1
    const r = orderRow(row, seq)
    this.rows.push(r)
    this.ids.set(r.id, r)
    return seq
  }

  update(x: OrderRow): void {
    const r = this.ids.get(x.id)
    if (!r) return
    // The columns the SQLite repository's UPDATE writes, no others.
    r.status = x.status
    r.quantity = x.quantity
    r.triggered = x.triggered
    r.filledQuantity = x.filledQuantity
    r.filledNotional = x.filledNotional
    r.arrivalPrice = x.arrivalPrice
    r.commission = x.commission
    r.stopLoss = x.stopLoss
    r.rejectReason = x.rejectReason
    r.updatedAt = x.updatedAt
    r.closedAt = x.closedAt
  }

  byId(id: string): OrderRow | undefined {
    const r = this.ids.get(id)
    return r && { ...r }
  }

  byClientOrderId(accountId: string, cid: string): OrderRow | undefined {
    const r = this.rows.find((o) => o.accountId === accountId && o.clientOrderId === cid)
    return r && { ...r }
  }

  active(): OrderRow[] {
    return this.rows.filter((o) => ACTIVE_STATUSES.includes(o.status)).map((o) => ({ ...o }))
  }

  list(accountId: string, q: OrderFilter): Page<OrderRow> {
    const rows = this.rows.filter(
      (o) =>
        o.accountId === accountId &&
        (!q.symbol || o.symbol === q.symbol) &&
        (q.status === 'open' ? ACTIVE_STATUSES.includes(o.status) : !q.status || o.status === q.status) &&
        atLeast(o.createdAt, q.since) &&
        atMost(o.createdAt, q.until),
    )
    rows.reverse()
    return page(rows.map((o) => ({ ...o })), q.limit, q.offset)
  }
}

class MemoryFills implements FillRepository {
  /** Ascending by seq (seq = index + 1). */
  readonly rows: FillRow[] = []
  /** Per account: the marks equityMarks answers (fills with an equity), ascending; pruned by pruneMarks. */
  readonly marks = new Map<string, { at: number; equity: number }[]>()

  constructor(private readonly orders: MemoryOrders) {}

  insert(row: Omit<FillRow, 'seq'>): void {
    const r = fillRow(row, this.rows.length + 1)
    this.rows.push(r)
    if (r.equity !== null) {
      let m = this.marks.get(r.accountId)
      if (!m) this.marks.set(r.accountId, (m = []))
      m.push({ at: r.createdAt, equity: r.equity })
    }
  }

  after(accountId: string, afterSeq: number): FillRow[] {
    const out: FillRow[] = []
    for (let i = Math.max(0, afterSeq); i < this.rows.length; i++) if (this.rows[i]!.accountId === accountId) out.push({ ...this.rows[i]! })
    return out
  }

  list(accountId: string, q: TradeFilter): Page<FillRow> {
    const statusOf = q.status ? new Map(this.orders.rows.filter((o) => o.accountId === accountId).map((o) => [o.id, o.status])) : undefined
    const rows = this.rows.filter(
      (f) =>
        f.accountId === accountId &&
        (!q.symbol || f.symbol === q.symbol) &&
        atLeast(f.createdAt, q.since) &&
        atMost(f.createdAt, q.until) &&
        (!statusOf || statusOf.get(f.orderId) === q.status),
    )
    rows.reverse()
    return page(rows.map((f) => ({ ...f })), q.limit, (q.page - 1) * q.limit)
  }

  since(accountId: string, since: number, limit: number): FillRow[] {
    const out: FillRow[] = []
    for (const f of this.rows) {
      if (out.length >= limit) break
      if (f.accountId === accountId && f.createdAt >= since) out.push({ ...f })
    }
    return out
  }

  equityMarks(accountId: string, since?: number): { at: number; equity: number }[] {
    const m = this.marks.get(accountId) ?? []
    return m.filter((x) => since === undefined || x.at >= since).map((x) => ({ ...x }))
  }

  openingOrderId(accountId: string, positionId: string): string | undefined {
    return this.rows.find((f) => f.accountId === accountId && f.positionId === positionId)?.orderId
  }

  accountFillAggregatesSince(accountId: string, since: number): FillAggregateRow[] {
    const groups = new Map<string, FillAggregateRow & { ids: Set<string> }>()
    for (const f of this.rows) {
      if (f.accountId !== accountId || f.createdAt < since) continue
      const key = `${f.symbol}\u0000${f.liquidity}`
      let g = groups.get(key)
      if (!g) groups.set(key, (g = { symbol: f.symbol, liquidity: f.liquidity, fills: 0, orders: 0, notional: 0, commission: 0, realizedPnl: 0, ids: new Set() }))
      g.fills++
      g.ids.add(f.orderId)
      g.notional += f.notional
      g.commission += f.commission
      g.realizedPnl += f.realizedPnl
    }
    return [...groups.values()]
      .sort((a, b) => (a.symbol === b.symbol ? (a.liquidity < b.liquidity ? -1 : 1) : a.symbol < b.symbol ? -1 : 1))
      .map(({ ids, ...g }) => ({ ...g, orders: ids.size }))
  }
}

class MemoryPositions implements PositionRepository {
  readonly rows: PositionRow[] = []
  private readonly ids = new Map<string, PositionRow>()

  constructor(private readonly accounts: MemoryAccounts) {}

  insert(row: PositionRow): number {
    const seq = this.rows.length + 1
    const r = positionRow(row, seq)
    this.rows.push(r)
    this.ids.set(r.id, r)
    return seq
  }

  update(x: PositionRow): void {
    const r = this.ids.get(x.id)
    if (!r) return
    // The columns the SQLite repository's UPDATE writes, no others.
    r.status = x.status
    r.quantity = x.quantity
    r.costBasis = x.costBasis
    r.openedQuantity = x.openedQuantity
    r.closedQuantity = x.closedQuantity
    r.closedCost = x.closedCost
    r.exitNotional = x.exitNotional
    r.realizedPnl = x.realizedPnl
    r.commission = x.commission
    r.initialStopLoss = x.initialStopLoss
    r.exitReason = x.exitReason
    r.updatedAt = x.updatedAt
    r.closedAt = x.closedAt
  }

  byId(id: string): PositionRow | undefined {
    const r = this.ids.get(id)
    return r && { ...r }
  }

  list(accountId: string, q: PositionFilter): Page<PositionRow> {
    const rows = this.rows.filter((p) => p.accountId === accountId && (!q.symbol || p.symbol === q.symbol) && (!q.status || p.status === q.status))
    rows.reverse()
    return page(rows.map((p) => ({ ...p })), q.limit, q.offset)
  }

  open(accountId: string): PositionRow[] {
    // SQLite reads them through its (account, status, symbol) index: by symbol, then seq.
    return this.rows
      .filter((p) => p.accountId === accountId && p.status === 'open')
      .sort((a, b) => (a.symbol === b.symbol ? a.seq - b.seq : a.symbol < b.symbol ? -1 : 1))
      .map((p) => ({ ...p }))
  }

  accountsWithOpen(): string[] {
    return [...new Set(this.rows.filter((p) => p.status === 'open').map((p) => p.accountId))]
  }

  countOpen(): number {
    let n = 0
    for (const p of this.rows) if (p.status === 'open') n++
    return n
  }

  openWithOwners(): { userId: string; symbol: string; side: PositionRow['side']; quantity: number }[] {
    const out: { userId: string; symbol: string; side: PositionRow['side']; quantity: number }[] = []
    for (const p of this.rows) {
      const a = p.status === 'open' ? this.accounts.byId(p.accountId) : undefined
      if (a) out.push({ userId: a.userId, symbol: p.symbol, side: p.side, quantity: p.quantity })
    }
    return out
  }

  private closedOf(accountId: string, q: ClosedPositionFilter, extra: (p: PositionRow) => boolean): PositionRow[] {
    return this.rows.filter(
      (p) => p.accountId === accountId && p.status === 'closed' && (!q.symbol || p.symbol === q.symbol) && atLeast(p.closedAt, q.since) && atMost(p.closedAt, q.until) && extra(p),
    )
  }

  closed(accountId: string, q: ClosedPositionFilter): PositionRow[] {
    // Rows are in seq order and the sort is stable: by close time, then seq.
    return this.closedOf(accountId, q, () => true)
      .sort((a, b) => nullsFirst(a.closedAt) - nullsFirst(b.closedAt))
      .map((p) => ({ ...p }))
  }

  closedPage(accountId: string, q: ClosedPositionFilter & { limit: number; offset: number }): Page<PositionRow> {
    const rows = this.closedOf(accountId, q, (p) => p.closedQuantity > 0)
      .reverse()
      .sort((a, b) => nullsFirst(b.closedAt) - nullsFirst(a.closedAt))
    return page(rows.map((p) => ({ ...p })), q.limit, q.offset)
  }
}

class MemoryAccounts implements AccountRepository {
  private readonly rows = new Map<string, AccountRow>()
  private readonly byUser = new Map<string, AccountRow>()
  /** Per account, ascending by time then insertion (the snapshots' seq order). */
  readonly snaps = new Map<string, { at: number; equity: number }[]>()

  byUserId(userId: string): AccountRow | undefined {
    const r = this.byUser.get(userId)
    return r && { ...r }
  }

  byId(id: string): AccountRow | undefined {
    const r = this.rows.get(id)
    return r && { ...r }
  }

  insert(row: AccountRow): void {
    if (this.rows.has(row.id) || this.byUser.has(row.userId)) throw new Error(`account ${row.id} of ${row.userId} exists`)
    const r = accountRow(row)
    this.rows.set(r.id, r)
    this.byUser.set(r.userId, r)
  }

  updateTotals(x: AccountRow): void {
    const r = this.rows.get(x.id)
    if (!r) return
    r.balance = x.balance
    r.realizedPnl = x.realizedPnl
    r.commission = x.commission
    r.updatedAt = x.updatedAt
  }

  totalRealizedNet(): number {
    let n = 0
    for (const r of this.rows.values()) n += r.realizedPnl - r.commission
    return n
  }

  insertSnapshot(accountId: string, at: number, equity: number): void {
    let s = this.snaps.get(accountId)
    if (!s) this.snaps.set(accountId, (s = []))
    // Kept ordered by time (ties in insertion order), as the SQLite read orders them.
    let i = s.length
    while (i > 0 && s[i - 1]!.at > at) i--
    s.splice(i, 0, { at, equity })
  }

  snapshots(accountId: string, since?: number): { at: number; equity: number }[] {
    return (this.snaps.get(accountId) ?? []).filter((x) => since === undefined || x.at >= since).map((x) => ({ ...x }))
  }
}

/** Index of the last mark at or before `cutoff` in an ascending list, -1 when none. */
function lastAtOrBefore(marks: { at: number }[], cutoff: number): number {
  let last = -1
  for (let i = 0; i < marks.length && marks[i]!.at <= cutoff; i++) last = i
  return last
}

/**
 * Drop the marks (snapshots and fill marks, read merged by time with snapshots first among equal
 * times) before the last one at or before `cutoff`, which becomes the first.
 */
function pruneMarks(snaps: { at: number }[], fillMarks: { at: number }[], cutoff: number): void {
  const s = lastAtOrBefore(snaps, cutoff)
  const f = lastAtOrBefore(fillMarks, cutoff)
  if (s < 0 && f < 0) return
  // At an equal time the fill's mark is read after the snapshot: it is the later one.
  if (f >= 0 && (s < 0 || fillMarks[f]!.at >= snaps[s]!.at)) {
    snaps.splice(0, s + 1)
    fillMarks.splice(0, f)
  } else {
    snaps.splice(0, s)
    fillMarks.splice(0, f + 1)
  }
}

/** A fresh, empty in-memory repository set (see {@link MemoryExecutionRepositories}). */
export function memoryExecutionRepositories(): MemoryExecutionRepositories {
  const accountsRepo = new MemoryAccounts()
  const ordersRepo = new MemoryOrders()
  const fillsRepo = new MemoryFills(ordersRepo)
  return {
    orders: ordersRepo,
    fills: fillsRepo,
    positions: new MemoryPositions(accountsRepo),
    accounts: accountsRepo,
    activity: { accountFillAggregatesSince: (accountId, since) => fillsRepo.accountFillAggregatesSince(accountId, since) },
    fillsAfter: (accountId, afterSeq) => fillsRepo.after(accountId, afterSeq),
    pruneMarks(accountId, cutoff) {
      pruneMarks(accountsRepo.snaps.get(accountId) ?? [], fillsRepo.marks.get(accountId) ?? [], cutoff)
    },
  }
}
