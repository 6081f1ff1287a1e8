import { performance } from 'node:perf_hooks'
import { DomainError, idFactory, type Clock, type IdFactory } from '../core'
import type { StrategyAccountRow } from '../store'
import type { AccountOutcome } from './strategy-runner'
import {
  RUNNER_ERRORS,
  type CycleRecord,
  type CycleStatus,
  type CycleTrigger,
  type RunnerEventSink,
  type SchedulerNextRun,
  type SchedulerStats,
  type SchedulerStatus,
} from './types'

/** Default of the `scheduler.interval_minutes` runtime setting (seed 001: every 5 minutes). */
export const DEFAULT_SCHEDULER_INTERVAL_MINUTES = 5
/** Cycles listed by stats. */
export const CYCLE_HISTORY = 10

/** What a cycle runs: the accounts, and one account's turn (see StrategyRunner). */
export interface CycleWork {
  activeAccounts(): StrategyAccountRow[]
  /** The listed account as it is now, or undefined once inactive or deleted (it may change while a cycle yields). */
  current?(listed: StrategyAccountRow): StrategyAccountRow | undefined
  runAccount(row: StrategyAccountRow, cycleId: string): AccountOutcome
}

export interface SchedulerOptions {
  clock: Clock
  work: CycleWork
  /** Minutes between scheduled cycles, read at every tick (a settings change applies at once). */
  intervalMinutes: () => number
  /** Whether scheduled cycles run at all (env SCHEDULER_ENABLED); manual triggers always do. Default true. */
  enabled?: () => boolean
  onEvent?: RunnerEventSink
  ids?: IdFactory
  /** Monotonic milliseconds for durations (default performance.now; the clock may be a manual one). */
  elapsed?: () => number
}

const iso = (ms: number): string => new Date(ms).toISOString()
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const seconds = (ms: number): number => Math.round(ms) / 1000

/**
 * Trading cycles on a schedule. The server calls {@link tick} on its market timer; a cycle runs
 * when `interval_minutes` have passed since the previous scheduled run (runs missed while a cycle
 * was still going, or while the process slept, coalesce into one). A cycle is asynchronous: it
 * yields to the event loop between accounts, so the API keeps serving and a second trigger meets
 * CYCLE_IN_PROGRESS. Pausing stops scheduled cycles (not a running one, nor manual triggers).
 *
 * Statistics are kept in memory: a restart starts them afresh (decisions, orders and the ledger
 * are in the store).
 */
export class Scheduler {
  private readonly ids: IdFactory
  private readonly elapsed: () => number
  /** Time of the last scheduled run (or of the start / the resume): the next is one interval later. */
  private anchor: number
  private paused = false
  private pausedAt: number | null = null
  private running: { id: string; promise: Promise<CycleRecord> } | null = null
  private readonly history: CycleRecord[] = []
  private totals = { all: 0, success: 0, partial: 0, failed: 0, errors: 0, durationMs: 0, min: Infinity, max: -Infinity }

  constructor(private readonly o: SchedulerOptions) {
    this.ids = o.ids ?? idFactory()
    this.elapsed = o.elapsed ?? (() => performance.now())
    this.anchor = o.clock.now()
  }

  private intervalMs(): number {
    const m = this.o.intervalMinutes()
    return Math.max(1, Number.isFinite(m) && m > 0 ? m : DEFAULT_SCHEDULER_INTERVAL_MINUTES) * 60_000
  }

  private enabled(): boolean {
    return this.o.enabled ? this.o.enabled() : true
  }

  /**
   * Run a cycle if one is due; the cycle's completion when one started, else undefined. Paused,
   * disabled or a cycle still running: nothing.
   */
  tick(now = this.o.clock.now()): Promise<CycleRecord> | undefined {
    if (this.paused || !this.enabled() || this.running) return undefined
    const every = this.intervalMs()
    const due = this.anchor + every
    if (now < due) return undefined
    this.anchor = due + Math.floor((now - due) / every) * every
    return this.start('schedule').promise
  }

