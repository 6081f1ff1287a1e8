/** Every order status; the contract's `OrderStatus` enum lists the same values. */
export const ORDER_STATUSES = [
  'pending_new',
  'new',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/**
 * The one transition table of order states. `pending_new` is an order the engine has received but
 * not yet accepted; `partially_filled → partially_filled` is another partial fill. Terminal states
 * have no way out. Anything not listed is a bug: {@link transition} throws.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  pending_new: ['new', 'rejected'],
  new: ['partially_filled', 'filled', 'cancelled', 'expired', 'rejected'],
  partially_filled: ['partially_filled', 'filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
})

export const TERMINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired'])

/** Statuses of orders that can still fill or be cancelled. */
export const ACTIVE: ReadonlySet<OrderStatus> = new Set(['pending_new', 'new', 'partially_filled'])

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to)

/** Thrown on a transition the table does not allow: an engine bug, never a client error. */
export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError'
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
    readonly orderId: string,
  ) {
    super(`illegal order transition ${from} → ${to} (order ${orderId})`)
  }
}

/** The next status, checked against the table. */
export function transition(orderId: string, from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, orderId)
  return to
}
