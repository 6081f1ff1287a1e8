import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { atr } from '../analytics/indicators'
import { DomainError } from '../core'
import { closedCandles, floorToStep } from '../market'
import { N, STEP, T0 } from '../scanner/scan/test-markets'
import { roundPriceToTick } from '../strategies/sizing'
import { engineContext, type EngineContext } from './engine.test-helpers'
import { engineUserId } from './engine-service'
import { ENGINE_COMMANDS, ENGINE_STATES, commandsIn, type EngineCommand, type EngineState } from './states'

/** breakout_v1 (15m, trend up, risk 0.6 %, stop 1.5 ATR, target 2R): the planted breakout sizes within the balance. */
const PRESET = 'breakout_v1'
const WALK: EngineState[] = ['INITIALIZING', 'SCANNING', 'LEVEL_BUILDING', 'SIGNAL_WAIT', 'SIZING', 'EXECUTION', 'MANAGING']

function thrown(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (err) {
    if (err instanceof DomainError) return err
    throw err
  }
  throw new Error('expected a DomainError')
}

/** Step the owner's engine until it is in `state` (at most 10 steps). */
async function stepTo(h: EngineContext, owner: string, state: EngineState): Promise<void> {
  for (let i = 0; i < 10 && h.engine.status(owner).state !== state; i++) await h.engine.step(owner)
  expect(h.engine.status(owner).state).toBe(state)
}

/** Bring a new owner's engine into `state` through real commands and steps. */
async function reach(h: EngineContext, owner: string, state: EngineState): Promise<void> {
  const e = h.engine
  if (state === 'IDLE') return
  if (state === 'EMERGENCY') {
    e.emergencyStop(owner)
    return
  }
  e.start({ owner, preset: PRESET })
  if (state === 'STOPPED') e.stop(owner)
  else if (state === 'PAUSED') e.pause(owner)
  else if (state === 'ERROR') {
    h.failing.add(owner)
    await e.step(owner)
    h.failing.delete(owner)
  } else await stepTo(h, owner, state)
  expect(e.status(owner).state).toBe(state)
}

/** The expected result of each command per state (independent of states.ts): a state, `same`, or `x` (400). */
const RUN: Record<EngineCommand, string> = { start: 'x', stop: 'STOPPED', pause: 'PAUSED', resume: 'x', reload: 'x', emergency_stop: 'EMERGENCY' }
const EXPECTED: Record<EngineState, Record<EngineCommand, string>> = {
  IDLE: { start: 'INITIALIZING', stop: 'x', pause: 'x', resume: 'x', reload: 'x', emergency_stop: 'EMERGENCY' },
  INITIALIZING: RUN,
  SCANNING: RUN,
  LEVEL_BUILDING: RUN,
  SIGNAL_WAIT: RUN,
  SIZING: RUN,
  EXECUTION: RUN,
  MANAGING: RUN,
  // Resume from PAUSED (paused right after start: no position) scans again.
  PAUSED: { start: 'x', stop: 'STOPPED', pause: 'same', resume: 'SCANNING', reload: 'x', emergency_stop: 'EMERGENCY' },
  ERROR: { start: 'x', stop: 'STOPPED', pause: 'x', resume: 'x', reload: 'INITIALIZING', emergency_stop: 'EMERGENCY' },
  EMERGENCY: { start: 'x', stop: 'STOPPED', pause: 'x', resume: 'x', reload: 'IDLE', emergency_stop: 'same' },
  STOPPED: { start: 'INITIALIZING', stop: 'same', pause: 'x', resume: 'x', reload: 'IDLE', emergency_stop: 'EMERGENCY' },
}

