export { ExecutionService, type ExecutionOptions } from './execution-service'
export {
  listRoundTrips,
  equityHistory,
  type RoundTrip,
  type RoundTripQuery,
  type EquityPoint,
} from './history'
export { ORDER_STATUSES, TRANSITIONS, TERMINAL, canTransition, transition, IllegalTransitionError, type OrderStatus } from './order-state'
