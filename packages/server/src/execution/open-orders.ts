import type { OrderRepository } from '../store'
import type { Order } from './types'

/**
 * The working orders (pending_new, new, partially_filled) in memory: by id, resting ones per symbol
 * in submission order, and the earliest expiry among them.
 */
export class OpenOrders {
  private readonly active = new Map<string, Order>()
  private readonly resting = new Map<string, Order[]>()
  private nextExpiry = Infinity

  constructor(private readonly orders: OrderRepository) {
    this.load()
  }

  /** Reload from the store (after a rollback). */
  load(): void {
    this.active.clear()
    this.resting.clear()
    this.nextExpiry = Infinity
    for (const o of this.orders.active()) {
      this.add(o)
      this.rest(o)
    }
  }

  get(id: string): Order | undefined {
    return this.active.get(id)
  }

  /** How many orders are working. */
  count(): number {
    return this.active.size
  }

  /** A snapshot of every working order (safe to change the set while iterating it). */
  all(): Order[] {
    return [...this.active.values()]
  }

  add(o: Order): void {
    this.active.set(o.id, o)
    if (o.expiresAt !== null) this.nextExpiry = Math.min(this.nextExpiry, o.expiresAt)
  }

  /** An order that stopped working: out of the index and off the book. */
  remove(o: Order): void {
    this.active.delete(o.id)
    const list = this.resting.get(o.symbol)
    const i = list ? list.indexOf(o) : -1
    if (i >= 0) list!.splice(i, 1)
  }

  rest(o: Order): void {
    let list = this.resting.get(o.symbol)
    if (!list) this.resting.set(o.symbol, (list = []))
    if (!list.includes(o)) list.push(o)
  }

  restingOn(symbol: string): Order[] | undefined {
    return this.resting.get(symbol)
  }

  /** Orders whose expiry is due at `now`; the next expiry moves to the earliest one left. */
  due(now: number): Order[] {
    if (now < this.nextExpiry) return []
    const all = [...this.active.values()]
    this.nextExpiry = Math.min(Infinity, ...all.filter((o) => o.expiresAt !== null && o.expiresAt > now).map((o) => o.expiresAt!))
    return all.filter((o) => o.expiresAt !== null && o.expiresAt <= now)
  }
}
