// The trading engine (seed 003): one engine per owner, a state machine over the seed's states driven
// by commands and a ticked trading cycle on the owner's scanner preset, trading in its own paper
// account. The API layer wires routes and the WS `engine` channel onto EngineService.
export {
  EngineService,
  engineUserId,
  engineOwnerOf,
  LIVE_TRADING_UNAVAILABLE,
  PRESET_NOT_FOUND,
  MAX_ENGINE_SYMBOLS,
  DEFAULT_ENGINE_BALANCE,
  MAX_STEPS_PER_TICK,
  MAX_TRANSITIONS_PAGE,
  type EngineServiceOptions,
} from './engine-service'
export {
  ENGINE_STATES,
  ENGINE_COMMANDS,
  CYCLE_STATES,
  TRANSITIONS,
  RESUME,
  commandsIn,
  commandTarget,
  cycleMayMove,
  isCycleState,
  parseCommand,
  invalidTransition,
  type EngineState,
  type EngineCommand,
  type EngineTrigger,
} from './states'
export { SIGNAL_TIMEOUT_CANDLES } from './cycle'
export { DEFAULT_HEALTH_THRESHOLDS, processProbe, resourceHealth, type ResourceProbe, type ResourceSample } from './resource-health'
export * from './types'
