import type { ExecutionRepositories, OrderFilter, Page, PositionFilter, TradeFilter } from '../store'
import type { Fill, Order, Position } from './types'

export type { OrderFilter, PositionFilter, TradeFilter } from '../store'

/** The read side of the ledger for the API: pages of orders, positions and fills. */
export class OrderQueries {
  constructor(private readonly repos: ExecutionRepositories) {}

  listOrders(accountId: string, q: OrderFilter): Page<Order> {
    return this.repos.orders.list(accountId, q) as Page<Order>
  }

  listPositions(accountId: string, q: PositionFilter): Page<Position> {
    return this.repos.positions.list(accountId, q)
  }

  position(id: string): Position | undefined {
    return this.repos.positions.byId(id)
  }

  /** An account's fills at or after `since`, oldest first (live executions follow them cheaply). */
  fillsSince(accountId: string, since: number, limit = 1000): Fill[] {
    return this.repos.fills.since(accountId, since, limit)
  }

  trades(accountId: string, q: TradeFilter): Page<Fill> {
    return this.repos.fills.list(accountId, q)
  }
}
