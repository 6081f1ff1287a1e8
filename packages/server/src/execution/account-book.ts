import { drawdown, toAtoms } from '../core'
import type { Portfolio } from '../risk'
import type { EngineDeps } from './engine-deps'
import { DAY_MS } from './engine-deps'
import { equityMarks } from './history'
import { notionalNumber, scalesOf, type Scales } from './money'
import type { Account, Position } from './types'

/** An account's equity and the notional of its open positions, in atoms. */
export interface Valuation {
  equity: number
  exposure: number
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

/**
 * Paper accounts in memory: balances and open positions per account, the last price per symbol,
 * and each account marked to those prices (what risk checks and metrics read).
 */
export class AccountBook {
  private readonly byUser = new Map<string, AccountState>()
  private readonly byId = new Map<string, AccountState>()
  private readonly marks = new Map<string, number>()

  constructor(private readonly d: EngineDeps) {}

  /** The account state of a user, created (with the initial balance) on first use. */
  state(userId: string): AccountState {
    const cached = this.byUser.get(userId)
    if (cached) return cached
    const { repos, clock, risk } = this.d
    let row = repos.accounts.byUserId(userId)
    if (!row) {
      const now = clock.now()
      const balance = toAtoms(this.d.initialBalance)
      const created: Account = {
        id: this.d.ids('acc'),
        userId,
        currency: this.d.currency,
        initialBalance: balance,
        balance,
        realizedPnl: 0,
        commission: 0,
        createdAt: now,
        updatedAt: now,
      }
      const paused = this.d.uow.run(() => {
        repos.accounts.insert(created)
        repos.accounts.insertSnapshot(created.id, now, balance, balance)
        return risk.accountOpened(created.id)
      })
      if (paused) risk.publish(paused, userId)
      row = created
    }
    return this.load(row)
  }

  stateById(accountId: string): AccountState | undefined {
    const cached = this.byId.get(accountId)
    if (cached) return cached
    const row = this.d.repos.accounts.byId(accountId)
    return row ? this.load(row) : undefined
  }

  /** The owner of a cached account (events are addressed to users). */
  userOf(accountId: string): string | undefined {
    return this.byId.get(accountId)?.account.userId
  }

  /** Every account held in memory. */
  loaded(): IterableIterator<AccountState> {
    return this.byId.values()
  }

  private load(account: Account): AccountState {
    const positions = new Map<string, Position>()
    for (const p of this.d.repos.positions.open(account.id)) positions.set(p.symbol, p)
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
    for (const m of equityMarks(this.d.repos, account.id)) {
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
  noteMark(st: AccountState, equity: number): void {
    if (equity > st.peakEquity) st.peakEquity = equity
    else st.maxDrawdown = Math.max(st.maxDrawdown, drawdown(st.peakEquity, equity))
  }

  /** Largest drawdown of the equity marks and the current equity (fraction of the peak). */
  worstDrawdown(st: AccountState, p: Portfolio): number {
    return Math.max(st.maxDrawdown, drawdown(p.peakEquity, p.equity))
  }

  /** Forget cached state (after a failed transaction): the next use reloads it from the store. */
  evict(st: AccountState): void {
    this.byUser.delete(st.account.userId)
    this.byId.delete(st.account.id)
  }

  /** Last price of a symbol (kept current by market ticks). */
  mark(symbol: string): number {
    let m = this.marks.get(symbol)
    if (m === undefined) {
      m = this.d.market.ticker(symbol).price
      this.marks.set(symbol, m)
    }
    return m
  }

  setMark(symbol: string, price: number): void {
    this.marks.set(symbol, price)
  }

  /**
   * The account's equity and exposure at the last prices, into `out`: portfolio()'s figures without
   * its position list or a new object (a backtest values its account every candle). Moves the peak
   * equity and the day's start as portfolio() does.
   */
  valuation(st: AccountState, out: Valuation): Valuation {
    let unrealized = 0
    let exposure = 0
    for (const pos of st.positions.values()) {
      const s = this.scales(pos.symbol)
      if (!s) continue
      const value = this.positionValue(pos, s)
      unrealized += pos.side === 'long' ? value - pos.costBasis : pos.costBasis - value
      exposure += value
    }
    const equity = st.account.balance + unrealized
    if (equity > st.peakEquity) st.peakEquity = equity
    // As portfolio(): the day's starting equity follows the clock's day.
    this.dayStart(st, this.d.clock.now())
    out.equity = equity
    out.exposure = exposure
    return out
  }

  /** The scales of a position's instrument (null: the instrument is gone). */
  private scales(symbol: string): Scales | null {
    const inst = this.d.market.instrument(symbol)
    return inst ? scalesOf(inst) : null
  }

  /** A position's notional at its symbol's mark, in atoms. */
  private positionValue(pos: Position, s: Scales): number {
    return notionalNumber(s, Math.round(this.mark(pos.symbol) * s.priceScale), pos.quantity)
  }

  /** The account marked to the last prices: what risk checks and metrics read. */
  portfolio(st: AccountState, now = this.d.clock.now()): Portfolio {
    let unrealized = 0
    let exposure = 0
    const positions: Portfolio['positions'] = []
    for (const pos of st.positions.values()) {
      const s = this.scales(pos.symbol)
      if (!s) continue
      const value = this.positionValue(pos, s)
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
    const marks = equityMarks(this.d.repos, st.account.id)
    let start = marks[0]?.equity ?? st.account.initialBalance
    for (const m of marks) {
      if (m.at > day * DAY_MS) break
      start = m.equity
    }
    st.day = day
    st.dayStartEquity = start
    return start
  }
}
