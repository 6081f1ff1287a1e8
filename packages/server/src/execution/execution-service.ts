import { and, eq, sql } from 'drizzle-orm'
import { randomBytes } from 'node:crypto'
import type { Clock, DomainEvent, EventBus } from '../core'
import { MAX_BOOK_DEPTH, type Instrument, type MarketData, type Ticker } from '../market'
import type { Portfolio, RiskEventRow, RiskService } from '../risk'
import type { SettingsService } from '../settings'
import { tables, unitOfWork, type Db, type UnitOfWork } from '../store'
import { equityHistory, equityMarks, listRoundTrips, type EquityPoint, type RoundTrip, type RoundTripQuery } from './history'
import { bookExecution } from './ledger'
import { liquidity, stopTriggered, toLevels, walkBook, type Level } from './matching'
import { feeAtoms, fromAtoms, fromUnits, notionalAtoms, safe, scalesOf, toAtoms, type Scales } from './money'
import { ACTIVE, transition, type OrderStatus } from './order-state'
import { OrderQueries } from './queries'
import { deny, type Account, type Denial, type Fill, type Order, type OrderRequest, type Position, type PositionSide, type Side, type SubmitResult } from './types'
import { isDenial, validateOrder, type ValidOrder } from './validation'
import { orderEvent, positionEvent } from './views'

export interface ExecutionOptions {
  db: Db
  clock: Clock
  market: MarketData
  events: EventBus
  settings: SettingsService
  risk: RiskService
  /** Initial balance of a new paper account (quote currency). */
  initialBalance: number
  /** Fees in basis points of each fill's value. */
  takerFeeBps?: number
  makerFeeBps?: number
  currency?: string
}

/** An account and its open positions, held in memory between requests (the store is the truth). */
export interface AccountState {
  account: Account
  /** Open positions by symbol. */
  positions: Map<string, Position>
  peakEquity: number
  /** Largest peak-to-trough fall of the equity marks so far (fraction of the peak). */
  maxDrawdown: number
  day: number
  dayStartEquity: number
  /** Clock time of the latest equity snapshot. */
  lastMarkAt: number
}

/** Everything one state change touched: written in one transaction, published after commit. */
class Work {
  readonly events: DomainEvent[] = []
  readonly risk: RiskEventRow[] = []
  readonly newOrders: Order[] = []
  readonly dirtyOrders = new Set<Order>()
  readonly accounts = new Set<AccountState>()
  readonly filled = new Set<AccountState>()
  /** Fill rows, written at flush so the last one of each account can carry its equity mark. */
  readonly fills: { st: AccountState; row: Omit<Fill, 'seq'> }[] = []
  readonly positions = new Map<string, { st: AccountState; pos: Position }>()
  /** Executed quantities (symbol, side, base units): taken from the market's book after commit. */
  readonly taken: [symbol: string, side: Side, quantity: number][] = []
  constructor(readonly now: number) {}
}

/**
 * Ids: a random per-process prefix and a counter, so they are unique across restarts without a
 * random draw per id (the order path creates several).
 */
const ID_PREFIX = randomBytes(6).toString('base64url')
let idCounter = 0
const newId = (kind: string): string => `${kind}_${ID_PREFIX}${(++idCounter).toString(36)}`

const DAY_MS = 86_400_000
const MARK_INTERVAL_MS = 60_000
const opposite = (s: Side): Side => (s === 'buy' ? 'sell' : 'buy')
const signed = (pos: Position | undefined): number => (!pos ? 0 : pos.side === 'long' ? pos.quantity : -pos.quantity)

/**
 * The paper exchange: accounts (one per user), orders through one transition table, matching
 * against the simulated book, fills with fees, netted positions and an integer ledger. Every state
 * change is one SQLite transaction; domain events are published after it commits.
 */
export class ExecutionService {
  private readonly byUser = new Map<string, AccountState>()
  private readonly byId = new Map<string, AccountState>()
  /** Open orders (pending_new, new, partially_filled) by id, and resting ones per symbol by seq. */
  private readonly active = new Map<string, Order>()
  private readonly resting = new Map<string, Order[]>()
  private readonly marks = new Map<string, number>()
  private readonly takerPpm: number
  private readonly makerPpm: number
  private readonly q: OrderQueries
  private readonly uow: UnitOfWork
  private nextMarkSweep = 0
  private nextExpiry = Infinity
  private readonly unsubscribe: () => void

