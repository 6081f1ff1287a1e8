import { DomainError, fromAtoms, idFactory, toAtoms, type Clock, type ErrorCode, type IdFactory } from '../core'
import { positionView, type ExecutionService, type OrderOrigin } from '../execution'
import type { ExecutionStore } from '../executions/store'
import type { MarketData } from '../market'
import { LiveRun } from '../runner/live-run'
import type { RiskService } from '../risk'
import type { Preset, PresetService } from '../scanner'
import {
  SqliteAccountRepository,
  SqliteEngineRepository,
  unitOfWork,
  type AccountRepository,
  type Db,
  type EngineRepository,
  type EngineRow,
  type UnitOfWork,
} from '../store'
import { advance, SIGNAL_TIMEOUT_CANDLES, type CycleDeps, type StepOutcome } from './cycle'
import { DEFAULT_HEALTH_THRESHOLDS, processProbe, resourceHealth, type ResourceProbe } from './resource-health'
import {
  commandsIn,
  commandTarget,
  cycleMayMove,
  isCycleState,
  parseCommand,
  type EngineCommand,
  type EngineState,
  type EngineTrigger,
} from './states'
import type {
  EngineCommandResult,
  EngineCommandsView,
  EngineContext,
  EngineCounters,
  EngineEventKind,
  EngineEventSink,
  EngineMode,
  EnginePositionSummary,
  EngineStatus,
  EngineTransitionView,
  HealthThresholds,
  ResourceHealth,
  StartEngineInput,
} from './types'

export const LIVE_TRADING_UNAVAILABLE: ErrorCode = 'LIVE_TRADING_UNAVAILABLE'
export const PRESET_NOT_FOUND: ErrorCode = 'PRESET_NOT_FOUND'

/** The paper-trading user id an owner's engine trades under: its ledger, risk limits and events are its own. */
export const engineUserId = (owner: string): string => `engine:${owner}`
/** The owner behind an engine's synthetic user id, or undefined for any other user id. */
export const engineOwnerOf = (userId: string | undefined): string | undefined =>
  userId !== undefined && userId.startsWith('engine:') ? userId.slice(7) : undefined

/** Most symbols one engine scans. */
export const MAX_ENGINE_SYMBOLS = 50
/** Opening balance of an engine's paper account when none is configured. */
export const DEFAULT_ENGINE_BALANCE = 10_000
/** Most transitions one engine makes in one tick (a whole walk SCANNING → MANAGING is 6). */
export const MAX_STEPS_PER_TICK = 8
export const MAX_TRANSITIONS_PAGE = 500

export interface EngineServiceOptions {
  db: Db
  clock: Clock
  market: MarketData
  execution: ExecutionService
  risk: RiskService
  /** Presets as their owner sees them; `resolve` throws NOT_FOUND for an unknown name. */
  presets: Pick<PresetService, 'resolve'>
  /** Whether a symbol is enabled (settings); default every listed symbol. */
  isSymbolEnabled?: (symbol: string) => boolean
  /** Opening balance of an engine's paper account (quote currency); default {@link DEFAULT_ENGINE_BALANCE}. */
  initialBalance?: number
  currency?: string
  /** The paper exchange's taker fee (env PAPER_TAKER_FEE_BPS), for capping entries by the free balance. Default 10. */
  takerFeeBps?: number
  /** `engine_update` (every transition), `signal`, `scan_result`, addressed to the engine's owner. */
  onEvent?: EngineEventSink
  repo?: EngineRepository
  ids?: IdFactory
  signalTimeoutCandles?: number
  /** Measures for {@link EngineService.resourceHealth}; default the process's own (perf_hooks, memoryUsage). */
  probe?: ResourceProbe
  healthThresholds?: Partial<HealthThresholds>
  /**
   * The executions store (seed 004): every start is a `trading` execution (an event per transition,
   * fills, round trips, equity per tick with a fill or per minute, checkpoints), `stopped` on stop
   * or emergency stop.
   */
  executions?: ExecutionStore
  /** Equity points between two metrics checkpoints of the live execution (default 10). */
  checkpointEvery?: number
  /** Told when recording into an execution fails (the engine goes on). */
  onExecutionError?: (err: unknown, owner: string) => void
}

/** One owner's engine in memory. */
interface Engine {
  row: EngineRow
  ctx: EngineContext
  /** Resolved preset (null until needed after a restart). */
  preset: Preset | null
  /** The context as last saved (JSON): a step that changed nothing writes nothing. */
  saved: string
  busy: boolean
}

