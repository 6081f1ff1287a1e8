import type { ProtectionsConfig } from '../store'

/** Every protection off: the default of an account that never set any (apart from protections.ts, so limits need not import the event log). */
export const NO_PROTECTIONS: ProtectionsConfig = { cooldown: null, stoploss_guard: null, max_drawdown: null }