  constructor(private readonly o: ExecutionOptions) {
    this.takerPpm = Math.round((o.takerFeeBps ?? 10) * 100)
    this.makerPpm = Math.round((o.makerFeeBps ?? 2) * 100)
    this.q = new OrderQueries(o.db)
    this.uow = unitOfWork(o.db)
    this.loadActive()
    // Accounts with open positions are marked every minute even before anyone calls the API.
    for (const r of o.db.selectDistinct({ accountId: tables.positions.accountId }).from(tables.positions).where(eq(tables.positions.status, 'open')).all())
      this.stateById(r.accountId)
    this.unsubscribe = o.market.onTick((t) => this.onTick(t))
  }

  /** Stop reacting to market ticks. */
  close(): void {
    this.unsubscribe()
  }

  // ---- accounts -----------------------------------------------------------------------------

  /** Realized PnL net of commissions over every paper account (quote currency), from the ledger. */
  totalRealizedPnl(): number {
    const a = tables.accounts
    const row = this.o.db
      .select({ atoms: sql<number>`coalesce(sum(${a.realizedPnl} - ${a.commission}), 0)` })
      .from(a)
      .get()
    return fromAtoms(row?.atoms ?? 0)
  }

  /** The paper account id of a user, created (with the initial balance) on first use. */
  accountIdOf(userId: string): string {
    return this.state(userId).account.id
  }

  /** The account state of a user, created on first use. */
  state(userId: string): AccountState {
    const cached = this.byUser.get(userId)
    if (cached) return cached
    const { db, clock } = this.o
    let row = db.select().from(tables.accounts).where(eq(tables.accounts.userId, userId)).get()
    if (!row) {
      const now = clock.now()
      const balance = toAtoms(this.o.initialBalance)
      const created: Account = {
        id: newId('acc'),
        userId,
        currency: this.o.currency ?? 'USDT',
        initialBalance: balance,
        balance,
        realizedPnl: 0,
        commission: 0,
        createdAt: now,
        updatedAt: now,
      }
      const paused = this.uow.run(() => {
        db.insert(tables.accounts).values(created).run()
        db.insert(tables.equitySnapshots).values({ accountId: created.id, at: now, equity: balance, balance }).run()
        return this.o.risk.accountOpened(created.id)
      })
      if (paused) this.o.risk.publish(paused, userId)
      row = created
    }
    return this.load(row)
  }

  private stateById(accountId: string): AccountState | undefined {
    const cached = this.byId.get(accountId)
    if (cached) return cached
    const row = this.o.db.select().from(tables.accounts).where(eq(tables.accounts.id, accountId)).get()
    return row ? this.load(row) : undefined
  }

  private load(account: Account): AccountState {
    const { db } = this.o
    const positions = new Map<string, Position>()
    for (const p of db
      .select()
      .from(tables.positions)
      .where(and(eq(tables.positions.accountId, account.id), eq(tables.positions.status, 'open')))
      .all())
      positions.set(p.symbol, p)
    const st: AccountState = {
      account,
      positions,
      peakEquity: account.balance,
      maxDrawdown: 0,
      day: -1,
      dayStartEquity: account.balance,
      lastMarkAt: account.createdAt,
    }
    // Peak and worst drawdown so far, kept up to date from here on as marks are written.
    let first = true
    for (const m of equityMarks(db, account.id)) {
      if (first) st.peakEquity = m.equity
      first = false
      this.noteMark(st, m.equity)
      st.lastMarkAt = m.at
    }
    this.byUser.set(account.userId, st)
    this.byId.set(account.id, st)
    return st
  }

  /** Track the peak and the worst drawdown through an equity mark. */
  private noteMark(st: AccountState, equity: number): void {
    if (equity > st.peakEquity) st.peakEquity = equity
    else if (st.peakEquity > 0) st.maxDrawdown = Math.max(st.maxDrawdown, (st.peakEquity - equity) / st.peakEquity)
  }

  /** Largest drawdown of the equity marks and the current equity (fraction of the peak). */
  worstDrawdown(st: AccountState, p: Portfolio): number {
    const current = p.peakEquity > 0 ? Math.max(0, (p.peakEquity - p.equity) / p.peakEquity) : 0
    return Math.max(st.maxDrawdown, current)
  }

  /** Forget cached state (after a failed transaction): the next use reloads it from the store. */
  private evict(st: AccountState): void {
    this.byUser.delete(st.account.userId)
    this.byId.delete(st.account.id)
  }

  // ---- marks and portfolio ------------------------------------------------------------------

  /** Last price of a symbol (kept current by market ticks). */
  mark(symbol: string): number {
    let m = this.marks.get(symbol)
    if (m === undefined) {
      m = this.o.market.ticker(symbol).price
      this.marks.set(symbol, m)
    }
    return m
  }