  /** Start a cycle now (an administrator's trigger): CYCLE_IN_PROGRESS while one runs. */
  trigger(): { status: 'triggered'; message: string; cycle_id: string; triggered_at: string } {
    if (this.running)
      throw new DomainError(RUNNER_ERRORS.CYCLE_IN_PROGRESS, `Trading cycle ${this.running.id} is already in progress`, { cycle_id: this.running.id })
    const { id } = this.start('manual')
    return { status: 'triggered', message: 'Trading cycle triggered manually', cycle_id: id, triggered_at: iso(this.o.clock.now()) }
  }

  /** Resolves when no cycle is running (the running one's record, or null). */
  async idle(): Promise<CycleRecord | null> {
    return this.running ? this.running.promise : null
  }

  pause(): { status: 'paused'; message: string; paused_at: string } {
    if (this.paused)
      throw new DomainError(RUNNER_ERRORS.SCHEDULER_ALREADY_PAUSED, 'The scheduler is already paused', { paused_at: iso(this.pausedAt!) })
    this.paused = true
    this.pausedAt = this.o.clock.now()
    return { status: 'paused', message: 'Scheduler paused successfully', paused_at: iso(this.pausedAt) }
  }

  /** Resume: the next scheduled cycle is one interval from now. */
  resume(): { status: 'resumed'; message: string; resumed_at: string; next_run_at: string } {
    if (!this.paused) throw new DomainError(RUNNER_ERRORS.SCHEDULER_NOT_PAUSED, 'The scheduler is not paused')
    const now = this.o.clock.now()
    this.paused = false
    this.pausedAt = null
    this.anchor = now
    return { status: 'resumed', message: 'Scheduler resumed successfully', resumed_at: iso(now), next_run_at: iso(now + this.intervalMs()) }
  }

  get isPaused(): boolean {
    return this.paused
  }

  get cycleInProgress(): boolean {
    return this.running !== null
  }

  /** Next scheduled run (ms), or null while paused or disabled. */
  nextRunAt(): number | null {
    return this.paused || !this.enabled() ? null : this.anchor + this.intervalMs()
  }

  nextRun(): SchedulerNextRun {
    const next = this.nextRunAt()
    return {
      next_run_at: next === null ? null : iso(next),
      seconds_until_next_run: next === null ? null : Math.max(0, Math.round((next - this.o.clock.now()) / 1000)),
      interval_minutes: this.intervalMs() / 60_000,
    }
  }

  status(): SchedulerStatus {
    const last = this.history[0]
    const next = this.nextRunAt()
    return {
      is_running: this.enabled() && !this.paused,
      is_paused: this.paused,
      enabled: this.enabled(),
      cycle_in_progress: this.running !== null,
      current_cycle_id: this.running?.id ?? null,
      interval_minutes: this.intervalMs() / 60_000,
      total_executions: this.totals.all,
      total_errors: this.totals.errors,
      last_execution_at: last?.started_at ?? null,
      last_execution_duration_seconds: last?.duration_seconds ?? null,
      last_execution_status: last?.status ?? null,
      next_run_at: next === null ? null : iso(next),
      paused_at: this.pausedAt === null ? null : iso(this.pausedAt),
    }
  }

  stats(): SchedulerStats {
    const t = this.totals
    return {
      total_executions: t.all,
      successful_executions: t.success,
      partial_executions: t.partial,
      failed_executions: t.failed,
      success_rate: t.all === 0 ? 0 : Math.round((t.success / t.all) * 100 * 100) / 100,
      total_errors: t.errors,
      average_duration_seconds: t.all === 0 ? 0 : seconds(t.durationMs / t.all),
      min_duration_seconds: t.all === 0 ? null : seconds(t.min),
      max_duration_seconds: t.all === 0 ? null : seconds(t.max),
      last_10_executions: this.history.slice(0, CYCLE_HISTORY),
    }
  }