const iso = (t: number): string => new Date(t).toISOString()

const freshCounters = (): EngineCounters => ({
  cycles: 0,
  candidates: 0,
  signals: 0,
  signals_expired: 0,
  orders_placed: 0,
  orders_denied: 0,
  positions_opened: 0,
  positions_closed: 0,
  errors: 0,
})

function freshContext(taken: Record<string, number> = {}): EngineContext {
  return { counters: freshCounters(), candidate: null, signal: null, last_scan: null, last_error: null, taken, realized_at_entry: null }
}

/** A stored context, whatever its age, with every field present. */
function contextOf(stored: Record<string, unknown>): EngineContext {
  const base = freshContext()
  const s = stored as Partial<EngineContext>
  return {
    ...base,
    ...s,
    counters: { ...base.counters, ...(s.counters ?? {}) },
    taken: { ...(s.taken ?? {}) },
  }
}

const invalid = (field: string, message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { field, ...details })

/**
 * The trading engine of seed 003, one per owner: a state machine over IDLE … STOPPED (see
 * states.ts, the single transition table) driven by commands and by a tick that runs the cycle
 * SCANNING → LEVEL_BUILDING → SIGNAL_WAIT → SIZING → EXECUTION → MANAGING on the owner's preset
 * (cycle.ts). Every state change is stored with its reason (engine_transitions) together with the
 * engine's state (engines), in one transaction.
 *
 * - One engine per owner: `start` while it runs is INVALID_STATE_TRANSITION.
 * - It trades in its own paper account under the synthetic user `engine:<owner>` (opened at the
 *   first start with `initialBalance`), through the same execution and risk modules as the
 *   owner's orders, so its orders, fills and positions are never the owner's.
 * - `stop` and `emergency_stop` close the engine account's positions at market and cancel its open
 *   orders (that account only); `pause` leaves them (their stop loss and take profit stay active).
 * - Restart: the constructor loads every stored engine; one found in a cycle state (it was
 *   running) goes to PAUSED with a `restart` transition — `resume` continues (MANAGING when its
 *   account holds a position, else SCANNING). Other states are kept as they were.
 */
export class EngineService {
  private readonly engines = new Map<string, Engine>()
  private readonly repo: EngineRepository
  private readonly accounts: AccountRepository
  private readonly uow: UnitOfWork
  private readonly ids: IdFactory
  private readonly deps: CycleDeps
  private readonly probe: ResourceProbe
  private readonly closeProbe: () => void
  private readonly thresholds: HealthThresholds
  private readonly initialBalance: number
  /** Events of the running step, sent once it is done (a listener never sees a half-made step). */
  private pending: { kind: EngineEventKind; data: Record<string, unknown>; owner: string }[] | null = null
  private ticking: Promise<void> | null = null
  /** Owner of the engine being stepped. */
  private stepping = ''
  private timer: NodeJS.Timeout | null = null
  /** Each running engine's live execution, and the minute of its last equity point. */
  private readonly runs = new Map<string, { run: LiveRun; minute: number }>()

  constructor(private readonly o: EngineServiceOptions) {
    this.repo = o.repo ?? new SqliteEngineRepository(o.db)
    this.accounts = new SqliteAccountRepository(o.db)
    this.uow = unitOfWork(o.db)
    this.ids = o.ids ?? idFactory()
    this.initialBalance = o.initialBalance ?? DEFAULT_ENGINE_BALANCE
    this.thresholds = { ...DEFAULT_HEALTH_THRESHOLDS, ...(o.healthThresholds ?? {}) }
    if (o.probe) {
      this.probe = o.probe
      this.closeProbe = () => {}
    } else {
      const p = processProbe()
      this.probe = p.probe
      this.closeProbe = p.close
    }
    this.deps = {
      clock: o.clock,
      market: o.market,
      execution: o.execution,
      ids: this.ids,
      takerFeeBps: o.takerFeeBps ?? 10,
      signalTimeoutCandles: o.signalTimeoutCandles ?? SIGNAL_TIMEOUT_CANDLES,
      // The cycle's events name the engine being stepped.
      emit: (kind, data) => this.emit(kind, { owner: this.stepping, ...data }, this.stepping),
    }
    for (const row of this.repo.all()) {
      const e: Engine = { row, ctx: contextOf(row.context), preset: null, saved: JSON.stringify(row.context), busy: false }
      this.engines.set(row.ownerId, e)
      const state = row.state as EngineState
      if (isCycleState(state))
        this.move(e, 'PAUSED', { trigger: 'restart', command: null, reason: `server restarted while ${state}: paused; resume to continue`, details: { state } })
    }
  }

