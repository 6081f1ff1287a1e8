import { DomainError } from '../core'

/** The seed's TradingState names. */
export const ENGINE_STATES = [
  'IDLE',
  'INITIALIZING',
  'SCANNING',
  'LEVEL_BUILDING',
  'SIGNAL_WAIT',
  'SIZING',
  'EXECUTION',
  'MANAGING',
  'PAUSED',
  'ERROR',
  'EMERGENCY',
  'STOPPED',
] as const
export type EngineState = (typeof ENGINE_STATES)[number]

/** The seed's SystemCommand names, as `GET /commands` lists them (`emergency-stop` is accepted as an alias). */
export const ENGINE_COMMANDS = ['start', 'stop', 'pause', 'resume', 'reload', 'emergency_stop'] as const
export type EngineCommand = (typeof ENGINE_COMMANDS)[number]

/** Why a transition happened: a command, the trading cycle, a fault, a server restart, or the admin emergency stop. */
export type EngineTrigger = 'command' | 'cycle' | 'error' | 'restart' | 'admin'

/** States in which the cycle runs (the engine trades). */
export const CYCLE_STATES: readonly EngineState[] = ['INITIALIZING', 'SCANNING', 'LEVEL_BUILDING', 'SIGNAL_WAIT', 'SIZING', 'EXECUTION', 'MANAGING']

/**
 * Where `resume` goes: the cycle restarts at SCANNING, or at MANAGING when the engine's account
 * holds a position (the engine decides which; the table names both).
 */
export const RESUME = 'RESUME' as const

type Target = EngineState | typeof RESUME

interface StateRow {
  /** Commands that move the engine to another state. */
  commands: Partial<Record<EngineCommand, Target>>
  /** A command whose target is the current state: accepted as a no-op (no transition row). */
  same?: EngineCommand
  /** Where the cycle (and its faults) may take the engine from here without a command. */
  cycle: readonly EngineState[]
}

const running = (cycle: readonly EngineState[]): StateRow => ({
  commands: { stop: 'STOPPED', pause: 'PAUSED', emergency_stop: 'EMERGENCY' },
  cycle: [...cycle, 'ERROR'],
})

/**
 * THE transition table: for every state, each command's target and the states the cycle may move
 * to. A command missing from a row is invalid there (INVALID_STATE_TRANSITION, with the row's
 * commands as `allowed_commands`); a row's `same` command is the idempotent one (its target is
 * the state itself). Additionally every state but EMERGENCY may be forced to EMERGENCY by the
 * admin emergency stop, and a cycle state found on restart goes to PAUSED (`restart`).
 *
 * - IDLE (no engine yet, or reset): `start` initializes.
 * - cycle states: `stop`, `pause`, `emergency_stop`; `start`/`resume`/`reload` are invalid (one
 *   engine per owner, already running; reload only applies to a halted engine).
 * - PAUSED: `resume` → SCANNING or MANAGING; `pause` again is a no-op.
 * - ERROR: `reload` re-resolves the preset and initializes again; `stop`.
 * - EMERGENCY: only `stop` (→ STOPPED) or `reload` (reset → IDLE); `emergency_stop` again is a no-op.
 * - STOPPED: `start` re-initializes, `reload` resets to IDLE; `stop` again is a no-op.
 * `emergency_stop` is valid everywhere (an emergency stop is never refused).
 */
export const TRANSITIONS: Readonly<Record<EngineState, StateRow>> = {
  IDLE: { commands: { start: 'INITIALIZING', emergency_stop: 'EMERGENCY' }, cycle: [] },
  INITIALIZING: running(['SCANNING', 'MANAGING']),
  SCANNING: running(['LEVEL_BUILDING']),
  LEVEL_BUILDING: running(['SIGNAL_WAIT', 'SCANNING']),
  SIGNAL_WAIT: running(['SIZING', 'SCANNING']),
  SIZING: running(['EXECUTION', 'SCANNING']),
  EXECUTION: running(['MANAGING', 'SCANNING']),
  MANAGING: running(['SCANNING']),
  PAUSED: { commands: { resume: RESUME, stop: 'STOPPED', emergency_stop: 'EMERGENCY' }, same: 'pause', cycle: [] },
  ERROR: { commands: { reload: 'INITIALIZING', stop: 'STOPPED', emergency_stop: 'EMERGENCY' }, cycle: [] },
  EMERGENCY: { commands: { stop: 'STOPPED', reload: 'IDLE' }, same: 'emergency_stop', cycle: [] },
  STOPPED: { commands: { start: 'INITIALIZING', reload: 'IDLE', emergency_stop: 'EMERGENCY' }, same: 'stop', cycle: [] },
}

/** Commands valid in a state (those that change it), in the seed's order. */
export function commandsIn(state: EngineState): EngineCommand[] {
  const row = TRANSITIONS[state]
  return ENGINE_COMMANDS.filter((c) => row.commands[c] !== undefined)
}

/**
 * What a command does in a state: `{ to }` (a state, or RESUME), `{ same: true }` for the
 * idempotent command, or throws INVALID_STATE_TRANSITION naming the state, the command and the
 * allowed commands.
 */
export function commandTarget(state: EngineState, command: EngineCommand): { to: Target; same: false } | { to: EngineState; same: true } {
  const row = TRANSITIONS[state]
  if (row.same === command) return { to: state, same: true }
  const to = row.commands[command]
  if (to === undefined) throw invalidTransition(state, command)
  return { to, same: false }
}

export function invalidTransition(state: EngineState, command: string): DomainError {
  const allowed = commandsIn(state)
  return new DomainError('INVALID_STATE_TRANSITION', `Command "${command}" is not valid in state ${state}; allowed: ${allowed.join(', ') || 'none'}`, {
    state,
    command,
    allowed_commands: allowed,
  })
}

/** Whether the cycle (or a fault) may move the engine from `from` to `to`. */
export function cycleMayMove(from: EngineState, to: EngineState): boolean {
  return TRANSITIONS[from].cycle.includes(to)
}

export const isCycleState = (s: EngineState): boolean => CYCLE_STATES.includes(s)

/** A command name as a client may spell it (`emergency-stop` for the route's spelling), or undefined. */
export function parseCommand(name: string): EngineCommand | undefined {
  const n = name.replace(/-/g, '_').toLowerCase()
  return (ENGINE_COMMANDS as readonly string[]).includes(n) ? (n as EngineCommand) : undefined
}