  /** The account marked to the last prices: what risk checks and metrics read. */
  portfolio(st: AccountState, now = this.o.clock.now()): Portfolio {
    let unrealized = 0
    let exposure = 0
    const positions: Portfolio['positions'] = []
    for (const pos of st.positions.values()) {
      const inst = this.o.market.instrument(pos.symbol)
      if (!inst) continue
      const s = scalesOf(inst)
      const value = Number(notionalAtoms(s, Math.round(this.mark(pos.symbol) * s.priceScale), pos.quantity))
      const u = pos.side === 'long' ? value - pos.costBasis : pos.costBasis - value
      unrealized += u
      exposure += value
      positions.push({ symbol: pos.symbol, side: pos.side, lots: pos.quantity, qtyScale: s.qtyScale, value, unrealized: u })
    }
    const equity = st.account.balance + unrealized
    if (equity > st.peakEquity) st.peakEquity = equity
    return {
      accountId: st.account.id,
      userId: st.account.userId,
      now,
      balance: st.account.balance,
      equity,
      exposure,
      positions,
      peakEquity: st.peakEquity,
      dayStartEquity: this.dayStart(st, now),
    }
  }

  private dayStart(st: AccountState, now: number): number {
    const day = Math.floor(now / DAY_MS)
    if (st.day === day) return st.dayStartEquity
    // The last mark at or before 00:00 UTC, else the first one (an account opened today).
    const marks = equityMarks(this.o.db, st.account.id)
    let start = marks[0]?.equity ?? st.account.initialBalance
    for (const m of marks) {
      if (m.at > day * DAY_MS) break
      start = m.equity
    }
    st.day = day
    st.dayStartEquity = start
    return start
  }

  // ---- submit -------------------------------------------------------------------------------

  /**
   * Submit an order for a user. Returns the order once its state (order, fills, position, balance)
   * has committed, the original order for a repeated client_order_id, or a denial (validation or
   * pre-trade risk) with a stable code; nothing is booked for a denial.
   */
  submit(userId: string, req: OrderRequest): SubmitResult {
    const { market, settings, clock } = this.o
    const st = this.state(userId)
    if (req.clientOrderId) {
      const existing = this.q.byClientOrderId(st.account.id, req.clientOrderId)
      if (existing) return { ok: true, order: this.active.get(existing.id) ?? existing, created: false }
    }
    const symbol = req.symbol.toUpperCase()
    const inst = market.instrument(symbol)
    if (!inst || !settings.isSymbolEnabled(symbol))
      return deny('INVALID_SYMBOL', `Unknown trading symbol "${req.symbol}"`, {
        symbol: req.symbol,
        available: settings.get()['exchanges.simulated.symbols'],
      })
    const now = clock.now()
    this.expireDue(now)
    const v = validateOrder({ ...req, symbol }, inst, this.mark(symbol))
    if (isDenial(v)) return { ok: false, denial: v }

    // What would fill right now (FOK and triggered stops included), for the checks and the booking.
    const triggered = v.stopPrice === null || stopTriggered(v.side, v.stopPrice, Math.round(this.mark(symbol) * v.s.priceScale))
    const limit = v.type === 'market' || v.type === 'stop' ? null : v.price
    let levels: Level[] = []
    let fills: Level[] = []
    if (triggered) {
      levels = this.levels(symbol, inst, v.side, v.qty, limit)
      fills = v.timeInForce === 'FOK' && liquidity(levels, v.side, limit) < v.qty ? [] : walkBook(levels, v.qty, v.side, limit)
    }
    const denial = this.check(st, v.s, symbol, v.side, v.qty, fills, (limit ?? v.stopPrice ?? Math.round(this.mark(symbol) * v.s.priceScale)), now)
    if (denial) {
      this.recordDenial(st, denial, symbol)
      return { ok: false, denial }
    }
    const order = this.run(now, (w) => {
      const o = this.newOrder(w, st, v, now)
      this.setStatus(w, st, o, 'new')
      if (triggered) {
        if (v.stopPrice !== null) o.triggered = true
        this.executeNow(w, st, o, inst, fills, limit)
      } else this.rest(o)
      return o
    })
    return { ok: true, order, created: true }
  }