describe('every (state, command) pair through the service', () => {
  let h: EngineContext
  beforeAll(async () => {
    h = await engineContext()
  })
  afterAll(async () => {
    await h.close()
  })

  const pairs = ENGINE_STATES.flatMap((s) => ENGINE_COMMANDS.map((c) => [s, c, EXPECTED[s][c]!] as const))
  it.each(pairs)('%s + %s → %s', async (state, command, expected) => {
      const owner = `t_${state}_${command}`
      await reach(h, owner, state)
      const before = h.engine.transitions(owner).total_count
      if (expected === 'x') {
        const err = thrown(() => h.engine.command(owner, command, { preset: PRESET }))
        expect(err.code).toBe('INVALID_STATE_TRANSITION')
        expect(err.details).toEqual({ state, command, allowed_commands: commandsIn(state) })
        expect(h.engine.status(owner).state).toBe(state)
        expect(h.engine.transitions(owner).total_count).toBe(before)
        return
      }
      const r = h.engine.command(owner, command, { preset: PRESET })
      expect(r.previous_state).toBe(state)
      if (expected === 'same') {
        expect(r).toMatchObject({ changed: false, state })
        expect(h.engine.transitions(owner).total_count).toBe(before)
      } else {
        expect(r).toMatchObject({ changed: true, state: expected })
        const [last] = h.engine.transitions(owner, { limit: 1 }).transitions
        expect(last).toMatchObject({ from: state, to: expected, command, trigger: 'command' })
        expect(last!.reason.length).toBeGreaterThan(0)
      }
      expect(r.status.commands).toEqual(commandsIn(r.state))
  })
})

