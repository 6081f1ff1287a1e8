import { idFactory, type Clock, type EventBus, type IdFactory } from '../core'
import type { MarketData } from '../market'
import type { Portfolio, RiskService } from '../risk'
import type { SettingsService } from '../settings'
import { sqliteExecutionRepositories, unitOfWork, type Db, type ExecutionRepositories } from '../store'
import { AccountBook, type AccountState, type Valuation } from './account-book'
import { closeAllPositions, type CloseAllResult } from './bulk-actions'
import type { EngineDeps } from './engine-deps'
import { equityHistory, listRoundTrips, pageRoundTrips, type EquityPoint, type RoundTrip, type RoundTripQuery } from './history'
import { MarketTicks } from './market-ticks'
import { fromAtoms, fromUnits, scalesOf } from './money'
import { OpenOrders } from './open-orders'
import { OrderEntry } from './order-entry'
import { OrderLifecycle } from './order-lifecycle'
import { ACTIVE } from './order-state'
import type { ExitPrices } from './views'
import { PositionExits, type ExitUpdate } from './position-exits'
import { OrderQueries } from './queries'
import { StateChanges } from './state-change'
import { deny, type Denial, type Order, type OrderRequest, type Position, type Side, type SubmitResult } from './types'

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
  /** Storage; SQLite repositories on `db` unless given. */
  repos?: ExecutionRepositories
  /** Id source; a random session prefix and a counter unless given (fix it to replay a run exactly). */
  ids?: IdFactory
  /**
   * How often accounts with open positions are marked (an equity snapshot and a risk evaluation);
   * default once a minute. A backtest's sandbox passes Infinity: its marks only fed the daily-loss
   * and drawdown limits it turns off, and a 1m backtest wrote one per candle while in a position.
   */
  markIntervalMs?: number
}

export type { AccountState, Valuation } from './account-book'

/**
 * The paper exchange: accounts (one per user), orders through one transition table, matching
 * against the simulated book, fills with fees, netted positions and an integer ledger. Every state
 * change is one unit of work; domain events are published after it commits. This class wires the
 * parts (account book, open orders, order lifecycle, entry, market ticks) and is their public face.
 */
export class ExecutionService {
  private readonly d: EngineDeps
  private readonly book: AccountBook
  private readonly lifecycle: OrderLifecycle
  private readonly changes: StateChanges
  private readonly entry: OrderEntry
  private readonly ticks: MarketTicks
  private readonly q: OrderQueries
  private readonly exits: PositionExits
  private readonly unsubscribe: () => void

  constructor(o: ExecutionOptions) {
    const repos = o.repos ?? sqliteExecutionRepositories(o.db)
    this.d = {
      clock: o.clock,
      market: o.market,
      events: o.events,
      settings: o.settings,
      risk: o.risk,
      repos,
      uow: unitOfWork(o.db),
      ids: o.ids ?? idFactory(),
      takerPpm: Math.round((o.takerFeeBps ?? 10) * 100),
      makerPpm: Math.round((o.makerFeeBps ?? 2) * 100),
      initialBalance: o.initialBalance,
      currency: o.currency ?? 'USDT',
    }
    this.book = new AccountBook(this.d)
    const open = new OpenOrders(repos.orders)
    this.lifecycle = new OrderLifecycle(this.d, this.book, open)
    this.changes = new StateChanges(this.d, this.book, open)
    this.ticks = new MarketTicks(this.d, this.book, this.lifecycle, this.changes, () => this.entry, o.markIntervalMs)
    this.entry = new OrderEntry(this.d, this.book, this.lifecycle, this.changes, (now) => this.ticks.expireDue(now))
    this.q = new OrderQueries(repos)
    this.exits = new PositionExits(this.d, this.book, this.lifecycle, this.changes)
    // Accounts with open positions are marked every minute even before anyone calls the API.
    for (const accountId of repos.positions.accountsWithOpen()) this.book.stateById(accountId)
    this.unsubscribe = o.market.onTick((t) => this.ticks.onTick(t))
  }

  /** Stop reacting to market ticks. */
  close(): void {
    this.unsubscribe()
  }

  // ---- accounts and marks -------------------------------------------------------------------

  /** Realized PnL net of commissions over every paper account (quote currency), from the ledger. */
  totalRealizedPnl(): number {
    return fromAtoms(this.d.repos.accounts.totalRealizedNet())
  }

  /** The paper account id of a user, created (with the initial balance) on first use. */
  accountIdOf(userId: string): string {
    return this.book.state(userId).account.id
  }