  /** Pre-trade risk for `qty` lots of `side`: immediate fills valued at their prices, the rest at `price` ticks. */
  private check(st: AccountState, s: Scales, symbol: string, side: Side, qty: number, fills: Level[], price: number, now: number): Denial | undefined {
    const cur = signed(st.positions.get(symbol))
    const resulting = cur + (side === 'buy' ? qty : -qty)
    const increases = Math.abs(resulting) > Math.abs(cur) || resulting * cur < 0
    let notional = 0n
    let filled = 0
    for (const f of fills) {
      notional += notionalAtoms(s, f.price, f.qty)
      filled += f.qty
    }
    if (qty > filled) notional += notionalAtoms(s, price, qty - filled)
    const added = resulting * cur < 0 || cur === 0 ? Math.abs(resulting) : Math.max(0, Math.abs(resulting) - Math.abs(cur))
    const required = safe(notional * BigInt(added) / BigInt(qty) + feeAtoms(notional, this.takerPpm))
    return this.o.risk.preTrade(this.portfolio(st, now), {
      symbol,
      side,
      qtyScale: s.qtyScale,
      currentLots: cur,
      resultingLots: resulting,
      increasesExposure: increases,
      requiredMargin: required,
    })
  }

  private recordDenial(st: AccountState, denial: Denial, symbol: string): void {
    this.run(this.o.clock.now(), (w) => {
      w.risk.push(this.o.risk.recordDenial(st.account.id, denial, symbol))
    })
  }

  /** Book levels on the side an order takes from, deep enough for `qty` within `limit` when possible. */
  private levels(symbol: string, inst: Instrument, side: Side, qty: number, limit: number | null): Level[] {
    const s = scalesOf(inst)
    const pick = (depth: number): Level[] => {
      const book = this.o.market.orderBook(symbol, depth)
      return toLevels(side === 'buy' ? book.asks : book.bids, s)
    }
    const shallow = pick(20)
    const last = shallow.at(-1)
    if (liquidity(shallow, side, limit) >= qty || (last && limit !== null && !(side === 'buy' ? last.price <= limit : last.price >= limit)))
      return shallow
    return pick(MAX_BOOK_DEPTH)
  }

  /** Run a state change in one transaction; publish its events after commit. */
  private run<T>(now: number, fn: (w: Work) => T): T {
    const w = new Work(now)
    const result = this.uow.run(() => {
      // On rollback, drop the in-memory state the work touched: it is reloaded from the store.
      this.uow.onRollback(() => {
        for (const st of w.accounts) this.evict(st)
        this.loadActive()
      })
      const r = fn(w)
      this.flush(w)
      return r
    })
    // Executions consume the book's liquidity until it refills at the next tick.
    for (const [symbol, side, quantity] of w.taken) this.o.market.take(symbol, side, quantity)
    // Published after the commit above. A listener that persists what it receives batches its own
    // writes (the WebSocket replay journal); a listener's failure is contained by the EventBus.
    for (const e of w.events) this.o.events.publish(e)
    for (const r of w.risk) this.o.risk.publish(r, this.byId.get(r.accountId)?.account.userId)
    return result
  }

  private flush(w: Work): void {
    for (const o of w.newOrders) {
      o.seq = this.q.insertOrder(o)
      w.dirtyOrders.delete(o)
    }
    for (const o of w.dirtyOrders) this.q.updateOrder(o)
    for (const { st, pos } of w.positions.values()) {
      if (pos.seq === 0) pos.seq = this.q.insertPosition(pos)
      else this.q.updatePosition(pos)
      w.events.push(positionEvent(st, pos, this.o.market, (s) => this.mark(s), w.now))
    }
    const lastFill = new Map<AccountState, Omit<Fill, 'seq'>>()
    for (const f of w.fills) lastFill.set(f.st, f.row)
    for (const st of w.accounts) {
      const a = st.account
      if (w.filled.has(st)) {
        a.updatedAt = w.now
        this.q.updateAccount(a)
      }
      const p = this.portfolio(st, w.now)
      const last = lastFill.get(st)
      if (last) {
        last.equity = p.equity
        this.noteMark(st, p.equity)
        st.lastMarkAt = w.now
      }
      w.risk.push(...this.o.risk.evaluate(p))
    }
    for (const f of w.fills) this.q.insertFill(f.row)
  }

  // ---- orders -------------------------------------------------------------------------------

  private newOrder(w: Work, st: AccountState, v: ValidOrder, now: number, link?: { parent: Order; type: 'stop_loss' | 'take_profit' }): Order {
    const o: Order = {
      seq: 0,
      id: newId('ord'),
      accountId: st.account.id,
      clientOrderId: v.clientOrderId,
      symbol: v.symbol,
      side: v.side,
      type: v.type,
      timeInForce: v.timeInForce,
      status: 'pending_new',
      quantity: v.qty,
      price: v.price,
      stopPrice: v.stopPrice,
      triggered: false,
      filledQuantity: 0,
      filledNotional: 0,
      arrivalPrice: null,
      commission: 0,
      stopLoss: v.stopLoss,
      takeProfit: v.takeProfit,
      parentOrderId: link?.parent.id ?? null,
      linkType: link?.type ?? null,
      reduceOnly: link !== undefined,
      rejectReason: null,
      expiresAt: v.timeInForce === 'DAY' ? (Math.floor(now / DAY_MS) + 1) * DAY_MS : null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    }
    w.newOrders.push(o)
    w.accounts.add(st)
    this.active.set(o.id, o)
    if (o.expiresAt !== null) this.nextExpiry = Math.min(this.nextExpiry, o.expiresAt)
    return o
  }