  // ---- commands -----------------------------------------------------------------------------

  /**
   * Run a command by name (`start`, `stop`, `pause`, `resume`, `reload`, `emergency_stop` or
   * `emergency-stop`). `start` needs `input.preset`. @throws DomainError VALIDATION_FAILED for an
   * unknown command, INVALID_STATE_TRANSITION (details: state, command, allowed_commands), and
   * what `start`/`reload` throw.
   */
  command(owner: string, name: string, input: Partial<Omit<StartEngineInput, 'owner'>> & { reason?: string } = {}): EngineCommandResult {
    const command = parseCommand(name)
    if (!command) throw invalid('command', `Unknown engine command "${String(name).slice(0, 64)}"`, { allowed: ['start', 'stop', 'pause', 'resume', 'reload', 'emergency_stop'] })
    switch (command) {
      case 'start':
        return this.start({ owner, preset: input.preset as string, mode: input.mode, symbols: input.symbols })
      case 'stop':
        return this.stop(owner, input.reason)
      case 'pause':
        return this.pause(owner, input.reason)
      case 'resume':
        return this.resume(owner)
      case 'reload':
        return this.reload(owner)
      case 'emergency_stop':
        return this.emergencyStop(owner, input.reason)
    }
  }

  /**
   * Start the owner's engine (IDLE or STOPPED → INITIALIZING).
   * @throws DomainError LIVE_TRADING_UNAVAILABLE (`mode: live`), VALIDATION_FAILED (`details.field`:
   *   mode, preset, symbols[.i]), INVALID_STATE_TRANSITION (already running, paused, …),
   *   PRESET_NOT_FOUND (a name the owner does not see), INVALID_SYMBOL.
   */
  start(input: StartEngineInput): EngineCommandResult {
    const { owner } = input
    const mode = input.mode ?? 'paper'
    if (mode === 'live')
      throw new DomainError(LIVE_TRADING_UNAVAILABLE, 'Live trading is not available: the engine trades on paper only', { field: 'mode', mode, available_modes: ['paper'] })
    if (mode !== 'paper') throw invalid('mode', 'mode must be "paper" or "live"', { allowed: ['paper', 'live'] })
    const e = this.engineOf(owner)
    const from = e.row.state as EngineState
    commandTarget(from, 'start')
    const preset = this.resolvePreset(owner, input.preset)
    const symbols = this.validSymbols(input.symbols)
    const now = this.o.clock.now()
    const paperAccountId = this.openAccount(engineUserId(owner), now)
    e.row = { ...e.row, preset: preset.name, mode: mode as EngineMode, symbols, paperAccountId, startedAt: now }
    e.ctx = freshContext(e.ctx.taken)
    e.preset = preset
    this.startRun(owner, preset.name, symbols)
    this.move(e, 'INITIALIZING', {
      trigger: 'command',
      command: 'start',
      reason: `started with preset ${preset.name} in ${mode} mode over ${symbols.length} symbols`,
      details: { preset: preset.name, mode, symbols },
    })
    return this.result(e, 'start', from, `Engine started with preset '${preset.name}' in ${mode} mode`)
  }

  /** Stop: close the engine account's positions, cancel its orders → STOPPED (again when stopped: no-op). */
  stop(owner: string, reason?: string): EngineCommandResult {
    const e = this.engineOf(owner)
    const from = e.row.state as EngineState
    if (commandTarget(from, 'stop').same) return this.result(e, 'stop', from, 'Engine is already stopped', false)
    const flat = this.flatten(e, 'engine stopped', 'manual')
    e.ctx.candidate = null
    e.ctx.signal = null
    this.move(e, 'STOPPED', {
      trigger: 'command',
      command: 'stop',
      reason: `stopped${reason ? `: ${reason}` : ''}; ${flatText(flat)}`,
      details: { ...flat, ...(reason ? { requested_reason: reason } : {}) },
    })
    return this.result(e, 'stop', from, 'Engine stopped successfully')
  }

  /** Pause the cycle (positions and their exits stay) → PAUSED (again when paused: no-op). */
  pause(owner: string, reason?: string): EngineCommandResult {
    const e = this.engineOf(owner)
    const from = e.row.state as EngineState
    if (commandTarget(from, 'pause').same) return this.result(e, 'pause', from, 'Engine is already paused', false)
    this.move(e, 'PAUSED', { trigger: 'command', command: 'pause', reason: `paused in ${from}${reason ? `: ${reason}` : ''}`, details: { state: from } })
    return this.result(e, 'pause', from, 'Engine paused')
  }

