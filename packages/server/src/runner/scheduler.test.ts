import { describe, expect, it } from 'vitest'
import { DomainError, ManualClock } from '../core'
import type { StrategyAccountRow } from '../store'
import { Scheduler, type CycleWork } from './scheduler'
import type { AccountOutcome } from './strategy-runner'

const MIN = 60_000
const T0 = Date.UTC(2024, 0, 15, 12, 0, 0)

const row = (id: string): StrategyAccountRow => ({
  id,
  ownerId: 'u1',
  name: id,
  strategy: 'x',
  params: { risk_fraction: 0.01 },
  symbols: ['BTCUSDT'],
  interval: '1m',
  initialBalance: 1000,
  paperAccountId: `acc_${id}`,
  active: true,
  createdAt: 0,
  updatedAt: 0,
  deletedAt: null,
})

/** Work over `n` accounts; `fail` names accounts whose turn fails. */
function fakeWork(n: number, fail: string[] = []) {
  const runs: string[][] = []
  const work: CycleWork = {
    activeAccounts: () => Array.from({ length: n }, (_, i) => row(`a${i}`)),
    runAccount(r, cycleId): AccountOutcome {
      ;(runs.find((x) => x[0] === cycleId) ?? (runs.push([cycleId]), runs.at(-1)!)).push(r.id)
      if (r.id === 'boom') throw new Error('account exploded')
      return {
        accountId: r.id,
        ownerId: r.ownerId,
        decisions: [],
        failure: fail.includes(r.id) ? { symbol: 'BTCUSDT', message: 'strategy threw' } : null,
        ordersPlaced: 1,
        ordersDenied: 0,
        positionsOpened: 1,
        positionsClosed: 0,
      }
    },
  }
  return { work, runs }
}

function setup(n = 3, fail: string[] = [], interval = 5) {
  const clock = new ManualClock(T0)
  const { work, runs } = fakeWork(n, fail)
  const events: { kind: string; data: Record<string, unknown> }[] = []
  let minutes = interval
  const s = new Scheduler({ clock, work, intervalMinutes: () => minutes, onEvent: (kind, data) => events.push({ kind, data }) })
  return { clock, s, runs, events, setInterval: (m: number) => (minutes = m) }
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (err) {
    return err instanceof DomainError ? err.code : `not a DomainError: ${String(err)}`
  }
  return undefined
}

describe('Scheduler timing (injected clock)', () => {
  it('advancing the clock by the interval runs exactly one cycle; less runs none', async () => {
    const { clock, s, runs } = setup()
    expect(s.tick()).toBeUndefined()
    clock.advance(5 * MIN - 1)
    expect(s.tick()).toBeUndefined()
    clock.advance(1)
    const done = s.tick()
    expect(done).toBeDefined()
    expect(s.tick()).toBeUndefined() // running
    const rec = await done!
    expect(rec.status).toBe('success')
    expect(s.tick()).toBeUndefined() // same instant: not due again
    expect(runs).toHaveLength(1)
    for (let k = 2; k <= 12; k++) {
      clock.advance(5 * MIN)
      await s.tick()
      expect(s.tick()).toBeUndefined()
      expect(runs).toHaveLength(k)
    }
    expect(s.stats().total_executions).toBe(12)
  })

  it('the schedule does not drift: a late tick still keeps the next run on the grid', async () => {
    const { clock, s } = setup()
    clock.advance(5 * MIN + 30_000)
    await s.tick()
    expect(s.nextRunAt()).toBe(T0 + 10 * MIN)
  })

  it('runs missed while away coalesce into one cycle', async () => {
    const { clock, s, runs } = setup()
    clock.advance(23 * MIN)
    await s.tick()
    expect(s.tick()).toBeUndefined()
    expect(runs).toHaveLength(1)
    expect(s.nextRunAt()).toBe(T0 + 25 * MIN)
  })

  it('paused: no cycle however far the clock moves; resume schedules one interval later', async () => {
    const { clock, s, runs } = setup()
    s.pause()
    for (let i = 0; i < 10; i++) {
      clock.advance(5 * MIN)
      expect(s.tick()).toBeUndefined()
    }
    expect(runs).toHaveLength(0)
    expect(s.nextRun()).toEqual({ next_run_at: null, seconds_until_next_run: null, interval_minutes: 5 })
    const r = s.resume()
    expect(r.next_run_at).toBe(new Date(clock.now() + 5 * MIN).toISOString())
    expect(s.tick()).toBeUndefined()
    clock.advance(5 * MIN)
    await s.tick()
    expect(runs).toHaveLength(1)
  })

  it('a changed interval applies at once', async () => {
    const { clock, s, runs, setInterval } = setup()
    setInterval(1)
    clock.advance(MIN)
    await s.tick()
    expect(runs).toHaveLength(1)
    expect(s.nextRun()).toMatchObject({ interval_minutes: 1, seconds_until_next_run: 60 })
  })

  it('disabled: scheduled cycles never run, manual triggers do', async () => {
    const clock = new ManualClock(T0)
    const { work, runs } = fakeWork(1)
    const s = new Scheduler({ clock, work, intervalMinutes: () => 5, enabled: () => false })
    clock.advance(60 * MIN)
    expect(s.tick()).toBeUndefined()
    expect(s.status()).toMatchObject({ enabled: false, is_running: false, next_run_at: null })
    s.trigger()
    await s.idle()
    expect(runs).toHaveLength(1)
  })
})

