// Hostile requests generated from the contract and the checks their answers must pass. Used by the
// property-based test of the suite and by `pnpm fuzz` against a running server.
export { listOperations, sampleValue, deref, type Operation, type Param, type Json } from './operations'
export { hostileArbitraries, hostileRequest, WRONG_MEDIA_TYPES, NON_DECIMALS, type HostileKind, type HostileRequest } from './requests'
export { sendHostile, problemsOf, errorCodesOf, type Answer, type Credentials } from './check'