  /** PAUSED → MANAGING when the engine account holds a position, else SCANNING (a new scan at once). */
  resume(owner: string): EngineCommandResult {
    const e = this.engineOf(owner)
    const from = e.row.state as EngineState
    commandTarget(from, 'resume')
    const open = this.openPositions(e)
    const to: EngineState = open.length > 0 ? 'MANAGING' : 'SCANNING'
    if (to === 'SCANNING') {
      // A position of the cycle's that closed while paused (its stop or target hit) counts as closed.
      if (e.ctx.realized_at_entry !== null) {
        e.ctx.counters.positions_closed++
        e.ctx.realized_at_entry = null
      }
      e.ctx.candidate = null
      e.ctx.signal = null
      if (e.ctx.last_scan) e.ctx.last_scan.boundary = -1
    } else e.ctx.realized_at_entry ??= this.realized(e)
    this.move(e, to, {
      trigger: 'command',
      command: 'resume',
      reason: open.length > 0 ? `resumed: managing ${open.length} open position(s) (${open.join(', ')})` : 'resumed: no open position, scanning',
      details: { open_positions: open },
    })
    return this.result(e, 'resume', from, 'Engine resumed')
  }

  /**
   * ERROR → INITIALIZING with the preset resolved again (PRESET_NOT_FOUND when it is gone);
   * STOPPED or EMERGENCY → IDLE (reset: counters and the cycle's context cleared).
   */
  reload(owner: string): EngineCommandResult {
    const e = this.engineOf(owner)
    const from = e.row.state as EngineState
    const t = commandTarget(from, 'reload')
    if (t.to === 'INITIALIZING') {
      const preset = this.resolvePreset(owner, e.row.preset ?? '')
      e.preset = preset
      e.ctx.candidate = null
      e.ctx.signal = null
      this.move(e, 'INITIALIZING', { trigger: 'command', command: 'reload', reason: `reloaded preset ${preset.name} after ${from}`, details: { preset: preset.name } })
      return this.result(e, 'reload', from, `Engine reloaded with preset '${preset.name}'`)
    }
    e.ctx = freshContext(e.ctx.taken)
    e.preset = null
    this.move(e, 'IDLE', { trigger: 'command', command: 'reload', reason: `reset from ${from} to IDLE`, details: {} })
    return this.result(e, 'reload', from, 'Engine reset')
  }

  /**
   * Emergency stop of one owner's engine: cancel only its account's open orders and close its
   * positions at market → EMERGENCY (valid in every state; again in EMERGENCY: no-op).
   */
  emergencyStop(owner: string, reason?: string): EngineCommandResult {
    const e = this.engineOf(owner)
    const from = e.row.state as EngineState
    if (commandTarget(from, 'emergency_stop').same) return this.result(e, 'emergency_stop', from, 'Engine is already in EMERGENCY', false)
    this.emergency(e, 'command', reason ?? 'emergency stop requested')
    return this.result(e, 'emergency_stop', from, 'Engine emergency-stopped')
  }

  /**
   * The admin emergency stop: every stored engine not already in EMERGENCY is forced there (its
   * account's orders cancelled and positions closed, trigger `admin`). Call it before the global
   * pause or after; closing orders are never refused by a pause.
   */
  forceEmergency(reason: string): { engines: string[]; orders_cancelled: number; positions_closed: number; positions_open: number } {
    const out = { engines: [] as string[], orders_cancelled: 0, positions_closed: 0, positions_open: 0 }
    for (const e of this.engines.values()) {
      if (e.row.state === 'EMERGENCY') continue
      const flat = this.emergency(e, 'admin', reason)
      out.engines.push(e.row.ownerId)
      out.orders_cancelled += flat.orders_cancelled
      out.positions_closed += flat.positions_closed
      out.positions_open += flat.positions_open
    }
    return out
  }

  private emergency(e: Engine, trigger: EngineTrigger, reason: string): Flat {
    const flat = this.flatten(e, `engine emergency stop: ${reason}`, 'emergency_stop')
    e.ctx.candidate = null
    e.ctx.signal = null
    this.move(e, 'EMERGENCY', {
      trigger,
      command: trigger === 'command' ? 'emergency_stop' : null,
      reason: `emergency stop${trigger === 'admin' ? ' (admin)' : ''}: ${reason}; ${flatText(flat)}`,
      details: { ...flat, requested_reason: reason },
    })
    return flat
  }

