// The paper exchange's rows as plain objects (integer units; see execution/money.ts). Derived from
// the schema's column types, so the two cannot drift; nothing here is tied to SQLite.
import type { accounts, fills, orders, positions } from '../schema'

type OrderStatusRow = 'pending_new' | 'new' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired'
export type OrderRow = Omit<typeof orders.$inferSelect, 'status'> & { status: OrderStatusRow }
export type FillRow = typeof fills.$inferSelect
export type PositionRow = typeof positions.$inferSelect
export type AccountRow = typeof accounts.$inferSelect

/** A page of rows and the total matching the filter. */
export interface Page<T> {
  rows: T[]
  total: number
}

export interface OrderFilter {
  symbol?: string
  /** A status, or `open` for pending_new, new and partially_filled. */
  status?: OrderStatusRow | 'open'
  /** Only orders created at or after / at or before (epoch ms). */
  since?: number
  until?: number
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
  status?: OrderStatusRow
  limit: number
  page: number
}

/** Closed positions of an account by close time (round trips). */
export interface ClosedPositionFilter {
  symbol?: string
  since?: number
  until?: number
}

/** The orders that are still working: pending_new, new, partially_filled. */
export const ACTIVE_STATUSES: readonly OrderStatusRow[] = ['pending_new', 'new', 'partially_filled']