  /** The account state of a user, created on first use. */
  state(userId: string): AccountState {
    return this.book.state(userId)
  }

  /** Largest drawdown of the equity marks and the current equity (fraction of the peak). */
  worstDrawdown(st: AccountState, p: Portfolio): number {
    return this.book.worstDrawdown(st, p)
  }

  /** Last price of a symbol (kept current by market ticks). */
  mark(symbol: string): number {
    return this.book.mark(symbol)
  }

  /** The account marked to the last prices: what risk checks and metrics read. */
  portfolio(st: AccountState, now = this.d.clock.now()): Portfolio {
    return this.book.portfolio(st, now)
  }

  /** Equity and exposure at the last prices, into `out` (portfolio()'s figures, nothing allocated). */
  valuation(st: AccountState, out: Valuation): Valuation {
    return this.book.valuation(st, out)
  }

  // ---- orders -------------------------------------------------------------------------------

  /** See {@link OrderEntry.submit}. */
  submit(userId: string, req: OrderRequest): SubmitResult {
    return this.entry.submit(userId, req)
  }

  /** Cancel an open order of the user: ORDER_NOT_FOUND or ORDER_NOT_CANCELLABLE otherwise. */
  cancel(userId: string, orderId: string): { ok: true; order: Order } | { ok: false; denial: Denial } {
    const st = this.book.state(userId)
    const live = this.lifecycle.open.get(orderId)
    const order = live ?? this.d.repos.orders.byId(orderId)
    if (!order || order.accountId !== st.account.id) return deny('ORDER_NOT_FOUND', `Order ${orderId} not found`, { order_id: orderId })
    if (!live) return deny('ORDER_NOT_CANCELLABLE', `Order ${orderId} is ${order.status}`, { order_id: orderId, status: order.status })
    this.changes.run(this.d.clock.now(), (w) => this.lifecycle.setStatus(w, st, live, 'cancelled', 'cancelled by the trader'))
    return { ok: true, order: live }
  }

  /**
   * Cancel every open order of an account, or of every account when `accountId` is undefined (an
   * administrator's pause), in one transaction. Returns how many were cancelled.
   */
  cancelOpenOrders(accountId: string | undefined, reason: string, symbols?: ReadonlySet<string>): number {
    const due = this.lifecycle.open.all().filter((o) => (accountId === undefined || o.accountId === accountId) && (!symbols || symbols.has(o.symbol)))
    if (due.length === 0) return 0
    let cancelled = 0
    this.changes.run(this.d.clock.now(), (w) => {
      for (const o of due) {
        const st = this.book.stateById(o.accountId)
        // Cancelling an entry also cancels its linked exits: they may already be gone.
        if (!st || !ACTIVE.has(o.status)) continue
        this.lifecycle.setStatus(w, st, o, 'cancelled', reason)
        cancelled++
      }
    })
    return cancelled
  }

  /**
   * Cancel every open order of the user (of one symbol when given) in one transaction; returns the
   * orders cancelled (none open → an empty list, not an error).
   */
  cancelAll(userId: string, symbol?: string): Order[] {
    const st = this.book.state(userId)
    const due = this.lifecycle.open.all().filter((o) => o.accountId === st.account.id && (symbol === undefined || o.symbol === symbol))
    const cancelled: Order[] = []
    if (due.length === 0) return cancelled
    this.changes.run(this.d.clock.now(), (w) => {
      for (const o of due) {
        // Cancelling an entry may already have taken its linked exits with it.
        if (!ACTIVE.has(o.status)) continue
        this.lifecycle.setStatus(w, st, o, 'cancelled', 'cancelled by the trader (cancel all)')
        cancelled.push(o)
      }
    })
    return cancelled
  }

  /** Close the user's open positions (of one symbol) at market in one transaction: see {@link closeAllPositions}. */
  closeAll(userId: string, opts: { symbol?: string; cancelOrders?: boolean } = {}): CloseAllResult {
    const deps = { uow: this.d.uow, market: this.d.market, submit: (u: string, r: OrderRequest) => this.submit(u, r), cancelAll: (u: string, s?: string) => this.cancelAll(u, s) }
    return closeAllPositions(deps, this.book.state(userId), userId, opts)
  }

  /**
   * Move, add or remove an open position's linked stop loss / take profit (see {@link PositionExits}):
   * POSITION_NOT_FOUND, INVALID_STATE_TRANSITION (closed) or VALIDATION_FAILED (details.field) otherwise.
   */
  updatePositionExits(userId: string, positionId: string, u: ExitUpdate): { ok: true; position: Position } | { ok: false; denial: Denial } {
    return this.exits.update(userId, positionId, u)
  }