  // ---- the cycle ----------------------------------------------------------------------------

  private start(trigger: CycleTrigger): { id: string; promise: Promise<CycleRecord> } {
    const id = this.ids('cyc')
    const running = { id, promise: undefined as unknown as Promise<CycleRecord> }
    // Marked running before any of the cycle's code runs, so nothing can start a second one.
    this.running = running
    running.promise = this.run(id, trigger).finally(() => {
      if (this.running === running) this.running = null
    })
    return running
  }

  private async run(cycleId: string, trigger: CycleTrigger): Promise<CycleRecord> {
    const { clock, work } = this.o
    const sink = this.o.onEvent
    // A failing listener never fails the cycle (nor leaves a rejected promise behind a tick).
    const emit: RunnerEventSink = (kind, data, owner) => {
      try {
        sink?.(kind, data, owner)
      } catch {
        /* the listener's problem */
      }
    }
    // The trigger's caller gets its answer before any work.
    await yieldToLoop()
    const startedAt = clock.now()
    const t0 = this.elapsed()
    const counts = { processed: 0, failed: 0, decisions: 0, placed: 0, denied: 0, opened: 0, closed: 0 }
    const errors: CycleRecord['errors'] = []
    let crashed: string | null = null
    let accounts: StrategyAccountRow[] = []
    try {
      accounts = work.activeAccounts()
    } catch (err) {
      crashed = err instanceof Error ? err.message : String(err)
    }
    emit('cycle_start', { cycle_id: cycleId, trigger, started_at: iso(startedAt), accounts: accounts.length }, null)
    for (const [i, listed] of accounts.entries()) {
      if (i > 0) await yieldToLoop()
      const row = work.current ? work.current(listed) : listed
      if (!row) continue
      let outcome: AccountOutcome
      try {
        outcome = work.runAccount(row, cycleId)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        outcome = {
          accountId: row.id,
          ownerId: row.ownerId,
          decisions: [],
          failure: { symbol: null, message },
          ordersPlaced: 0,
          ordersDenied: 0,
          positionsOpened: 0,
          positionsClosed: 0,
        }
      }
      counts.processed++
      counts.decisions += outcome.decisions.length
      counts.placed += outcome.ordersPlaced
      counts.denied += outcome.ordersDenied
      counts.opened += outcome.positionsOpened
      counts.closed += outcome.positionsClosed
      if (outcome.failure) {
        counts.failed++
        errors.push({ account_id: row.id, ...outcome.failure })
      }
    }
    const durationMs = this.elapsed() - t0
    const status: CycleStatus =
      crashed !== null || (counts.processed > 0 && counts.failed === counts.processed) ? 'failed' : counts.failed > 0 ? 'partial' : 'success'
    if (crashed !== null) errors.push({ account_id: '', symbol: null, message: crashed })
    const record: CycleRecord = {
      cycle_id: cycleId,
      trigger,
      status,
      started_at: iso(startedAt),
      completed_at: iso(clock.now()),
      duration_seconds: seconds(durationMs),
      accounts_processed: counts.processed,
      accounts_failed: counts.failed,
      decisions: counts.decisions,
      orders_placed: counts.placed,
      orders_denied: counts.denied,
      positions_opened: counts.opened,
      positions_closed: counts.closed,
      errors,
    }
    this.note(record, durationMs, counts.failed + (crashed !== null ? 1 : 0))
    emit('cycle_complete', { ...record }, null)
    return record
  }

  private note(r: CycleRecord, durationMs: number, errors: number): void {
    const t = this.totals
    t.all++
    if (r.status === 'success') t.success++
    else if (r.status === 'partial') t.partial++
    else t.failed++
    t.errors += errors
    t.durationMs += durationMs
    t.min = Math.min(t.min, durationMs)
    t.max = Math.max(t.max, durationMs)
    this.history.unshift(r)
    if (this.history.length > CYCLE_HISTORY) this.history.length = CYCLE_HISTORY
  }
}