describe('Scheduler commands', () => {
  it('a second trigger while a cycle runs → CYCLE_IN_PROGRESS (the cycle is asynchronous)', async () => {
    const { s, events } = setup(50)
    const first = s.trigger()
    expect(first).toMatchObject({ status: 'triggered', cycle_id: expect.any(String) })
    expect(s.status()).toMatchObject({ cycle_in_progress: true, current_cycle_id: first.cycle_id })
    expect(codeOf(() => s.trigger())).toBe('CYCLE_IN_PROGRESS')
    // Still refused in the middle of the cycle (it yields between accounts).
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    expect(events.map((e) => e.kind)).toContain('cycle_start')
    expect(codeOf(() => s.trigger())).toBe('CYCLE_IN_PROGRESS')
    const rec = await s.idle()
    expect(rec).toMatchObject({ cycle_id: first.cycle_id, accounts_processed: 50 })
    expect(s.status().cycle_in_progress).toBe(false)
    expect(codeOf(() => s.trigger())).toBeUndefined()
    await s.idle()
  })

  it('pause twice → SCHEDULER_ALREADY_PAUSED; resume when not paused → SCHEDULER_NOT_PAUSED', () => {
    const { s } = setup()
    expect(codeOf(() => s.resume())).toBe('SCHEDULER_NOT_PAUSED')
    expect(s.pause()).toMatchObject({ status: 'paused' })
    expect(codeOf(() => s.pause())).toBe('SCHEDULER_ALREADY_PAUSED')
    expect(s.status()).toMatchObject({ is_paused: true, is_running: false, next_run_at: null })
    expect(s.resume()).toMatchObject({ status: 'resumed' })
    expect(codeOf(() => s.resume())).toBe('SCHEDULER_NOT_PAUSED')
  })

  it('a manual trigger runs while paused', async () => {
    const { s, runs } = setup()
    s.pause()
    s.trigger()
    await s.idle()
    expect(runs).toHaveLength(1)
  })
})

describe('Scheduler stats and events', () => {
  it('counts success, partial and failed cycles; cycle events carry the same id and counts', async () => {
    const ok = setup(3)
    ok.s.trigger()
    await ok.s.idle()
    const { kind: k1, data: start } = ok.events[0]!
    const { kind: k2, data: done } = ok.events[1]!
    expect([k1, k2]).toEqual(['cycle_start', 'cycle_complete'])
    expect(done.cycle_id).toBe(start.cycle_id)
    expect(done).toMatchObject({ status: 'success', accounts_processed: 3, accounts_failed: 0, orders_placed: 3, positions_opened: 3 })
    expect(ok.s.stats().last_10_executions[0]).toEqual(done)

    const partial = setup(3, ['a1'])
    partial.s.trigger()
    const rec = (await partial.s.idle())!
    expect(rec).toMatchObject({ status: 'partial', accounts_processed: 3, accounts_failed: 1 })
    expect(rec.errors).toEqual([{ account_id: 'a1', symbol: 'BTCUSDT', message: 'strategy threw' }])

    const failed = setup(2, ['a0', 'a1'])
    failed.s.trigger()
    expect((await failed.s.idle())!.status).toBe('failed')
    failed.s.trigger()
    await failed.s.idle()
    expect(failed.s.stats()).toMatchObject({ total_executions: 2, failed_executions: 2, successful_executions: 0, total_errors: 4, success_rate: 0 })
  })

  it('an account whose turn throws counts as failed, the cycle still completes', async () => {
    const clock = new ManualClock(T0)
    const { work } = fakeWork(2)
    const base = work.activeAccounts
    work.activeAccounts = () => [...base(), row('boom')]
    const s = new Scheduler({ clock, work, intervalMinutes: () => 5 })
    s.trigger()
    const rec = (await s.idle())!
    expect(rec).toMatchObject({ status: 'partial', accounts_processed: 3, accounts_failed: 1 })
    expect(s.status()).toMatchObject({ total_executions: 1, total_errors: 1, last_execution_status: 'partial' })
  })

  it('stats keep the last 10 cycles, newest first, and the averages over all', async () => {
    const { s } = setup(1)
    const ids: string[] = []
    for (let i = 0; i < 12; i++) {
      ids.push(s.trigger().cycle_id)
      await s.idle()
    }
    const st = s.stats()
    expect(st.total_executions).toBe(12)
    expect(st.successful_executions).toBe(12)
    expect(st.success_rate).toBe(100)
    expect(st.last_10_executions.map((c) => c.cycle_id)).toEqual(ids.slice(2).reverse())
    expect(st.average_duration_seconds).toBeGreaterThanOrEqual(0)
    expect(st.min_duration_seconds! <= st.max_duration_seconds!).toBe(true)
  })
})

describe('Scheduler robustness', () => {
  it('a throwing event listener fails neither the cycle nor the tick’s promise', async () => {
    const clock = new ManualClock(T0)
    const { work } = fakeWork(2)
    const s = new Scheduler({
      clock,
      work,
      intervalMinutes: () => 5,
      onEvent: () => {
        throw new Error('listener down')
      },
    })
    clock.advance(5 * MIN)
    await expect(s.tick()!).resolves.toMatchObject({ status: 'success', accounts_processed: 2 })
  })
})