  /** Working orders over every account (the in-memory index, no query). */
  openOrderCount(): number {
    return this.lifecycle.open.count()
  }

  /** Open positions over every account. */
  /**
   * Open orders that a pause holds in scope (of an account, of symbols; every one when undefined):
   * the working orders that are not reduce-only exits. They work again when the pause is lifted.
   */
  heldOrderCount(accountId: string | undefined, symbols?: ReadonlySet<string>): number {
    return this.lifecycle.open
      .all()
      .filter((o) => !o.reduceOnly && (accountId === undefined || o.accountId === accountId) && (!symbols || symbols.has(o.symbol))).length
  }

  /** Net marked value (quote currency) of every open position of every account: longs positive, shorts negative. */
  totalPositionValue(): number {
    let total = 0
    for (const r of this.d.repos.positions.openWithOwners()) {
      const inst = this.d.market.instrument(r.symbol)
      if (!inst) continue
      const value = fromUnits(r.quantity, scalesOf(inst).qtyScale) * this.book.mark(r.symbol)
      total += r.side === 'long' ? value : -value
    }
    return Math.round(total * 100) / 100
  }

  openPositionCount(): number {
    return this.d.repos.positions.countOpen()
  }

  /**
   * Close every open position of every account with market orders (an emergency stop). Each close
   * is an ordinary order (its own transaction, fills against the book, fees); what the book cannot
   * absorb at once stays open. Returns the positions closed and those left (partly) open.
   */
  flattenAll(): { closed: number; open: number } {
    let closed = 0
    for (const r of this.d.repos.positions.openWithOwners()) {
      const inst = this.d.market.instrument(r.symbol)
      if (!inst) continue
      const side: Side = r.side === 'long' ? 'sell' : 'buy'
      const res = this.submit(r.userId, { symbol: r.symbol, side, type: 'market', quantity: fromUnits(r.quantity, scalesOf(inst).qtyScale), origin: 'emergency_stop' })
      if (res.ok && res.order.status === 'filled') closed++
    }
    return { closed, open: this.openPositionCount() }
  }

  // ---- reads --------------------------------------------------------------------------------

  /** An order of the user (live state when open), or undefined. */
  order(userId: string, orderId: string): Order | undefined {
    const st = this.book.state(userId)
    const o = this.lifecycle.open.get(orderId) ?? this.d.repos.orders.byId(orderId)
    return o && o.accountId === st.account.id ? o : undefined
  }

  /**
   * The working linked exits of an account's positions by symbol: per symbol the stop that triggers
   * first and the nearest take profit (several entries can each have left a pair).
   */
  exitPrices(accountId: string): Map<string, ExitPrices> {
    const out = new Map<string, ExitPrices>()
    for (const o of this.lifecycle.open.all()) {
      if (o.accountId !== accountId || o.linkType === null) continue
      let e = out.get(o.symbol)
      if (!e) out.set(o.symbol, (e = { stopLoss: null, takeProfit: null }))
      // A long's exits sell: its highest stop triggers first, its lowest take profit is nearest.
      const pick = (cur: number | null, v: number | null, higher: boolean): number | null =>
        v === null ? cur : cur === null ? v : higher ? Math.max(cur, v) : Math.min(cur, v)
      if (o.linkType === 'stop_loss') e.stopLoss = pick(e.stopLoss, o.stopPrice, o.side === 'sell')
      else e.takeProfit = pick(e.takeProfit, o.price, o.side === 'buy')
    }
    return out
  }

  get queries(): OrderQueries {
    return this.q
  }

  /** Closed round trips of an account (see {@link listRoundTrips}). */
  listRoundTrips(accountId: string, q: RoundTripQuery = {}): RoundTrip[] {
    return listRoundTrips(this.d.repos, this.d.market, accountId, q)
  }

  /** A page of an account's round trips, newest close first (see {@link pageRoundTrips}). */
  roundTripPage(accountId: string, q: RoundTripQuery & { limit: number; offset: number }): { trips: RoundTrip[]; total: number } {
    return pageRoundTrips(this.d.repos, this.d.market, accountId, q)
  }

  /** Equity marks of an account (see {@link equityHistory}). */
  equityHistory(accountId: string, q: { since?: number } = {}): EquityPoint[] {
    return equityHistory(this.d.repos, accountId, q)
  }
}