  // ---- the cycle ----------------------------------------------------------------------------

  /**
   * Step every running engine until it waits (at most {@link MAX_STEPS_PER_TICK} transitions
   * each), yielding to the event loop between engines. A tick while one runs returns the running
   * one's promise (ticks never overlap).
   */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking
    this.ticking = (async () => {
      try {
        for (const e of [...this.engines.values()]) {
          for (let i = 0; i < MAX_STEPS_PER_TICK && this.stepOnce(e); i++);
          await new Promise<void>((r) => setImmediate(r))
        }
      } finally {
        this.ticking = null
      }
    })()
    return this.ticking
  }

  /** One step of one owner's engine (at most one transition); its status afterwards. */
  async step(owner: string): Promise<EngineStatus> {
    const e = this.engines.get(owner)
    if (e) this.stepOnce(e)
    return this.status(owner)
  }

  /** Tick every `intervalMs` on an unref'd timer (until {@link close}). */
  schedule(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = setInterval(() => void this.tick(), intervalMs)
    this.timer.unref()
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.closeProbe()
  }

  /** Run the work of the engine's state; true when it moved. */
  private stepOnce(e: Engine): boolean {
    const state = e.row.state as EngineState
    if (!isCycleState(state) || e.busy) return false
    e.busy = true
    this.pending = []
    this.stepping = e.row.ownerId
    let moved = false
    try {
      let out: StepOutcome | null
      try {
        if (state === 'INITIALIZING') e.preset = null
        const preset = this.presetOf(e)
        out = advance(this.deps, { owner: e.row.ownerId, userId: engineUserId(e.row.ownerId), preset, symbols: e.row.symbols, ctx: e.ctx }, state)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        e.ctx.counters.errors++
        e.ctx.last_error = { message, at: iso(this.o.clock.now()) }
        e.ctx.candidate = null
        e.ctx.signal = null
        out = { to: 'ERROR', reason: `${state} failed: ${message}`, details: { state, ...(err instanceof DomainError ? { code: err.code, error: err.details } : {}) } }
      }
      if (!this.runs.has(e.row.ownerId)) this.startRun(e.row.ownerId, e.row.preset ?? 'engine', e.row.symbols)
      if (out === null) this.saveIfChanged(e)
      else {
        this.move(e, out.to, { trigger: out.to === 'ERROR' ? 'error' : 'cycle', command: null, reason: out.reason, details: out.details })
        moved = true
      }
      this.syncRun(e.row.ownerId)
    } finally {
      e.busy = false
      const events = this.pending
      this.pending = null
      for (const ev of events) this.send(ev.kind, ev.data, ev.owner)
    }
    return moved
  }

  private presetOf(e: Engine): Preset {
    e.preset ??= this.resolvePreset(e.row.ownerId, e.row.preset ?? '')
    return e.preset
  }

  // ---- reads --------------------------------------------------------------------------------

  /** The owner's engine status (IDLE with no preset for an owner who never started one). */
  status(owner: string): EngineStatus {
    const e = this.engines.get(owner) ?? this.virtual(owner)
    const stored = this.engines.has(owner)
    const state = e.row.state as EngineState
    const ls = e.ctx.last_scan
    return {
      owner,
      state,
      previous_state: (e.row.previousState as EngineState | null) ?? null,
      preset: e.row.preset,
      mode: e.row.mode as EngineMode,
      symbols: [...e.row.symbols],
      since: stored ? iso(e.row.since) : null,
      started_at: e.row.startedAt === null ? null : iso(e.row.startedAt),
      updated_at: stored ? iso(e.row.updatedAt) : null,
      user_id: engineUserId(owner),
      paper_account_id: e.row.paperAccountId,
      commands: commandsIn(state),
      counters: { ...e.ctx.counters },
      candidate: e.ctx.candidate ? structuredClone(e.ctx.candidate) : null,
      signal: e.ctx.signal ? structuredClone(e.ctx.signal) : null,
      last_scan: ls ? { scan_id: ls.scan_id, at: ls.at, candle_time: ls.candle_time, total_scanned: ls.total_scanned, passed_filters: ls.passed_filters } : null,
      last_error: e.ctx.last_error,
      positions: this.positionSummary(e),
    }
  }

  /** Commands valid in the owner's engine's current state. */
  commands(owner: string): EngineCommandsView {
    const state = (this.engines.get(owner)?.row.state ?? 'IDLE') as EngineState
    return { commands: commandsIn(state), current_state: state, timestamp: iso(this.o.clock.now()) }
  }

  /** The owner's transition history, newest first (`limit` 1…500, default 50; `before`: an id to page back from). */
  transitions(owner: string, q: { limit?: number; before?: number } = {}): { transitions: EngineTransitionView[]; total_count: number } {
    const limit = q.limit ?? 50
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TRANSITIONS_PAGE) throw invalid('limit', `limit must be an integer from 1 to ${MAX_TRANSITIONS_PAGE}`)
    const rows = this.repo.transitions(owner, { limit, beforeSeq: q.before })
    return {
      transitions: rows.map((r) => ({
        id: r.seq,
        from: r.fromState as EngineState,
        to: r.toState as EngineState,
        command: r.command as EngineCommand | null,
        trigger: r.trigger as EngineTrigger,
        reason: r.reason,
        details: r.details,
        at: iso(r.at),
      })),
      total_count: this.repo.countTransitions(owner),
    }
  }

  /** Seed 003's resource health from measured values (errors: the owner's engine, or every engine). */
  resourceHealth(owner?: string): ResourceHealth {
    const now = this.o.clock.now()
    const errors = this.repo.countInto('ERROR', now - 3_600_000, owner)
    let running = 0
    for (const e of this.engines.values()) if (isCycleState(e.row.state as EngineState)) running++
    return resourceHealth(this.probe(), errors, { total: this.engines.size, running }, this.thresholds, now)
  }

  /** PresetService's PRESET_IN_USE hook: the owner's engine runs (or is paused) with that preset. */
  inUse(owner: string, presetName: string): boolean {
    const e = this.engines.get(owner)
    if (!e || e.row.preset !== presetName) return false
    const s = e.row.state as EngineState
    return isCycleState(s) || s === 'PAUSED'
  }

  /** Owners of stored engines (any state). */
  owners(): string[] {
    return [...this.engines.keys()]
  }

  // ---- helpers ------------------------------------------------------------------------------

  private virtual(owner: string): Engine {
    const now = this.o.clock.now()
    return {
      row: {
        ownerId: owner,
        state: 'IDLE',
        previousState: null,
        preset: null,
        mode: 'paper',
        symbols: [],
        paperAccountId: this.accounts.byUserId(engineUserId(owner))?.id ?? null,
        since: now,
        startedAt: null,
        context: {},
        createdAt: now,
        updatedAt: now,
      },
      ctx: freshContext(),
      preset: null,
      saved: '',
      busy: false,
    }
  }

  /** The stored engine of an owner, or a new one in IDLE (stored at its first transition). */
  private engineOf(owner: string): Engine {
    if (typeof owner !== 'string' || owner.length === 0) throw invalid('owner', 'owner is required')
    return this.engines.get(owner) ?? this.virtual(owner)
  }

  private move(e: Engine, to: EngineState, how: { trigger: EngineTrigger; command: EngineCommand | null; reason: string; details: Record<string, unknown> }): void {
    const from = e.row.state as EngineState
    if ((how.trigger === 'cycle' || how.trigger === 'error') && !cycleMayMove(from, to))
      throw new DomainError('INTERNAL_ERROR', `The engine's cycle may not move from ${from} to ${to}`, { from, to })
    const now = this.o.clock.now()
    e.row = { ...e.row, previousState: from, state: to, since: now, updatedAt: now, context: e.ctx as unknown as Record<string, unknown> }
    const row = e.row
    const seq = this.uow.run(() => {
      this.repo.save(row)
      return this.repo.insertTransition({ ownerId: row.ownerId, fromState: from, toState: to, command: how.command, trigger: how.trigger, reason: how.reason, details: how.details, at: now })
    })
    e.saved = JSON.stringify(e.ctx)
    this.engines.set(row.ownerId, e)
    const transition: EngineTransitionView = { id: seq, from, to, command: how.command, trigger: how.trigger, reason: how.reason, details: how.details, at: iso(now) }
    this.recordTransition(row.ownerId, transition)
    this.emit('engine_update', { owner: row.ownerId, transition, status: this.status(row.ownerId) }, row.ownerId)
  }

  /** The owner's engine execution: the open one's id (tests), or undefined. */
  executionOf(owner: string): number | undefined {
    return this.runs.get(owner)?.run.executionId
  }

  private startRun(owner: string, preset: string, symbols: readonly string[]): void {
    const store = this.o.executions
    if (!store) return
    this.guardRun(owner, () => {
      const held = this.runs.get(owner)
      if (held && !held.run.closed) return
      const run = LiveRun.start(
        { store, execution: this.o.execution, market: this.o.market, clock: this.o.clock, checkpointEvery: this.o.checkpointEvery },
        owner,
        engineUserId(owner),
        { source: 'engine', source_id: owner, strategy: preset, symbols },
      )
      this.runs.set(owner, { run, minute: -1 })
    })
  }

  /** The run's new fills and round trips; an equity point when something filled or a new minute began. */
  private syncRun(owner: string): void {
    const held = this.runs.get(owner)
    if (!held) return
    this.guardRun(owner, () => {
      const minute = Math.floor(this.o.clock.now() / 60_000)
      const newMinute = minute !== held.minute
      const r = held.run.sync({ equity: newMinute })
      if (!newMinute && r.fills > 0) held.run.sync({ equity: true })
      held.minute = minute
    })
  }

  /**
   * A status_changed event per transition; the execution's status follows the engine: PAUSED →
   * `paused` (and back to `running` on resume), ERROR → `failed`, STOPPED and EMERGENCY → `stopped`.
   */
  private recordTransition(owner: string, t: EngineTransitionView): void {
    const held = this.runs.get(owner)
    if (!held) return
    this.guardRun(owner, () => {
      held.run.event('status_changed', this.o.clock.now(), { engine_state: t.to, from: t.from, command: t.command, trigger: t.trigger, reason: t.reason })
      if (t.to === 'STOPPED' || t.to === 'EMERGENCY') {
        this.runs.delete(owner)
        held.run.stop(t.reason)
      } else if (t.to === 'ERROR') {
        // A fault ends this run as failed; `reload` initializes again and starts the next one.
        this.runs.delete(owner)
        held.run.fail(t.reason)
      } else if (t.to === 'PAUSED') held.run.pause(t.reason)
      else {
        if (t.from === 'PAUSED') held.run.resume(t.reason)
        held.run.sync({})
      }
    })
  }

  private guardRun(owner: string, f: () => void): void {
    try {
      f()
    } catch (err) {
      this.o.onExecutionError?.(err, owner)
    }
  }

  private saveIfChanged(e: Engine): void {
    const json = JSON.stringify(e.ctx)
    if (json === e.saved) return
    e.row = { ...e.row, context: e.ctx as unknown as Record<string, unknown>, updatedAt: this.o.clock.now() }
    this.repo.save(e.row)
    e.saved = json
  }

  private emit(kind: EngineEventKind, data: Record<string, unknown>, owner: string): void {
    if (this.pending) this.pending.push({ kind, data, owner })
    else this.send(kind, data, owner)
  }

  private send(kind: EngineEventKind, data: Record<string, unknown>, owner: string): void {
    try {
      this.o.onEvent?.(kind, data, owner)
    } catch {
      // A failing listener never fails a command or a step: the transition is stored.
    }
  }

  private result(e: Engine, command: EngineCommand, from: EngineState, message: string, changed = true): EngineCommandResult {
    const owner = e.row.ownerId
    return {
      command,
      changed,
      previous_state: from,
      state: e.row.state as EngineState,
      message,
      timestamp: iso(this.o.clock.now()),
      status: this.status(owner),
    }
  }

  private resolvePreset(owner: string, name: unknown): Preset {
    if (typeof name !== 'string' || name.length === 0) throw invalid('preset', 'preset is required (a preset name)')
    try {
      return this.o.presets.resolve(owner, name)
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NOT_FOUND')
        throw new DomainError(PRESET_NOT_FOUND, `Preset "${name.slice(0, 64)}" not found`, { field: 'preset', preset: name.slice(0, 64) })
      throw err
    }
  }

  private validSymbols(input: unknown): string[] {
    const enabled = this.o.isSymbolEnabled ?? (() => true)
    if (input === undefined) {
      const all = this.o.market.symbols().filter((s) => enabled(s))
      return all.slice(0, MAX_ENGINE_SYMBOLS)
    }
    if (!Array.isArray(input) || input.length < 1 || input.length > MAX_ENGINE_SYMBOLS)
      throw invalid('symbols', `symbols must list 1 to ${MAX_ENGINE_SYMBOLS} symbols`)
    const out: string[] = []
    for (const [i, s] of input.entries()) {
      if (typeof s !== 'string') throw invalid(`symbols.${i}`, 'symbols must be strings')
      const symbol = s.toUpperCase()
      if (!this.o.market.instrument(symbol) || !enabled(symbol))
        throw new DomainError('INVALID_SYMBOL', `Unknown trading symbol "${s.slice(0, 32)}"`, { field: `symbols.${i}`, symbol: s.slice(0, 32), available: this.o.market.symbols().filter((x) => enabled(x)) })
      if (out.includes(symbol)) throw invalid(`symbols.${i}`, `symbol ${symbol} is listed twice`)
      out.push(symbol)
    }
    return out
  }

  /**
   * The engine's paper account, opened on first use with the engine's own balance — the way the
   * strategy runner opens a strategy account's (runner/accounts.ts `create`): the same account row,
   * opening snapshot and risk hook the execution service writes for a user's first order.
   */
  private openAccount(userId: string, now: number): string {
    const existing = this.accounts.byUserId(userId)
    if (existing) return existing.id
    const id = this.ids('acc')
    const balance = toAtoms(this.initialBalance)
    const paused = this.uow.run(() => {
      this.accounts.insert({ id, userId, currency: this.o.currency ?? 'USDT', initialBalance: balance, balance, realizedPnl: 0, commission: 0, createdAt: now, updatedAt: now })
      this.accounts.insertSnapshot(id, now, balance, balance)
      return this.o.risk.accountOpened(id)
    })
    if (paused) this.o.risk.publish(paused, userId)
    return id
  }

  private openPositions(e: Engine): string[] {
    if (e.row.paperAccountId === null) return []
    return [...this.o.execution.state(engineUserId(e.row.ownerId)).positions.keys()]
  }

  private realized(e: Engine): number {
    return fromAtoms(this.o.execution.state(engineUserId(e.row.ownerId)).account.realizedPnl)
  }

  /** Close the engine account's positions at market, then cancel its open orders (that account only). */
  private flatten(e: Engine, why: string, origin: OrderOrigin): Flat {
    const out: Flat = { orders_cancelled: 0, positions_closed: 0, positions_open: 0, denials: [] }
    if (e.row.paperAccountId === null) return out
    const ex = this.o.execution
    const userId = engineUserId(e.row.ownerId)
    const st = ex.state(userId)
    for (const pos of [...st.positions.values()]) {
      const v = positionView(pos, this.o.market, (s) => ex.mark(s))
      const res = ex.submit(userId, { symbol: pos.symbol, side: pos.side === 'long' ? 'sell' : 'buy', type: 'market', quantity: v.quantity, origin })
      if (!res.ok) out.denials.push({ symbol: pos.symbol, code: res.denial.code, message: res.denial.message })
      else if (!st.positions.has(pos.symbol)) out.positions_closed++
    }
    out.orders_cancelled = ex.cancelOpenOrders(st.account.id, why)
    out.positions_open = st.positions.size
    if (out.positions_open === 0 && e.ctx.realized_at_entry !== null) {
      e.ctx.counters.positions_closed++
      e.ctx.realized_at_entry = null
    }
    return out
  }

  private positionSummary(e: Engine): EnginePositionSummary {
    if (e.row.paperAccountId === null) return { open: 0, equity: null, balance: null, realized_pnl: null, unrealized_pnl: null, items: [] }
    const ex = this.o.execution
    const st = ex.state(engineUserId(e.row.ownerId))
    const p = ex.portfolio(st)
    const mark = (s: string): number => ex.mark(s)
    return {
      open: st.positions.size,
      equity: fromAtoms(p.equity),
      balance: fromAtoms(st.account.balance),
      realized_pnl: fromAtoms(st.account.realizedPnl),
      unrealized_pnl: fromAtoms(p.equity - st.account.balance),
      items: [...st.positions.values()].map((pos) => {
        const v = positionView(pos, this.o.market, mark)
        return { symbol: v.symbol, side: v.side, quantity: v.quantity, entry_price: v.entry_price, current_price: v.current_price, unrealized_pnl: v.unrealized_pnl }
      }),
    }
  }
}

interface Flat {
  orders_cancelled: number
  positions_closed: number
  positions_open: number
  denials: { symbol: string; code: string; message: string }[]
}

function flatText(f: Flat): string {
  const base = `cancelled ${f.orders_cancelled} open order(s), closed ${f.positions_closed} position(s)`
  if (f.positions_open === 0) return base
  return `${base}; ${f.positions_open} position(s) still open${f.denials.length ? ` (${f.denials.map((d) => `${d.symbol}: ${d.code}`).join(', ')})` : ''}`
}