  /** The one place an order changes status: checked against the transition table, then announced. */
  private setStatus(w: Work, st: AccountState, o: Order, to: OrderStatus, reason?: string, fillPrice?: number): void {
    o.status = transition(o.id, o.status, to)
    o.updatedAt = w.now
    if (reason !== undefined) o.rejectReason = reason
    if (!ACTIVE.has(to)) {
      o.closedAt = w.now
      this.active.delete(o.id)
      this.unrest(o)
    }
    w.dirtyOrders.add(o)
    w.accounts.add(st)
    w.events.push(orderEvent(st, o, this.o.market, w.now, fillPrice))
  }

  private rest(o: Order): void {
    let list = this.resting.get(o.symbol)
    if (!list) this.resting.set(o.symbol, (list = []))
    if (!list.includes(o)) list.push(o)
  }

  private unrest(o: Order): void {
    const list = this.resting.get(o.symbol)
    if (!list) return
    const i = list.indexOf(o)
    if (i >= 0) list.splice(i, 1)
  }

  private loadActive(): void {
    this.active.clear()
    this.resting.clear()
    this.nextExpiry = Infinity
    for (const o of this.q.activeOrders()) {
      this.active.set(o.id, o)
      this.rest(o)
      if (o.expiresAt !== null) this.nextExpiry = Math.min(this.nextExpiry, o.expiresAt)
    }
  }

  /** Fill what can fill now (taker), then rest, expire or keep the remainder per time in force. */
  private executeNow(w: Work, st: AccountState, o: Order, inst: Instrument, fills: Level[], limit: number | null): void {
    if (o.timeInForce === 'FOK' && fills.reduce((n, f) => n + f.qty, 0) < o.quantity) {
      this.setStatus(w, st, o, 'expired', 'FOK: the book cannot fill the whole quantity now')
      return
    }
    // The touch it meets first is the reference of its slippage.
    if (o.arrivalPrice === null && fills.length > 0) o.arrivalPrice = fills[0]!.price
    for (const f of fills) if (o.status !== 'filled' && ACTIVE.has(o.status)) this.fill(w, st, o, inst, f.price, f.qty, 'taker')
    if (!ACTIVE.has(o.status)) return
    const isMarket = limit === null
    if (isMarket) this.setStatus(w, st, o, 'expired', 'market order: the book could not fill the remaining quantity')
    else if (o.timeInForce === 'IOC') this.setStatus(w, st, o, 'expired', 'IOC: remaining quantity expired')
    else this.rest(o)
  }

  /** Book one execution of `qty` lots at `price` ticks: order, fill row, position, balance. */
  private fill(w: Work, st: AccountState, o: Order, inst: Instrument, price: number, qty: number, liquidityFlag: 'maker' | 'taker'): void {
    const s = scalesOf(inst)
    let pos = st.positions.get(o.symbol)
    if (o.reduceOnly) {
      // Exits never open or reverse a position: capped to what is open on the other side.
      const closable = pos && (pos.side === 'long') === (o.side === 'sell') ? pos.quantity : 0
      qty = Math.min(qty, closable)
      if (qty <= 0) {
        this.setStatus(w, st, o, 'cancelled', 'reduce-only: no position left to reduce')
        return
      }
    }
    const notional = notionalAtoms(s, price, qty)
    const commission = feeAtoms(notional, liquidityFlag === 'maker' ? this.makerPpm : this.takerPpm)
    w.taken.push([o.symbol, o.side, qty / s.qtyScale])
    const booking = bookExecution(pos, { side: o.side, qty, notional, commission }, (side, lots, cost, fee) => this.newPosition(st, o.symbol, side, lots, cost, fee, w.now), w.now)
    const a = st.account
    a.balance = safe(BigInt(a.balance) + booking.realized - commission)
    a.realizedPnl = safe(BigInt(a.realizedPnl) + booking.realized)
    a.commission = safe(BigInt(a.commission) + commission)
    w.filled.add(st)
    w.accounts.add(st)
    if (booking.closed) {
      st.positions.delete(o.symbol)
      w.positions.set(booking.closed.id, { st, pos: booking.closed })
    }
    if (booking.open) {
      st.positions.set(o.symbol, booking.open)
      w.positions.set(booking.open.id, { st, pos: booking.open })
    }
    pos = booking.open ?? booking.closed!
    w.fills.push({
      st,
      row: {
        id: newId('trade'),
        orderId: o.id,
        accountId: a.id,
        positionId: booking.closed && booking.closingQty === qty ? booking.closed.id : pos.id,
        symbol: o.symbol,
        side: o.side,
        quantity: qty,
        price,
        notional: safe(notional),
        commission: safe(commission),
        liquidity: liquidityFlag,
        realizedPnl: safe(booking.realized),
        equity: null,
        createdAt: w.now,
      },
    })
    o.filledQuantity += qty
    o.filledNotional = safe(BigInt(o.filledNotional) + notional)
    o.commission = safe(BigInt(o.commission) + commission)
    this.setStatus(w, st, o, o.filledQuantity >= o.quantity ? 'filled' : 'partially_filled', undefined, price)
    if (booking.closed) this.cancelExits(w, st, o.symbol)
    if (o.parentOrderId !== null) this.onExitFill(w, st, o, qty)
    else if (!o.reduceOnly && qty > booking.closingQty) this.syncExits(w, st, o, inst, qty - booking.closingQty)
  }

