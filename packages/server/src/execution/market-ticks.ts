import type { Ticker } from '../market'
import type { AccountBook } from './account-book'
import { shallowestBook } from './book-depth'
import type { EngineDeps } from './engine-deps'
import { liquidity, stopTriggered, toLevels, walkBook, type Level } from './matching'
import { scalesOf, type Scales } from './money'
import type { OrderEntry } from './order-entry'
import type { OrderLifecycle } from './order-lifecycle'
import { ACTIVE } from './order-state'
import type { StateChanges } from './state-change'
import type { Order, Side } from './types'

const MARK_INTERVAL_MS = 60_000

/**
 * What a price change does: expire due orders, trigger stops on the last price, fill resting limits
 * the touch crossed (maker, at the limit price, up to the liquidity at or better than it), in
 * submission order, consuming the book as they go; then, at most once a minute, mark accounts with
 * open positions.
 */
export class MarketTicks {
  private nextMarkSweep = 0

  constructor(
    private readonly d: EngineDeps,
    private readonly book: AccountBook,
    private readonly lifecycle: OrderLifecycle,
    private readonly changes: StateChanges,
    private readonly entry: () => OrderEntry,
    private readonly markIntervalMs = MARK_INTERVAL_MS,
  ) {}

  onTick(t: Ticker): void {
    this.book.setMark(t.symbol, t.price)
    const now = this.d.clock.now()
    this.expireDue(now)
    const list = this.lifecycle.open.restingOn(t.symbol)
    if (list && list.length > 0) this.matchResting(t, list, now)
    if (now >= this.nextMarkSweep) this.markAccounts(now)
  }

  /** Expire DAY orders whose session ended and GTD orders whose expires_at is reached (≤ now). */
  expireDue(now: number): void {
    const due = this.lifecycle.open.due(now)
    if (due.length === 0) return
    this.changes.run(now, (w) => {
      for (const o of due) {
        const st = this.book.stateById(o.accountId)
        if (st && ACTIVE.has(o.status)) this.lifecycle.setStatus(w, st, o, 'expired', o.timeInForce === 'GTD' ? 'GTD order: expires_at reached' : 'DAY order: session ended')
      }
    })
  }

  private matchResting(t: Ticker, list: Order[], now: number): void {
    const inst = this.d.market.instrument(t.symbol)
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
    const sides = this.bookSides(t.symbol, s, due)
    this.changes.run(now, (w) => {
      for (const o of due) {
        if (!ACTIVE.has(o.status)) continue
        const st = this.book.stateById(o.accountId)
        if (!st) continue
        const levels = sides[o.side]
        const wasTriggered = o.stopPrice !== null && !o.triggered
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
        const denial = o.reduceOnly
          ? undefined
          : this.entry().check(st, s, o.symbol, o.side, fills.reduce((n, f) => n + f.qty, 0) || left, fills, o.price ?? last, now)
        // A pause (or a protection lock) holds orders that would add exposure instead of killing
        // them: they stay open (a stop untriggered) and can fill once trading resumes.
        if (denial?.code === 'TRADING_PAUSED' || denial?.code === 'RISK_LOCKED') continue
        if (wasTriggered) this.lifecycle.trigger(w, st, o)
        if (denial) {
          w.risk.push(this.d.risk.recordDenial(st.account.id, denial, o.symbol))
          this.lifecycle.setStatus(w, st, o, o.status === 'new' ? 'rejected' : 'cancelled', denial.code)
          continue
        }
        consume(levels, fills, o.side)
        if (taker) this.lifecycle.executeNow(w, st, o, inst, fills, o.price)
        else for (const f of fills) if (ACTIVE.has(o.status)) this.lifecycle.fill(w, st, o, inst, f.price, f.qty, 'maker')
      }
    })
  }

  /** The book as deep as the due orders can use (see book-depth.ts): as much as each side's due orders want. */
  private bookSides(symbol: string, s: Scales, due: readonly Order[]): Record<Side, Level[]> {
    const wanted = { buy: 0, sell: 0 }
    for (const o of due) wanted[o.side] += o.quantity - o.filledQuantity
    return shallowestBook(
      (depth) => {
        const book = this.d.market.orderBook(symbol, depth)
        return { buy: toLevels(book.asks, s), sell: toLevels(book.bids, s) }
      },
      (sides) => liquidity(sides.buy, 'buy') >= wanted.buy && liquidity(sides.sell, 'sell') >= wanted.sell,
    )
  }

  /** Equity marks (and risk warnings) for accounts with open positions, at most once a minute. */
  private markAccounts(now: number): void {
    this.nextMarkSweep = now + this.markIntervalMs
    const due = [...this.book.loaded()].filter((st) => st.positions.size > 0 && now - st.lastMarkAt >= this.markIntervalMs)
    if (due.length === 0) return
    this.changes.run(now, (w) => {
      for (const st of due) {
        const p = this.book.portfolio(st, now)
        this.d.repos.accounts.insertSnapshot(st.account.id, now, p.equity, st.account.balance)
        this.book.noteMark(st, p.equity)
        st.lastMarkAt = now
        w.risk.push(...this.d.risk.evaluate(p))
      }
    })
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