describe('engine service', () => {
  // A fresh server per test: engines of one test never trade against another's in the shared book.
  let h: EngineContext
  beforeEach(async () => {
    h = await engineContext()
  })
  afterEach(async () => {
    await h.close()
  })

  it('the same state again is idempotent: pause, stop and emergency_stop twice record one transition each', async () => {
    const e = h.engine
    e.start({ owner: 'idem', preset: PRESET })
    const afterStart = e.transitions('idem').total_count
    expect(e.pause('idem').changed).toBe(true)
    const p2 = e.pause('idem')
    expect(p2).toMatchObject({ changed: false, previous_state: 'PAUSED', state: 'PAUSED' })
    expect(p2.status.state).toBe('PAUSED')
    expect(e.transitions('idem').total_count).toBe(afterStart + 1)
    e.stop('idem')
    expect(e.command('idem', 'stop').changed).toBe(false)
    e.command('idem', 'emergency-stop')
    expect(e.command('idem', 'emergency_stop').changed).toBe(false)
    expect(e.transitions('idem').total_count).toBe(afterStart + 3)
    expect(e.transitions('idem').transitions.map((t) => t.to)).toEqual(['EMERGENCY', 'STOPPED', 'PAUSED', 'INITIALIZING'])
  })

  it('walks SCANNING → LEVEL_BUILDING → SIGNAL_WAIT → SIZING → EXECUTION → MANAGING on the planted breakout and sizes risk × equity / stop distance on the lot', async () => {
    const e = h.engine
    const owner = 'walker'
    const { market, execution } = h.ctx.services
    const entry = market.ticker('BRKUSDT').ask // a long's expected entry, before the engine's own buy takes from the book
    e.start({ owner, preset: PRESET })
    for (let i = 0; i < 6; i++) await e.step(owner)

    const rows = e.transitions(owner).transitions.reverse()
    expect(rows.map((t) => t.to)).toEqual(WALK)
    expect(rows.slice(1).every((t) => t.trigger === 'cycle' && t.command === null)).toBe(true)
    const why = Object.fromEntries(rows.map((t) => [t.to, t.reason]))
    expect(why.LEVEL_BUILDING).toMatch(/BRKUSDT ranked 1 \(score 0\.\d+, up, close 105\).*volume surge: 5\.00×/)
    expect(why.SIGNAL_WAIT).toMatch(/trigger resistance 104\.10 \(\d+ touches\), broken by the last close 105\.00/)
    expect(why.SIZING).toMatch(/breakout confirmed — close 105\.00 above resistance 104\.10 on 5\.00× the average volume/)
    expect(why.EXECUTION).toMatch(/risk 0\.60% × equity 10000\.00 = 60\.00 over a stop distance of \d+\.\d\d \(1\.5 × ATR\(14\)/)
    expect(why.MANAGING).toMatch(/market buy ord_\S+ filled [\d.]+ at [\d.]+; stop loss [\d.]+, take profit [\d.]+/)

    // The size, recomputed from the market: ATR(14) of the closed 15m candles, the ask as the entry.
    const cols = closedCandles(market, 'BRKUSDT', '15m', 300)
    const a = atr(cols.high, cols.low, cols.close, 14)[cols.close.length - 1]!
    const stop = roundPriceToTick(entry - 1.5 * a, 0.01, 'down')
    const distance = entry - stop
    expect(Math.abs(distance - 1.5 * a)).toBeLessThan(0.01)
    const expected = floorToStep((0.006 * 10_000) / distance, 0.001)
    expect(expected).toBeGreaterThan(0)

    const s = e.status(owner)
    expect(s.state).toBe('MANAGING')
    expect(s.signal!.sizing).toMatchObject({ entry, stop_loss: stop, quantity: expected, capped: false, equity: 10_000, risk_amount: 60 })
    expect(s.signal!.sizing!.take_profit).toBeCloseTo(entry + 2 * distance, 2)
    const pos = execution.state(engineUserId(owner)).positions.get('BRKUSDT')!
    expect(s.positions.items).toEqual([expect.objectContaining({ symbol: 'BRKUSDT', side: 'long', quantity: expected })])
    expect(pos.side).toBe('long')
    // The owner's own paper account is untouched.
    expect(execution.state(owner).positions.size).toBe(0)
    expect(s.counters).toMatchObject({ cycles: 1, candidates: 1, signals: 1, orders_placed: 1, positions_opened: 1, errors: 0 })

    // Events for the owner's `engine` channel: an update per transition, the scan, the signal.
    const mine = h.events.filter((ev) => ev.owner === owner)
    expect(mine.filter((ev) => ev.kind === 'engine_update')).toHaveLength(WALK.length)
    expect(mine.find((ev) => ev.kind === 'scan_result')?.data).toMatchObject({ owner, preset: PRESET, total_scanned: 4, passed_filters: 2, rejected_count: 2 })
    expect((mine.find((ev) => ev.kind === 'scan_result')!.data.candidates as { symbol: string }[]).map((c) => c.symbol)).toEqual(['BRKUSDT', 'NEARUSDT'])
    expect(mine.find((ev) => ev.kind === 'signal')?.data).toMatchObject({ owner, symbol: 'BRKUSDT', side: 'long', level: 104.1, close: 105 })
    expect(e.inUse(owner, PRESET)).toBe(true)
    expect(e.inUse(owner, 'balanced')).toBe(false)
    expect(e.inUse('nobody', PRESET)).toBe(false)
  })

  it('tick() runs the whole walk at once and then waits; the position closing (its stop hit) sends it back to SCANNING', async () => {
    const e = h.engine
    const owner = 'ticker'
    e.start({ owner, preset: PRESET })
    await Promise.all([e.tick(), e.tick()]) // overlapping ticks share one run
    expect(e.status(owner).state).toBe('MANAGING')
    await e.tick()
    expect(e.status(owner).state).toBe('MANAGING')

    const stop = e.status(owner).signal!.sizing!.stop_loss
    const { core } = h
    const before = core.prices()
    const forming = T0 + N * STEP
    core.put('BRKUSDT', { time: forming, open: 105, high: 105, low: stop - 1, close: stop - 1, volume: 10 })
    core.emitChanges(before)
    expect(h.ctx.services.execution.state(engineUserId(owner)).positions.size).toBe(0)
    await e.step(owner)
    const s = e.status(owner)
    expect(s.state).toBe('SCANNING')
    expect(s.counters.positions_closed).toBe(1)
    const [last] = e.transitions(owner, { limit: 1 }).transitions
    expect(last).toMatchObject({ from: 'MANAGING', to: 'SCANNING', trigger: 'cycle' })
    expect(last!.reason).toMatch(/^BRKUSDT closed: realized PnL -\d+\.\d\d/)
    // The same breakout candle is not traded twice: SCANNING waits for the next closed candle.
    await e.tick()
    expect(e.status(owner).state).toBe('SCANNING')
  })

  /** Close candle k of `symbol` (k ≥ N) and move the market and the clock 5 minutes into candle k+1. */
  function closeCandle(symbol: string, k: number, close: number, volume: number): void {
    const { core } = h
    const open = core.price(symbol)
    core.put(symbol, { time: T0 + k * STEP, open, high: Math.max(open, close) + 0.1, low: Math.min(open, close) - 0.1, close, volume })
    core.put(symbol, { time: T0 + (k + 1) * STEP, open: close, high: close, low: close, close, volume: 1 })
    core.time = T0 + (k + 1) * STEP + 5 * 60_000
    h.ctx.clock.set(core.time)
  }

  it('SIGNAL_WAIT waits for a close beyond the level on volume, then sizes', async () => {
    const e = h.engine
    const owner = 'near'
    e.start({ owner, preset: PRESET, symbols: ['NEARUSDT'] })
    await e.tick()
    const s = e.status(owner)
    expect(s.state).toBe('SIGNAL_WAIT')
    expect(s.candidate).toMatchObject({ symbol: 'NEARUSDT', direction: 'up', trigger_level: { type: 'resistance', price: 104.1 }, invalidation_level: { type: 'support', price: 99.9 } })
    expect(e.transitions(owner, { limit: 1 }).transitions[0]!.reason).toMatch(/^NEARUSDT: trigger resistance 104\.10 \(\d+ touches\), 0\.19% from the close 103\.90/)
    await e.tick()
    expect(e.status(owner).state).toBe('SIGNAL_WAIT') // nothing closed since
    closeCandle('NEARUSDT', N, 104.0, 1000) // under the level
    await e.step(owner)
    expect(e.status(owner).state).toBe('SIGNAL_WAIT')
    closeCandle('NEARUSDT', N + 1, 104.6, 6000) // through it on volume
    await e.step(owner)
    expect(e.status(owner).state).toBe('SIZING')
    expect(e.status(owner).signal).toMatchObject({ symbol: 'NEARUSDT', side: 'long', level: 104.1, close: 104.6 })
    expect(e.transitions(owner, { limit: 1 }).transitions[0]!.reason).toMatch(/^NEARUSDT: breakout confirmed — close 104\.60 above resistance 104\.10 on \d+\.\d\d× the average volume \(min 1\.5×\)$/)
    await e.tick()
    expect(e.status(owner).state).toBe('MANAGING')
  })

  it('SIGNAL_WAIT drops a setup with no confirmation within the timeout', async () => {
    const e = h.engine
    e.start({ owner: 'slow', preset: PRESET, symbols: ['NEARUSDT'] })
    await e.tick()
    expect(e.status('slow').state).toBe('SIGNAL_WAIT')
    closeCandle('NEARUSDT', N, 104.0, 1000)
    await e.step('slow')
    closeCandle('NEARUSDT', N + 1, 104.05, 1000)
    await e.step('slow')
    expect(e.status('slow').state).toBe('SIGNAL_WAIT')
    closeCandle('NEARUSDT', N + 2, 104.2, 1000) // beyond the level, but on ordinary volume: no confirmation
    await e.step('slow')
    const s = e.status('slow')
    expect(s).toMatchObject({ state: 'SCANNING', candidate: null, counters: { signals: 0, signals_expired: 1 } })
    expect(e.transitions('slow', { limit: 1 }).transitions[0]!.reason).toMatch(/^NEARUSDT: no confirmation within 3 candles/)
  })

  it('a close beyond the invalidation level drops the setup', async () => {
    const e = h.engine
    e.start({ owner: 'inv', preset: PRESET, symbols: ['NEARUSDT'] })
    await e.tick()
    expect(e.status('inv').state).toBe('SIGNAL_WAIT')
    closeCandle('NEARUSDT', N, 99.5, 1000)
    await e.step('inv')
    expect(e.status('inv').state).toBe('SCANNING')
    expect(e.transitions('inv', { limit: 1 }).transitions[0]!.reason).toBe('NEARUSDT: setup invalidated — close 99.50 below support 99.90')
  })

  it('an admin pause makes the entry denied, recorded as such, and the cycle scans again', async () => {
    const e = h.engine
    h.ctx.services.risk.setPaused('global', true, 'maintenance')
    e.start({ owner: 'paused', preset: PRESET })
    await e.tick()
    const s = e.status('paused')
    expect(s).toMatchObject({ state: 'SCANNING', counters: { signals: 1, orders_denied: 1, orders_placed: 0 }, positions: { open: 0 } })
    const [last] = e.transitions('paused', { limit: 1 }).transitions
    expect(last).toMatchObject({ from: 'EXECUTION', to: 'SCANNING', trigger: 'cycle', details: { code: 'TRADING_PAUSED' } })
    expect(last!.reason).toMatch(/^BRKUSDT: order denied — TRADING_PAUSED: /)
  })

  it('emergency-stop cancels only the engine account orders and closes only its positions', async () => {
    const e = h.engine
    const { execution } = h.ctx.services
    const owner = 'alice'
    // The owner's own account: a resting limit order and an open position.
    const limit = execution.submit(owner, { symbol: 'CALMUSDT', side: 'buy', type: 'limit', price: 90, quantity: 1 })
    const market = execution.submit(owner, { symbol: 'CALMUSDT', side: 'buy', type: 'market', quantity: 1 })
    expect(limit.ok && market.ok).toBe(true)
    e.start({ owner, preset: PRESET })
    e.start({ owner: 'bob', preset: PRESET })
    await e.tick()
    expect(e.status(owner).state).toBe('MANAGING')
    expect(e.status('bob').state).toBe('MANAGING')
    const acc = e.status(owner).paper_account_id!
    expect(execution.queries.listOrders(acc, { status: 'open', limit: 10, offset: 0 }).total).toBeGreaterThan(0) // the linked stop loss / take profit

    const r = e.emergencyStop(owner, 'test')
    expect(r).toMatchObject({ changed: true, previous_state: 'MANAGING', state: 'EMERGENCY' })
    expect(r.status.commands).toEqual(['stop', 'reload'])
    expect(execution.state(engineUserId(owner)).positions.size).toBe(0)
    expect(execution.queries.listOrders(acc, { status: 'open', limit: 10, offset: 0 }).total).toBe(0)
    const [last] = e.transitions(owner, { limit: 1 }).transitions
    expect(last).toMatchObject({ to: 'EMERGENCY', command: 'emergency_stop', trigger: 'command', details: { positions_closed: 1, positions_open: 0 } })
    expect(last!.reason).toMatch(/^emergency stop: test; cancelled \d+ open order\(s\), closed 1 position\(s\)$/)

    // The owner's own account and the other owner's engine are untouched.
    const ownAcc = execution.accountIdOf(owner)
    expect(execution.state(owner).positions.has('CALMUSDT')).toBe(true)
    expect(execution.order(owner, limit.ok ? limit.order.id : '')!.status).toBe('new')
    expect(execution.queries.listOrders(ownAcc, { status: 'open', limit: 10, offset: 0 }).total).toBe(1)
    expect(e.status('bob').state).toBe('MANAGING')
    expect(execution.state(engineUserId('bob')).positions.size).toBe(1)

    // The admin emergency stop forces every other engine to EMERGENCY (trigger admin).
    const forced = e.forceEmergency('admin drill')
    expect(forced.engines).toContain('bob')
    expect(forced.engines).not.toContain(owner)
    expect(e.status('bob').state).toBe('EMERGENCY')
    expect(execution.state(engineUserId('bob')).positions.size).toBe(0)
    expect(e.transitions('bob', { limit: 1 }).transitions[0]).toMatchObject({ to: 'EMERGENCY', trigger: 'admin', command: null })
    expect(e.owners().every((o) => e.status(o).state === 'EMERGENCY')).toBe(true)
  })

  it('refuses live mode, an unknown preset, a bad mode and bad symbols without changing anything', () => {
    const e = h.engine
    const live = thrown(() => e.start({ owner: 'carol', preset: PRESET, mode: 'live' }))
    expect(live.code).toBe('LIVE_TRADING_UNAVAILABLE')
    expect(live.details).toMatchObject({ field: 'mode', available_modes: ['paper'] })
    const unknown = thrown(() => e.start({ owner: 'carol', preset: 'no_such_preset' }))
    expect(unknown.code).toBe('PRESET_NOT_FOUND')
    expect(unknown.details).toMatchObject({ field: 'preset', preset: 'no_such_preset' })
    expect(thrown(() => e.start({ owner: 'carol', preset: PRESET, mode: 'demo' })).details.field).toBe('mode')
    expect(thrown(() => e.start({ owner: 'carol', preset: PRESET, symbols: ['BRKUSDT', 'NOPE'] }))).toMatchObject({ code: 'INVALID_SYMBOL', details: { field: 'symbols.1' } })
    expect(thrown(() => e.start({ owner: 'carol', preset: PRESET, symbols: [] })).details.field).toBe('symbols')
    expect(thrown(() => e.command('carol', 'launch')).details.field).toBe('command')
    expect(e.status('carol')).toMatchObject({ state: 'IDLE', preset: null, since: null, commands: ['start', 'emergency_stop'] })
    expect(e.transitions('carol').total_count).toBe(0)
    expect(e.owners()).not.toContain('carol')
  })

  it('one engine per owner: start while it runs is INVALID_STATE_TRANSITION naming the allowed commands', () => {
    const e = h.engine
    e.start({ owner: 'dave', preset: PRESET, symbols: ['brkusdt'] })
    expect(e.status('dave').symbols).toEqual(['BRKUSDT'])
    const err = thrown(() => e.start({ owner: 'dave', preset: 'balanced' }))
    expect(err.code).toBe('INVALID_STATE_TRANSITION')
    expect(err.details).toEqual({ state: 'INITIALIZING', command: 'start', allowed_commands: ['stop', 'pause', 'emergency_stop'] })
    expect(e.commands('dave')).toMatchObject({ commands: ['stop', 'pause', 'emergency_stop'], current_state: 'INITIALIZING' })
  })

  it('a fault in a step goes to ERROR with its reason, counts in resource health, and reload recovers', async () => {
    const e = h.engine
    e.start({ owner: 'erin', preset: PRESET })
    h.failing.add('erin')
    await e.step('erin')
    h.failing.delete('erin')
    const s = e.status('erin')
    expect(s.state).toBe('ERROR')
    expect(s.last_error?.message).toBe('preset store unavailable for erin')
    expect(e.transitions('erin', { limit: 1 }).transitions[0]).toMatchObject({ from: 'INITIALIZING', to: 'ERROR', trigger: 'error' })
    expect(e.resourceHealth('erin').engine_errors_last_hour).toBe(1)
    expect(e.reload('erin').state).toBe('INITIALIZING')
    await e.step('erin')
    expect(e.status('erin').state).toBe('SCANNING')
  })

  it('a throwing event listener never fails a command or a step', async () => {
    const e = h.reopen({
      onEvent: () => {
        throw new Error('listener down')
      },
    })
    e.start({ owner: 'frank', preset: PRESET })
    await e.tick()
    expect(e.status('frank').state).toBe('MANAGING')
  })
})

describe('resource health', () => {
  it('is healthy, warning or error from measured values, naming the issues', async () => {
    const sample = { eventLoop: { mean: 5, p50: 4, p99: 20, max: 30 }, rssBytes: 200 * 1024 * 1024, heapUsedBytes: 50 * 1024 * 1024, totalMemoryBytes: 8 * 1024 ** 3 }
    const h = await engineContext({ engine: { probe: () => sample } })
    try {
      const ok = h.engine.resourceHealth()
      expect(ok).toMatchObject({ status: 'healthy', issues: [], memory_used_mb: 200, heap_used_mb: 50, engine_errors_last_hour: 0, event_loop_delay_ms: sample.eventLoop })
      sample.eventLoop = { ...sample.eventLoop, p99: 150 }
      const warn = h.engine.resourceHealth()
      expect(warn.status).toBe('warning')
      expect(warn.issues).toEqual([expect.objectContaining({ metric: 'event_loop_delay', severity: 'warning', value: 150, threshold: 100 })])
      sample.rssBytes = 3000 * 1024 * 1024
      const err = h.engine.resourceHealth()
      expect(err.status).toBe('error')
      expect(err.issues.map((i) => [i.metric, i.severity])).toEqual([
        ['event_loop_delay', 'warning'],
        ['memory', 'error'],
      ])
    } finally {
      await h.close()
    }
  })

  it('measures the process by default (perf_hooks event-loop delay, RSS)', async () => {
    const h = await engineContext()
    try {
      await new Promise((r) => setTimeout(r, 60))
      const r = h.engine.resourceHealth()
      expect(r.memory_used_mb).toBeGreaterThan(10)
      expect(r.event_loop_delay_ms.max).toBeGreaterThanOrEqual(0)
      expect(['healthy', 'warning', 'error']).toContain(r.status)
    } finally {
      await h.close()
    }
  })
})

describe('restart', () => {
  it('a running engine comes back PAUSED with its preset, mode, owner, symbols and history; resume manages its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-restart-'))
    const env = { DATABASE_URL: join(dir, 'smc.db') }
    try {
      const first = await engineContext({ env })
      first.engine.start({ owner: 'gina', preset: PRESET, symbols: ['BRKUSDT', 'CALMUSDT'] })
      await first.engine.tick()
      first.engine.start({ owner: 'hal', preset: 'balanced' })
      first.engine.stop('hal')
      const before = first.engine.status('gina')
      expect(before.state).toBe('MANAGING')
      const history = first.engine.transitions('gina').total_count
      await first.close()

      const second = await engineContext({ env })
      try {
        const e = second.engine
        const s = e.status('gina')
        expect(s).toMatchObject({ owner: 'gina', state: 'PAUSED', previous_state: 'MANAGING', preset: PRESET, mode: 'paper', symbols: ['BRKUSDT', 'CALMUSDT'], started_at: before.started_at })
        expect(s.counters).toEqual(before.counters)
        expect(s.signal).toEqual(before.signal)
        expect(s.positions.open).toBe(1)
        const t = e.transitions('gina')
        expect(t.total_count).toBe(history + 1)
        expect(t.transitions[0]).toMatchObject({ from: 'MANAGING', to: 'PAUSED', trigger: 'restart', reason: 'server restarted while MANAGING: paused; resume to continue' })
        expect(e.inUse('gina', PRESET)).toBe(true)
        // A stopped engine stays stopped.
        expect(e.status('hal')).toMatchObject({ state: 'STOPPED', preset: 'balanced' })
        expect(e.transitions('hal').total_count).toBe(2)
        expect(e.resume('gina').state).toBe('MANAGING')
        await e.tick()
        expect(e.status('gina').state).toBe('MANAGING')
      } finally {
        await second.close()
      }
    } finally {
      // Best effort: the store's checkpoint worker may still be closing its handle on the file.
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })
      } catch {
        // left to the OS's temp cleanup
      }
    }
  })
})