  private newPosition(st: AccountState, symbol: string, side: PositionSide, qty: number, cost: bigint, commission: bigint, now: number): Position {
    return {
      seq: 0,
      id: newId('pos'),
      accountId: st.account.id,
      symbol,
      side,
      status: 'open',
      quantity: qty,
      costBasis: safe(cost),
      openedQuantity: qty,
      closedQuantity: 0,
      closedCost: 0,
      exitNotional: 0,
      realizedPnl: 0,
      commission: safe(commission),
      openedAt: now,
      updatedAt: now,
      closedAt: null,
    }
  }

  /**
   * Linked exits of an entry for the `qty` lots a fill opened: created with the first such fill,
   * grown by later ones (a new pair if the previous one already finished).
   */
  private syncExits(w: Work, st: AccountState, entry: Order, inst: Instrument, qty: number): void {
    const s = scalesOf(inst)
    if (entry.stopLoss === null) {
      const pct = this.o.risk.limits(st.account.id).stopLossPercent
      if (pct !== null && !entry.reduceOnly && entry.filledQuantity === qty) {
        // Default protective stop: pct away from the first fill, rounded away from the price.
        const avg = entry.filledNotional / entry.filledQuantity / 10 ** (8 - s.pricePrecision - s.quantityPrecision)
        const raw = entry.side === 'buy' ? avg * (1 - pct / 100) : avg * (1 + pct / 100)
        const ticks = Math.round(inst.tickSize * s.priceScale)
        entry.stopLoss = (entry.side === 'buy' ? Math.floor(raw / ticks) : Math.ceil(raw / ticks)) * ticks
        w.dirtyOrders.add(entry)
      }
    }
    if (entry.stopLoss === null && entry.takeProfit === null) return
    const children = [...this.active.values()].filter((c) => c.parentOrderId === entry.id)
    for (const type of ['stop_loss', 'take_profit'] as const) {
      const price = type === 'stop_loss' ? entry.stopLoss : entry.takeProfit
      if (price === null) continue
      const child = children.find((c) => c.linkType === type)
      if (child) {
        child.quantity += qty
        child.updatedAt = w.now
        w.dirtyOrders.add(child)
        continue
      }
      const exit = this.newOrder(
        w,
        st,
        {
          inst,
          s,
          symbol: entry.symbol,
          side: opposite(entry.side),
          type: type === 'stop_loss' ? 'stop' : 'limit',
          timeInForce: 'GTC',
          qty,
          price: type === 'take_profit' ? price : null,
          stopPrice: type === 'stop_loss' ? price : null,
          stopLoss: null,
          takeProfit: null,
          clientOrderId: null,
        },
        w.now,
        { parent: entry, type },
      )
      this.setStatus(w, st, exit, 'new')
      this.rest(exit)
    }
  }

  /** One-cancels-the-other: a fill of one linked exit shrinks its sibling by as much. */
  private onExitFill(w: Work, st: AccountState, exit: Order, qty: number): void {
    for (const sibling of [...this.active.values()]) {
      if (sibling.parentOrderId !== exit.parentOrderId || sibling.id === exit.id) continue
      sibling.quantity = Math.max(sibling.filledQuantity, sibling.quantity - qty)
      sibling.updatedAt = w.now
      w.dirtyOrders.add(sibling)
      if (sibling.quantity <= sibling.filledQuantity) this.setStatus(w, st, sibling, 'cancelled', `one-cancels-the-other: ${exit.linkType} ${exit.id} filled`)
    }
  }

