import type { DomainEvent } from '../core'
import type { Portfolio, RiskEventRow } from '../risk'
import type { AccountBook, AccountState } from './account-book'
import type { EngineDeps } from './engine-deps'
import type { OpenOrders } from './open-orders'
import type { Fill, Order, Position, Side } from './types'
import { positionEvent, type FillRecord, type PositionAction } from './views'

export interface PositionMove {
  before: number | null
  reversed: boolean
  lastFill: FillRecord | null
}

/** Everything one state change touched: written in one transaction, published after commit. */
export class Work {
  readonly events: DomainEvent[] = []
  readonly risk: RiskEventRow[] = []
  readonly newOrders: Order[] = []
  readonly dirtyOrders = new Set<Order>()
  readonly accounts = new Set<AccountState>()
  readonly filled = new Set<AccountState>()
  /** Fill rows, written at flush so the last one of each account can carry its equity mark. */
  readonly fills: { st: AccountState; row: Omit<Fill, 'seq'> }[] = []
  readonly positions = new Map<string, { st: AccountState; pos: Position }>()
  /** Per position touched: its open quantity before this change (absent: opened here), whether a
   *  reversal opened it, and its latest fill here — what `position_update` reports. */
  readonly positionMoves = new Map<string, PositionMove>()
  /** Executed quantities (symbol, side, base units): taken from the market's book after commit. */
  readonly taken: [symbol: string, side: Side, quantity: number][] = []
  constructor(readonly now: number) {}
}

/**
 * Runs state changes: one unit of work each (a rollback evicts the in-memory state it touched, to
 * be reloaded from the store), then the book's liquidity taken and the events published.
 */
export class StateChanges {
  constructor(
    private readonly d: EngineDeps,
    private readonly book: AccountBook,
    private readonly open: OpenOrders,
  ) {}

  run<T>(now: number, fn: (w: Work) => T): T {
    const w = new Work(now)
    const { uow, market, events, risk } = this.d
    const result = uow.run(() => {
      uow.onRollback(() => {
        for (const st of w.accounts) this.book.evict(st)
        this.open.load()
      })
      const r = fn(w)
      this.flush(w)
      return r
    })
    // Executions consume the book's liquidity until it refills at the next tick.
    for (const [symbol, side, quantity] of w.taken) market.take(symbol, side, quantity)
    // Published after the commit (of the enclosing transaction, when this change is part of a
    // larger one such as closing every position). A listener that persists what it receives batches
    // its own writes (the WebSocket replay journal); a listener's failure is contained by the EventBus.
    uow.afterCommit(() => {
      for (const e of w.events) events.publish(e)
      for (const r of w.risk) risk.publish(r, this.book.userOf(r.accountId))
    })
    return result
  }

  private flush(w: Work): void {
    const { repos, market, risk } = this.d
    for (const o of w.newOrders) {
      o.seq = repos.orders.insert(o)
      w.dirtyOrders.delete(o)
    }
    for (const o of w.dirtyOrders) repos.orders.update(o)
    const portfolios = new Map<AccountState, Portfolio>()
    const portfolioOf = (st: AccountState): Portfolio => {
      let p = portfolios.get(st)
      if (!p) portfolios.set(st, (p = this.book.portfolio(st, w.now)))
      return p
    }
    for (const { st, pos } of w.positions.values()) {
      if (pos.seq === 0) pos.seq = repos.positions.insert(pos)
      else repos.positions.update(pos)
      const move = w.positionMoves.get(pos.id) ?? { before: null, reversed: false, lastFill: null }
      w.events.push(positionEvent(st, pos, market, (s) => this.book.mark(s), w.now, { action: actionOf(pos, move), portfolio: portfolioOf(st), lastFill: move.lastFill }))
    }
    const lastFill = new Map<AccountState, Omit<Fill, 'seq'>>()
    for (const f of w.fills) lastFill.set(f.st, f.row)
    for (const st of w.accounts) {
      const a = st.account
      if (w.filled.has(st)) {
        a.updatedAt = w.now
        repos.accounts.updateTotals(a)
      }
      const p = portfolioOf(st)
      const last = lastFill.get(st)
      if (last) {
        last.equity = p.equity
        this.book.noteMark(st, p.equity)
        st.lastMarkAt = w.now
      }
      w.risk.push(...risk.evaluate(p))
    }
    for (const f of w.fills) repos.fills.insert(f.row)
  }
}

/** What the fills of one state change did to a position. */
function actionOf(pos: Position, m: PositionMove): PositionAction {
  if (pos.status === 'closed') return 'closed'
  if (m.before === null) return m.reversed ? 'reversed' : 'opened'
  return pos.quantity > m.before ? 'increased' : 'reduced'
}
