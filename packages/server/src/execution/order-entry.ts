import type { Instrument } from '../market'
import type { AccountBook, AccountState } from './account-book'
import { shallowestBook } from './book-depth'
import type { EngineDeps } from './engine-deps'
import { requestDifferences } from './idempotency'
import { liquidity, stopTriggered, toLevels, walkBook, type Level } from './matching'
import { feeAtoms, notionalAtoms, safe, scalesOf, type Scales } from './money'
import type { OrderLifecycle } from './order-lifecycle'
import type { StateChanges } from './state-change'
import { deny, type Denial, type OrderRequest, type Position, type Side, type SubmitResult } from './types'
import { isDenial, validateOrder } from './validation'

const signed = (pos: Position | undefined): number => (!pos ? 0 : pos.side === 'long' ? pos.quantity : -pos.quantity)

/** New orders: idempotency, validation, the pre-trade risk check, then booking. */
export class OrderEntry {
  constructor(
    private readonly d: EngineDeps,
    private readonly book: AccountBook,
    private readonly lifecycle: OrderLifecycle,
    private readonly changes: StateChanges,
    /** Expire what is due before a new order meets the book. */
    private readonly expireDue: (now: number) => void,
  ) {}

  /**
   * Submit an order for a user. Returns the order once its state (order, fills, position, balance)
   * has committed, the original order for a repeated client_order_id, or a denial (validation or
   * pre-trade risk) with a stable code; nothing is booked for a denial.
   */
  submit(userId: string, req: OrderRequest): SubmitResult {
    const { market, settings, clock, repos } = this.d
    const st = this.book.state(userId)
    if (req.clientOrderId) {
      const existing = repos.orders.byClientOrderId(st.account.id, req.clientOrderId)
      if (existing) {
        const fields = requestDifferences(existing, req, market.instrument(existing.symbol))
        if (fields.length > 0)
          return deny('IDEMPOTENCY_CONFLICT', `client_order_id "${req.clientOrderId}" was used for a different order (${fields.join(', ')} differ)`, {
            client_order_id: req.clientOrderId,
            order_id: existing.id,
            fields,
          })
        return { ok: true, order: this.lifecycle.open.get(existing.id) ?? existing, created: false }
      }
    }
    const symbol = req.symbol.toUpperCase()
    const inst = market.instrument(symbol)
    if (!inst || !settings.isSymbolEnabled(symbol))
      return deny('INVALID_SYMBOL', `Unknown trading symbol "${req.symbol}"`, {
        symbol: req.symbol,
        available: settings.get()['exchanges.simulated.symbols'],
      })
    const feed = market.status()
    if (feed.state !== 'live')
      return deny('MARKET_CLOSED', `The market is not live (${feed.reason ?? feed.state}): orders are refused rather than filled at an old price`, {
        symbol,
        state: feed.state,
        reason: feed.reason,
      })
    const now = clock.now()
    this.expireDue(now)
    const v = validateOrder({ ...req, symbol }, inst, this.book.mark(symbol), now)
    if (isDenial(v)) return { ok: false, denial: v }

    // What would fill right now (FOK and triggered stops included), for the checks and the booking.
    const triggered = v.stopPrice === null || stopTriggered(v.side, v.stopPrice, Math.round(this.book.mark(symbol) * v.s.priceScale))
    const limit = v.type === 'market' || v.type === 'stop' ? null : v.price
    let fills: Level[] = []
    if (triggered) {
      const levels = this.levels(symbol, inst, v.side, v.qty, limit)
      fills = v.timeInForce === 'FOK' && liquidity(levels, v.side, limit) < v.qty ? [] : walkBook(levels, v.qty, v.side, limit)
    }
    const denial = this.check(st, v.s, symbol, v.side, v.qty, fills, limit ?? v.stopPrice ?? Math.round(this.book.mark(symbol) * v.s.priceScale), now)
    if (denial) {
      this.changes.run(clock.now(), (w) => {
        w.risk.push(this.d.risk.recordDenial(st.account.id, denial, symbol))
      })
      return { ok: false, denial }
    }
    const order = this.changes.run(now, (w) => {
      const o = this.lifecycle.newOrder(w, st, v, now)
      this.lifecycle.setStatus(w, st, o, 'new')
      if (triggered) {
        if (v.stopPrice !== null) this.lifecycle.trigger(w, st, o)
        this.lifecycle.executeNow(w, st, o, inst, fills, limit)
      } else this.lifecycle.open.rest(o)
      return o
    })
    return { ok: true, order, created: true }
  }

  /** Pre-trade risk for `qty` lots of `side`: immediate fills valued at their prices, the rest at `price` ticks. */
  check(st: AccountState, s: Scales, symbol: string, side: Side, qty: number, fills: Level[], price: number, now: number): Denial | undefined {
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
    const required = safe((notional * BigInt(added)) / BigInt(qty) + feeAtoms(notional, this.d.takerPpm))
    return this.d.risk.preTrade(this.book.portfolio(st, now), {
      symbol,
      side,
      qtyScale: s.qtyScale,
      currentLots: cur,
      resultingLots: resulting,
      increasesExposure: increases,
      requiredMargin: required,
    })
  }

  /** Book levels on the side an order takes from, deep enough for `qty` within `limit` when possible. */
  private levels(symbol: string, inst: Instrument, side: Side, qty: number, limit: number | null): Level[] {
    const s = scalesOf(inst)
    return shallowestBook(
      (depth) => {
        const book = this.d.market.orderBook(symbol, depth)
        return toLevels(side === 'buy' ? book.asks : book.bids, s)
      },
      (levels) => {
        const last = levels.at(-1)
        return liquidity(levels, side, limit) >= qty || (last !== undefined && limit !== null && !(side === 'buy' ? last.price <= limit : last.price >= limit))
      },
    )
  }
}