  /** A closed position takes its linked exits with it. */
  private cancelExits(w: Work, st: AccountState, symbol: string): void {
    for (const o of [...this.active.values()])
      if (o.accountId === st.account.id && o.symbol === symbol && o.reduceOnly)
        this.setStatus(w, st, o, 'cancelled', 'position closed')
  }

  // ---- cancel and expiry --------------------------------------------------------------------

  /** Cancel an open order of the user: ORDER_NOT_FOUND or ORDER_NOT_CANCELLABLE otherwise. */
  cancel(userId: string, orderId: string): { ok: true; order: Order } | { ok: false; denial: Denial } {
    const st = this.state(userId)
    const live = this.active.get(orderId)
    const order = live ?? this.q.byId(orderId)
    if (!order || order.accountId !== st.account.id)
      return deny('ORDER_NOT_FOUND', `Order ${orderId} not found`, { order_id: orderId })
    if (!live) return deny('ORDER_NOT_CANCELLABLE', `Order ${orderId} is ${order.status}`, { order_id: orderId, status: order.status })
    const now = this.o.clock.now()
    this.run(now, (w) => this.setStatus(w, st, live, 'cancelled', 'cancelled by the trader'))
    return { ok: true, order: live }
  }

  /**
   * Cancel every open order of an account, or of every account when `accountId` is undefined (an
   * administrator's pause), in one transaction. Returns how many were cancelled.
   */
  cancelOpenOrders(accountId: string | undefined, reason: string): number {
    const due = [...this.active.values()].filter((o) => accountId === undefined || o.accountId === accountId)
    if (due.length === 0) return 0
    let cancelled = 0
    this.run(this.o.clock.now(), (w) => {
      for (const o of due) {
        const st = this.stateById(o.accountId)
        // Cancelling an entry also cancels its linked exits: they may already be gone.
        if (!st || !ACTIVE.has(o.status)) continue
        this.setStatus(w, st, o, 'cancelled', reason)
        cancelled++
      }
    })
    return cancelled
  }

  /** Open positions over every account. */
  openPositionCount(): number {
    const p = tables.positions
    return this.o.db.select({ n: sql<number>`count(*)` }).from(p).where(eq(p.status, 'open')).get()?.n ?? 0
  }

  /**
   * Close every open position of every account with market orders (an emergency stop). Each close
   * is an ordinary order (its own transaction, fills against the book, fees); what the book cannot
   * absorb at once stays open. Returns the positions closed and those left (partly) open.
   */
  flattenAll(): { closed: number; open: number } {
    const { positions: p, accounts: a } = tables
    const rows = this.o.db
      .select({ userId: a.userId, symbol: p.symbol, side: p.side, quantity: p.quantity })
      .from(p)
      .innerJoin(a, eq(a.id, p.accountId))
      .where(eq(p.status, 'open'))
      .all()
    let closed = 0
    for (const r of rows) {
      const inst = this.o.market.instrument(r.symbol)
      if (!inst) continue
      const side: Side = r.side === 'long' ? 'sell' : 'buy'
      const res = this.submit(r.userId, { symbol: r.symbol, side, type: 'market', quantity: fromUnits(r.quantity, scalesOf(inst).qtyScale) })
      if (res.ok && res.order.status === 'filled') closed++
    }
    return { closed, open: this.openPositionCount() }
  }

  /** Expire DAY orders whose session ended. */
  private expireDue(now: number): void {
    if (now < this.nextExpiry) return
    const due = [...this.active.values()].filter((o) => o.expiresAt !== null && o.expiresAt <= now)
    this.nextExpiry = Math.min(Infinity, ...[...this.active.values()].filter((o) => o.expiresAt !== null && o.expiresAt > now).map((o) => o.expiresAt!))
    if (due.length === 0) return
    this.run(now, (w) => {
      for (const o of due) {
        const st = this.stateById(o.accountId)
        if (st && ACTIVE.has(o.status)) this.setStatus(w, st, o, 'expired', 'DAY order: session ended')
      }
    })
  }

  // ---- market ticks -------------------------------------------------------------------------

  /**
   * A price change: trigger stops on the last price, fill resting limits the touch crossed (maker,
   * at the limit price, up to the liquidity at or better than it), in submission order, consuming
   * the book as they go; then, at most once a minute, mark accounts with open positions.
   */
  private onTick(t: Ticker): void {
    this.marks.set(t.symbol, t.price)
    const now = this.o.clock.now()
    this.expireDue(now)
    const list = this.resting.get(t.symbol)
    if (list && list.length > 0) this.matchResting(t, list, now)
    if (now >= this.nextMarkSweep) this.markAccounts(now)
  }

