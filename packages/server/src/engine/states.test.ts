import { describe, expect, it } from 'vitest'
import { DomainError } from '../core'
import { commandsIn, commandTarget, ENGINE_COMMANDS, ENGINE_STATES, parseCommand, RESUME, type EngineCommand, type EngineState } from './states'

const RUNNING = ['INITIALIZING', 'SCANNING', 'LEVEL_BUILDING', 'SIGNAL_WAIT', 'SIZING', 'EXECUTION', 'MANAGING'] as const

/**
 * The expected table, written out independently of states.ts: a state, `same` (the idempotent
 * no-op), or `x` (INVALID_STATE_TRANSITION).
 */
type Cell = EngineState | typeof RESUME | 'same' | 'x'
const runningRow: Record<EngineCommand, Cell> = { start: 'x', stop: 'STOPPED', pause: 'PAUSED', resume: 'x', reload: 'x', emergency_stop: 'EMERGENCY' }
const EXPECTED: Record<EngineState, Record<EngineCommand, Cell>> = {
  IDLE: { start: 'INITIALIZING', stop: 'x', pause: 'x', resume: 'x', reload: 'x', emergency_stop: 'EMERGENCY' },
  ...(Object.fromEntries(RUNNING.map((s) => [s, runningRow])) as Record<(typeof RUNNING)[number], Record<EngineCommand, Cell>>),
  PAUSED: { start: 'x', stop: 'STOPPED', pause: 'same', resume: RESUME, reload: 'x', emergency_stop: 'EMERGENCY' },
  ERROR: { start: 'x', stop: 'STOPPED', pause: 'x', resume: 'x', reload: 'INITIALIZING', emergency_stop: 'EMERGENCY' },
  EMERGENCY: { start: 'x', stop: 'STOPPED', pause: 'x', resume: 'x', reload: 'IDLE', emergency_stop: 'same' },
  STOPPED: { start: 'INITIALIZING', stop: 'same', pause: 'x', resume: 'x', reload: 'IDLE', emergency_stop: 'EMERGENCY' },
}

describe('the engine transition table', () => {
  const pairs = ENGINE_STATES.flatMap((state) => ENGINE_COMMANDS.map((command) => [state, command, EXPECTED[state][command]] as const))

  it.each(pairs)('%s + %s → %s', (state, command, expected) => {
    if (expected === 'x') {
      let err: unknown
      try {
        commandTarget(state, command)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(DomainError)
      const d = err as DomainError
      expect(d.code).toBe('INVALID_STATE_TRANSITION')
      expect(d.details).toEqual({ state, command, allowed_commands: commandsIn(state) })
      expect(d.details.allowed_commands).not.toContain(command)
    } else if (expected === 'same') expect(commandTarget(state, command)).toEqual({ to: state, same: true })
    else expect(commandTarget(state, command)).toEqual({ to: expected, same: false })
  })

  it('commands(state) lists exactly the commands that change the state, in the seed order', () => {
    for (const state of ENGINE_STATES) {
      const want = ENGINE_COMMANDS.filter((c) => !['x', 'same'].includes(EXPECTED[state][c]))
      expect(commandsIn(state)).toEqual(want)
    }
    expect(commandsIn('SCANNING')).toEqual(['stop', 'pause', 'emergency_stop']) // the seed's example
  })

  it('emergency_stop is never refused', () => {
    for (const state of ENGINE_STATES) expect(() => commandTarget(state, 'emergency_stop')).not.toThrow()
  })

  it('parses the route spelling of a command', () => {
    expect(parseCommand('emergency-stop')).toBe('emergency_stop')
    expect(parseCommand('Pause')).toBe('pause')
    expect(parseCommand('launch')).toBeUndefined()
  })
})
