import type { MarketData } from '../market'
import type { UnitOfWork } from '../store'
import type { AccountState } from './account-book'
import { fromAtoms, fromUnits, scalesOf } from './money'
import type { Denial, Order, OrderRequest, Side, SubmitResult } from './types'

/** One position closed (or reduced, when the book could not absorb it all) by {@link closeAllPositions}. */
export interface ClosedPosition {
  positionId: string
  symbol: string
  side: 'long' | 'short'
  /** The quantity the close order asked for (the whole open quantity). */
  quantity: number
  order: Order
  /** Realized PnL of the position after the close (quote currency). */
  realizedPnl: number
  /** Whether the position is flat afterwards. */
  flat: boolean
}

export interface CloseAllResult {
  closed: ClosedPosition[]
  denied: { positionId: string; symbol: string; denial: Denial }[]
  cancelled: Order[]
}

export interface BulkDeps {
  uow: UnitOfWork
  market: MarketData
  submit(userId: string, req: OrderRequest): SubmitResult
  cancelAll(userId: string, symbol: string | undefined): Order[]
}

/**
 * Close every open position of the user (of one symbol) with market orders, after cancelling the
 * open orders of those symbols when `cancelOrders`; all in one transaction, so the account is never
 * seen half-flattened. Each close is an ordinary order (risk, fills against the book, fees); a denial
 * is reported for its position and the others still close.
 */
export function closeAllPositions(d: BulkDeps, st: AccountState, userId: string, opts: { symbol?: string; cancelOrders?: boolean }): CloseAllResult {
  return d.uow.run(() => {
    const cancelled = opts.cancelOrders ? d.cancelAll(userId, opts.symbol) : []
    const out: CloseAllResult = { closed: [], denied: [], cancelled }
    const open = [...st.positions.values()].filter((p) => opts.symbol === undefined || p.symbol === opts.symbol)
    for (const pos of open) {
      const inst = d.market.instrument(pos.symbol)
      if (!inst) continue
      const side: Side = pos.side === 'long' ? 'sell' : 'buy'
      const quantity = fromUnits(pos.quantity, scalesOf(inst).qtyScale)
      // A close the owner asked for by hand: its round trip ends MANUAL.
      const res = d.submit(userId, { symbol: pos.symbol, side, type: 'market', quantity, origin: 'manual' })
      if (!res.ok) {
        out.denied.push({ positionId: pos.id, symbol: pos.symbol, denial: res.denial })
        continue
      }
      // The ledger books the close on the position object itself.
      const flat = pos.status === 'closed'
      out.closed.push({
        positionId: pos.id,
        symbol: pos.symbol,
        side: pos.side,
        quantity,
        order: res.order,
        realizedPnl: fromAtoms(pos.realizedPnl),
        flat,
      })
    }
    return out
  })
}