  private matchResting(t: Ticker, list: Order[], now: number): void {
    const inst = this.o.market.instrument(t.symbol)
    if (!inst) return
    const s = scalesOf(inst)
    const last = Math.round(t.price * s.priceScale)
    const bid = Math.round(t.bid * s.priceScale)
    const ask = Math.round(t.ask * s.priceScale)
    const due = list.filter((o) => {
      if (o.stopPrice !== null && !o.triggered) return stopTriggered(o.side, o.stopPrice, last)
      if (o.price === null) return true // a triggered stop-market with quantity left
      return o.side === 'buy' ? ask <= o.price : bid >= o.price
    })
    if (due.length === 0) return
    due.sort((a, b) => a.seq - b.seq)
    const book = this.o.market.orderBook(t.symbol, MAX_BOOK_DEPTH)
    const sides = { buy: toLevels(book.asks, s), sell: toLevels(book.bids, s) }
    this.run(now, (w) => {
      for (const o of due) {
        if (!ACTIVE.has(o.status)) continue
        const st = this.stateById(o.accountId)
        if (!st) continue
        const levels = sides[o.side]
        const wasTriggered = o.stopPrice !== null && !o.triggered
        if (wasTriggered) {
          o.triggered = true
          w.dirtyOrders.add(o)
        }
        // A stop that just triggered takes liquidity like a new order; a crossed resting limit makes it.
        const taker = wasTriggered || o.price === null
        const left = o.quantity - o.filledQuantity
        let fills: Level[]
        if (taker) {
          fills = o.timeInForce === 'FOK' && liquidity(levels, o.side, o.price) < left ? [] : walkBook(levels, left, o.side, o.price)
        } else {
          const available = liquidity(levels, o.side, o.price)
          fills = available > 0 ? [{ price: o.price!, qty: Math.min(left, available) }] : []
        }
        if (!o.reduceOnly) {
          const denial = this.check(st, s, o.symbol, o.side, fills.reduce((n, f) => n + f.qty, 0) || left, fills, o.price ?? last, now)
          if (denial?.code === 'TRADING_PAUSED') {
            // A pause holds orders that would add exposure instead of killing them: they stay open
            // (a stop untriggered) and can fill once trading resumes.
            if (wasTriggered) o.triggered = false
            continue
          }
          if (denial) {
            w.risk.push(this.o.risk.recordDenial(st.account.id, denial, o.symbol))
            this.setStatus(w, st, o, o.status === 'new' ? 'rejected' : 'cancelled', denial.code)
            continue
          }
        }
        consume(levels, fills, o.side)
        if (taker) this.executeNow(w, st, o, inst, fills, o.price)
        else for (const f of fills) if (ACTIVE.has(o.status)) this.fill(w, st, o, inst, f.price, f.qty, 'maker')
      }
    })
  }

  /** Equity marks (and risk warnings) for accounts with open positions, at most once a minute. */
  private markAccounts(now: number): void {
    this.nextMarkSweep = now + MARK_INTERVAL_MS
    const due = [...this.byId.values()].filter((st) => st.positions.size > 0 && now - st.lastMarkAt >= MARK_INTERVAL_MS)
    if (due.length === 0) return
    this.run(now, (w) => {
      for (const st of due) {
        const p = this.portfolio(st, now)
        this.q.insertSnapshot(st.account.id, now, p.equity, st.account.balance)
        this.noteMark(st, p.equity)
        st.lastMarkAt = now
        w.risk.push(...this.o.risk.evaluate(p))
      }
    })
  }

  // ---- reads --------------------------------------------------------------------------------

  /** An order of the user (live state when open), or undefined. */
  order(userId: string, orderId: string): Order | undefined {
    const st = this.state(userId)
    const o = this.active.get(orderId) ?? this.q.byId(orderId)
    return o && o.accountId === st.account.id ? o : undefined
  }

  get queries(): OrderQueries {
    return this.q
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

/** Take executed quantities out of the book copy, so later orders in the same tick see what is left. */
function consume(levels: Level[], fills: Level[], side: Side): void {
  for (const f of fills) {
    let left = f.qty
    for (const l of levels) {
      if (left <= 0) break
      if (side === 'buy' ? l.price > f.price : l.price < f.price) break
      const take = Math.min(left, l.qty)
      l.qty -= take
      left -= take
    }
  }
}
