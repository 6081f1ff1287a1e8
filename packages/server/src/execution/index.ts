export { ExecutionService, type ExecutionOptions, type AccountState } from './execution-service'
export type { CloseAllResult, ClosedPosition } from './bulk-actions'
export {
  listRoundTrips,
  pageRoundTrips,
  equityHistory,
  type RoundTrip,
  type RoundTripQuery,
  type EquityPoint,
} from './history'
export { ORDER_STATUSES, TRANSITIONS, TERMINAL, ACTIVE, canTransition, transition, IllegalTransitionError, type OrderStatus } from './order-state'
export { orderView, positionView, tradeView, accountView, type ExitPrices, type PositionContext } from './views'
export { exitReasonOf, type ExitReason, type OrderOrigin } from './exit-reason'
export type { OrderRequest, Denial, SubmitResult, Order, Position, Fill, Account } from './types'
export type { OrderFilter, PositionFilter, TradeFilter } from './queries'
