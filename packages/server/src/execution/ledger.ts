import { safe, share } from './money'
import type { Position, PositionSide, Side } from './types'

/** One execution to book: quantity in lots, notional and commission in atoms. */
export interface Execution {
  side: Side
  qty: number
  notional: bigint
  commission: bigint
}

export interface Booking {
  /** The position that was open before and is now closed by this execution, if any. */
  closed?: Position
  /** The open position after the execution (the same object updated, or a new one). */
  open?: Position
  /** Whether `open` was created by this execution. */
  opened: boolean
  /** Realized PnL of the closing part, before commission (atoms). */
  realized: bigint
  /** Lots that reduced the previous position, and lots that opened or increased one. */
  closingQty: number
}

const sideFor = (s: Side): PositionSide => (s === 'buy' ? 'long' : 'short')

/**
 * Book an execution into the net position of its symbol (mutating `pos`). Same direction adds to
 * quantity and cost basis; the other direction releases cost basis pro rata (rounded half to even
 * to an atom) and realizes `exit − entry` (long) or `entry − exit` (short); going through zero
 * closes the position and opens a new one on the other side with the remainder. The commission
 * is split between the closing and the opening part by quantity.
 *
 * @example
 * const b = bookExecution(pos, { side: 'sell', qty: 10, notional: 1_000n, commission: 1n }, () => 'pos_2', now)
 */
export function bookExecution(
  pos: Position | undefined,
  x: Execution,
  newPosition: (side: PositionSide, qty: number, cost: bigint, commission: bigint) => Position,
  now: number,
): Booking {
  const direction = sideFor(x.side)
  if (!pos || pos.quantity === 0) {
    const open = newPosition(direction, x.qty, x.notional, x.commission)
    return { open, opened: true, realized: 0n, closingQty: 0 }
  }
  if (pos.side === direction) {
    pos.quantity += x.qty
    pos.costBasis = safe(BigInt(pos.costBasis) + x.notional)
    pos.openedQuantity += x.qty
    pos.commission = safe(BigInt(pos.commission) + x.commission)
    pos.updatedAt = now
    return { open: pos, opened: false, realized: 0n, closingQty: 0 }
  }
  const closeQty = Math.min(x.qty, pos.quantity)
  const released = share(BigInt(pos.costBasis), closeQty, pos.quantity)
  const exitPart = share(x.notional, closeQty, x.qty)
  const realized = pos.side === 'long' ? exitPart - released : released - exitPart
  const closeCommission = share(x.commission, closeQty, x.qty)
  pos.quantity -= closeQty
  pos.costBasis = safe(BigInt(pos.costBasis) - released)
  pos.closedQuantity += closeQty
  pos.closedCost = safe(BigInt(pos.closedCost) + released)
  pos.exitNotional = safe(BigInt(pos.exitNotional) + exitPart)
  pos.realizedPnl = safe(BigInt(pos.realizedPnl) + realized)
  pos.commission = safe(BigInt(pos.commission) + closeCommission)
  pos.updatedAt = now
  const rest = x.qty - closeQty
  if (pos.quantity > 0) return { open: pos, opened: false, realized, closingQty: closeQty }
  pos.status = 'closed'
  pos.closedAt = now
  if (rest === 0) return { closed: pos, opened: false, realized, closingQty: closeQty }
  const open = newPosition(direction, rest, x.notional - exitPart, x.commission - closeCommission)
  return { closed: pos, open, opened: true, realized, closingQty: closeQty }
}
