import { DomainError, type ErrorCode } from '../core'
import type { tables } from '../store'
import type { OrderStatus } from './order-state'

/** Who placed an order, when not the account's own trading (see the orders table's `origin`). */
export type OrderOrigin = 'manual' | 'emergency_stop'

export type Side = 'buy' | 'sell'
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit'
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'DAY' | 'GTD'
export type PositionSide = 'long' | 'short'

/** An order row as the engine holds it (integer units, see money.ts). */
export type Order = Omit<typeof tables.orders.$inferSelect, 'status'> & { status: OrderStatus }
export type NewOrder = Omit<Order, 'seq'>
export type Fill = typeof tables.fills.$inferSelect
export type Position = typeof tables.positions.$inferSelect
export type Account = typeof tables.accounts.$inferSelect

/** An order as a client submits it (decimals as JSON numbers). */
export interface OrderRequest {
  symbol: string
  side: Side
  type: OrderType
  quantity: number
  price?: number | null
  stopPrice?: number | null
  timeInForce?: TimeInForce
  /** When a GTD order expires (epoch ms); only with GTD, and in the future. */
  expiresAt?: number | null
  stopLoss?: number | null
  takeProfit?: number | null
  clientOrderId?: string | null
  /** `normalize` (default): values off the instrument's grid are moved onto it; `strict`: refused. */
  precision?: 'normalize' | 'strict'
  /** Who placed it when not the account's own trading: a manual close or an emergency stop (see exit-reason.ts). */
  origin?: OrderOrigin
}

/**
 * Why the engine refused an order, before anything was booked: a stable code, a message and
 * structured details (e.g. required vs available), returned as a value. The API layer renders it.
 */
export type Denial = DomainError

export type SubmitResult =
  | { ok: true; order: Order; /** False when a repeated client_order_id returned the original. */ created: boolean }
  | { ok: false; denial: Denial }

export const deny = (code: ErrorCode, message: string, details: Record<string, unknown> = {}): { ok: false; denial: Denial } => ({
  ok: false,
  denial: DomainError.denial(code, message, details),
})
