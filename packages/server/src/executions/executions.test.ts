import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { BacktestSpec, RunMetrics, RunTrade } from '../backtest/types'
import { DomainError, idFactory, ManualClock } from '../core'
import { closeDatabase, openDatabase, type Db } from '../store'
import { SqliteExecutionRepository, type ExecutionRepository, type RecordBatch } from '../store/repositories/executions'
import { downsample } from './downsample'
import { ExecutionStore, RESTART_MESSAGE } from './store'
import { EXECUTION_STATUSES, TRANSITIONS } from './state'

const T0 = Date.UTC(2026, 0, 1)
const MIN = 60_000

const spec = (over: Partial<BacktestSpec> = {}): BacktestSpec => ({
  strategy: 'sma_crossover',
  params: { fast: 10, slow: 30 },
  symbol: 'BTCUSDT',
  interval: '1m',
  start_time: T0,
  end_time: T0 + 2880 * MIN,
  initial_balance: 10_000,
  taker_fee_bps: 10,
  maker_fee_bps: 5,
  slippage_bps: 0,
  ...over,
})

const metrics = (processed: number): RunMetrics => ({
  processed,
  total: 2880,
  total_return_pct: 1.5,
  total_pnl: 150,
  realized_pnl: 140,
  unrealized_pnl: 10,
  total_trades: 3,
  winning_trades: 2,
  losing_trades: 1,
  win_rate: 66.67,
  max_drawdown_pct: 2.5,
  sharpe_ratio: 1.2,
  sortino_ratio: null,
  profit_factor: 2,
  average_win: 100,
  average_loss: -50,
  exposure_pct: 40,
})

const trade = (i: number, direction: 'long' | 'short'): RunTrade => ({
  symbol: 'BTCUSDT',
  direction,
  entry_time: T0 + i * 10 * MIN,
  entry_price: 100 + i,
  exit_time: T0 + (i * 10 + 5) * MIN,
  exit_price: 101 + i,
  quantity: 0.5,
  fees: 0.1,
  pnl: 0.4,
  exit_reason: 'SIGNAL',
})

const dbs: Db[] = []
const dirs: string[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.$client.open) closeDatabase(db)
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function setup(flushEvery = 4096, path = ':memory:'): { db: Db; repo: SqliteExecutionRepository; store: ExecutionStore; clock: ManualClock } {
  const db = openDatabase(path)
  dbs.push(db)
  const repo = new SqliteExecutionRepository(db)
  const clock = new ManualClock(T0 + 10_000 * MIN)
  return { db, repo, clock, store: new ExecutionStore(repo, { clock, newId: idFactory('t'), flushEvery }) }
}

function domainError(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('expected a DomainError')
}

/** A running backtest with `n` one-minute equity points, events of alternating types and trades. */
function seeded(n = 2880, flushEvery = 4096): { store: ExecutionStore; id: number; repo: SqliteExecutionRepository } {
  const { store, repo } = setup(flushEvery)
  const { execution } = store.createTask('u1', spec())
  const id = execution.execution_id
  store.setStatus(id, 'running')
  const sink = store.sink(id)
  for (let i = 0; i < n; i++) sink.equity({ time: T0 + i * MIN, equity: 10_000 + i, balance: 10_000, drawdown_pct: (i % 7) / 10 })
  for (let i = 0; i < 25; i++) sink.event({ event_type: i % 2 ? 'trade_executed' : 'strategy_signal', time: T0 + i * MIN, data: { i } })
  for (let i = 0; i < 6; i++) sink.trade(trade(i, i % 3 === 0 ? 'short' : 'long'))
  sink.checkpoint(metrics(n))
  return { store, id, repo }
}

describe('tasks and executions', () => {
  it('createTask stores the task and execution #1 (pending); rerun adds execution #2', () => {
    const { store } = setup()
    const { task, execution } = store.createTask('u1', spec())
    expect(task.task_id).toMatch(/^bt_/)
    expect(task).toMatchObject({ task_type: 'backtest', strategy: 'sma_crossover', start_time: '2026-01-01T00:00:00.000Z', symbol: 'BTCUSDT' })
    expect(execution).toMatchObject({ execution_number: 1, status: 'pending', task_id: task.task_id, progress: 0, started_at: null })
    expect(Number.isInteger(execution.execution_id)).toBe(true)
    const second = store.rerun(task.task_id)
    expect(second.execution_number).toBe(2)
    expect(second.execution_id).not.toBe(execution.execution_id)
    expect(store.task(task.task_id).executions.map((e) => e.execution_number)).toEqual([1, 2])
    expect(domainError(() => store.rerun('bt_nope')).code).toBe('NOT_FOUND')
  })

  it('status: seed 004 fields, progress in percent, the latest checkpoint', () => {
    const { store, id } = seeded(100)
    store.setProgress(id, 45, 100)
    const s = store.status(id)
    expect(Object.keys(s)).toEqual([
      'execution_id',
      'task_type',
      'task_id',
      'execution_number',
      'status',
      'progress',
      'processed',
      'total',
      'started_at',
      'completed_at',
      'error_message',
      'has_checkpoint',
      'checkpoint',
    ])
    expect(s).toMatchObject({ status: 'running', progress: 45, processed: 45, total: 100, has_checkpoint: true, completed_at: null })
    expect(s.started_at).toMatch(/Z$/)
    expect(s.checkpoint).toMatchObject({ sequence: 1, processed: 100, sharpe_ratio: 1.2, sortino_ratio: null })
    expect(store.latestMetrics(id)).toEqual({ execution_id: id, task_type: 'backtest', task_id: s.task_id, has_checkpoint: true, checkpoint: s.checkpoint })
    const fresh = store.createTask('u1', spec()).execution.execution_id
    expect(store.latestMetrics(fresh)).toMatchObject({ has_checkpoint: false, checkpoint: null })
  })
})

describe('the transition table', () => {
  it('allows exactly the listed changes; anything else is INVALID_STATE_TRANSITION', () => {
    const { store, repo } = setup()
    for (const from of EXECUTION_STATUSES)
      for (const to of EXECUTION_STATUSES) {
        const id = store.createTask('u1', spec()).execution.execution_id
        repo.update(id, 'pending', { status: from })
        if (TRANSITIONS[from].includes(to)) expect(store.setStatus(id, to).status).toBe(to)
        else {
          const e = domainError(() => store.setStatus(id, to))
          expect(e.code as string).toBe('INVALID_STATE_TRANSITION')
          expect(e.details).toMatchObject({ from, to })
          expect(store.status(id).status).toBe(from)
        }
      }
  })

  it('pausing a completed run is refused; timestamps and error_message are set on the way', () => {
    const { store, clock } = setup()
    const id = store.createTask('u1', spec()).execution.execution_id
    store.setStatus(id, 'running')
    const started = store.status(id).started_at
    clock.advance(MIN)
    store.setStatus(id, 'paused')
    store.setStatus(id, 'running')
    expect(store.status(id).started_at).toBe(started)
    clock.advance(MIN)
    const done = store.setStatus(id, 'completed')
    expect(done.completed_at).toBe(new Date(clock.now()).toISOString())
    const e = domainError(() => store.setStatus(id, 'paused'))
    expect(e.code as string).toBe('INVALID_STATE_TRANSITION')
    expect(e.details).toMatchObject({ execution_id: id, from: 'completed', to: 'paused' })

    const failing = store.createTask('u1', spec()).execution.execution_id
    store.setStatus(failing, 'running')
    expect(store.setStatus(failing, 'failed', { error_message: 'boom' })).toMatchObject({ status: 'failed', error_message: 'boom' })
  })

  it('a final status flushes and closes the sink: no record is written after it', () => {
    const { store, repo } = setup()
    const id = store.createTask('u1', spec()).execution.execution_id
    store.setStatus(id, 'running')
    const sink = store.sink(id)
    sink.event({ event_type: 'strategy_signal', time: T0, data: {} })
    expect(repo.maxSequences(id).events).toBe(0)
    store.setStatus(id, 'completed')
    expect(repo.maxSequences(id).events).toBe(1)
    expect(sink.closed).toBe(true)
    expect(() => sink.event({ event_type: 'strategy_signal', time: T0, data: {} })).toThrow(/finished/)
    expect(() => store.sink(id)).toThrow(/completed/)
  })
})

describe('restart', () => {
  it('marks pending, running and paused executions failed when the server starts again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smc-executions-'))
    dirs.push(dir)
    const path = join(dir, 'store.db')
    const first = setup(4096, path)
    const ids = ['pending', 'running', 'paused', 'completed'].map(() => first.store.createTask('u1', spec()).execution.execution_id)
    const [pending, running, paused, completed] = ids as [number, number, number, number]
    first.store.setStatus(running, 'running')
    first.store.setStatus(paused, 'running')
    first.store.setStatus(paused, 'paused')
    first.store.setStatus(completed, 'running')
    first.store.setStatus(completed, 'completed')
    const sink = first.store.sink(running)
    sink.equity({ time: T0, equity: 1, balance: 1, drawdown_pct: 0 })
    sink.checkpoint(metrics(1))
    sink.equity({ time: T0 + MIN, equity: 2, balance: 2, drawdown_pct: 0 }) // unflushed: lost with the process
    closeDatabase(first.db)

    const second = setup(4096, path)
    const now = T0 + 99 * MIN
    expect(second.store.markInterruptedFailed(now).sort()).toEqual([pending, running, paused].sort())
    for (const id of [pending, running, paused])
      expect(second.store.status(id)).toMatchObject({ status: 'failed', error_message: RESTART_MESSAGE, completed_at: new Date(now).toISOString() })
    expect(second.store.status(completed)).toMatchObject({ status: 'completed', error_message: null })
    const eq = second.store.equity(running)
    expect(eq.equity_curve.map((p) => p.sequence)).toEqual([1])
    expect(second.store.markInterruptedFailed(now)).toEqual([])
  })
})

describe('the sink', () => {
  it('hands out gapless sequences per kind across flushes', () => {
    const { store, repo } = setup(7)
    const id = store.createTask('u1', spec()).execution.execution_id
    store.setStatus(id, 'running')
    const sink = store.sink(id)
    for (let i = 0; i < 50; i++) {
      sink.equity({ time: T0 + i * MIN, equity: i, balance: i, drawdown_pct: 0 })
      if (i % 3 === 0) sink.event({ event_type: 'strategy_signal', time: T0 + i * MIN, data: { i } })
      if (i % 10 === 0) sink.trade(trade(i, 'long'))
      if (i % 17 === 0) sink.checkpoint(metrics(i))
    }
    sink.flush()
    const seqs = <T extends { sequence: number }>(rows: T[]): number[] => rows.map((r) => r.sequence)
    const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)
    expect(seqs(store.events(id).events)).toEqual(range(17))
    expect(seqs(store.trades(id).trades)).toEqual(range(5))
    expect(seqs(store.equity(id, { page_size: 1000 }).equity_curve)).toEqual(range(50))
    expect(store.equity(id, { page_size: 1000 }).equity_curve[49]).toMatchObject({ equity: 49, timestamp: new Date(T0 + 49 * MIN).toISOString() })
    expect(repo.latestCheckpoint(id)?.sequence).toBe(3) // at i = 0, 17, 34
    // A second sink on the same run (after a restart, say) continues the numbering.
    expect(store.sink(id)).toBe(sink)
    const again = new ExecutionStore(repo, { flushEvery: 7 }).sink(id)
    again.event({ event_type: 'error_occurred', time: T0 + 60 * MIN, data: {} })
    again.equity({ time: T0 + 60 * MIN, equity: 1, balance: 1, drawdown_pct: 0 })
    again.flush()
    expect(seqs(store.events(id, { since_sequence: 16 }).events)).toEqual([17, 18])
    expect(seqs(store.equity(id, { since_sequence: 49 }).equity_curve)).toEqual([50, 51])
  })

  it('a failed flush writes nothing (never half a batch) and the numbering stays gapless', () => {
    const { db, store } = setup(1000)
    const base = new SqliteExecutionRepository(db)
    let fail = true
    const flaky: ExecutionRepository = Object.assign(Object.create(base) as ExecutionRepository, {
      append(batch: RecordBatch): void {
        // Break the transaction half way: events are inserted, then a trade fails.
        const trades = fail ? batch.trades.map((t) => ({ ...t, symbol: null as unknown as string })) : batch.trades
        base.append({ ...batch, trades })
      },
    })
    const id = store.createTask('u1', spec()).execution.execution_id
    store.setStatus(id, 'running')
    const sink = new ExecutionStore(flaky, { flushEvery: 1000 }).sink(id)
    sink.event({ event_type: 'strategy_signal', time: T0, data: {} })
    sink.trade(trade(1, 'long'))
    expect(() => sink.checkpoint(metrics(1))).toThrow()
    expect(store.events(id).count).toBe(0)
    expect(store.latestMetrics(id).has_checkpoint).toBe(false)
    fail = false
    sink.event({ event_type: 'trade_executed', time: T0 + MIN, data: {} })
    sink.flush()
    expect(store.events(id).events.map((e) => e.sequence)).toEqual([1, 2])
    expect(store.trades(id).count).toBe(1)
    expect(store.latestMetrics(id).checkpoint?.sequence).toBe(1)
  })

  it('refuses equity points that go back in time', () => {
    const { store } = setup()
    const id = store.createTask('u1', spec()).execution.execution_id
    const sink = store.sink(id)
    sink.equity({ time: T0 + MIN, equity: 1, balance: 1, drawdown_pct: 0 })
    expect(() => sink.equity({ time: T0, equity: 1, balance: 1, drawdown_pct: 0 })).toThrow(/ascend/)
  })
})

describe('events, trades: the query rules', () => {
  it('since_sequence is strictly greater', () => {
    const { store, id } = seeded(10)
    expect(store.events(id, { since_sequence: '5' }).events[0]?.sequence).toBe(6)
    expect(store.events(id, { since_sequence: 25 }).events).toEqual([])
    expect(store.trades(id, { since_sequence: 2 }).trades.map((t) => t.sequence)).toEqual([3, 4, 5, 6])
    expect(store.equity(id, { since_sequence: 3 }).equity_curve[0]?.sequence).toBe(4)
  })

  it('count is the total matching, not the page length', () => {
    const { store, id } = seeded(10)
    const page = store.events(id, { page_size: 10 })
    expect(page.events).toHaveLength(10)
    expect(page.count).toBe(25)
    const typed = store.events(id, { event_type: 'trade_executed', page_size: 5, page: 2 })
    expect(typed.count).toBe(12)
    expect(typed.events.map((e) => e.sequence)).toEqual([12, 14, 16, 18, 20])
    expect(typed.events.every((e) => e.event_type === 'trade_executed')).toBe(true)
    expect(typed.events[0]).toEqual({
      sequence: 12,
      event_type: 'trade_executed',
      strategy_type: 'sma_crossover',
      timestamp: new Date(T0 + 11 * MIN).toISOString(),
      event: { i: 11 },
      created_at: expect.stringMatching(/Z$/) as string,
    })
    const longs = store.trades(id, { direction: 'long', page_size: 1 })
    expect(longs).toMatchObject({ count: 4, trades: [{ sequence: 2, trade: { direction: 'long', entry_price: 101, exit_reason: 'SIGNAL' } }] })
    expect(longs.trades[0]?.trade.entry_time).toBe(new Date(T0 + 10 * MIN).toISOString())
    // The symbol filter takes any case, as the POST that started the run did.
    const symbol = longs.trades[0]!.trade.symbol
    expect(store.trades(id, { symbol: symbol.toLowerCase() }).count).toBe(store.trades(id, { symbol }).count)
    expect(store.trades(id, { symbol }).count).toBeGreaterThan(0)
  })

  it('next and previous are relative links that keep every filter', () => {
    const { store, id } = seeded(10)
    const p = store.events(id, { since_sequence: '2', event_type: 'trade_executed', page: '2', page_size: '3' })
    expect(p.count).toBe(11)
    expect(p.next).toBe(`/v1/executions/${id}/events?since_sequence=2&event_type=trade_executed&page=3&page_size=3`)
    expect(p.previous).toBe(`/v1/executions/${id}/events?since_sequence=2&event_type=trade_executed&page=1&page_size=3`)
    const last = store.events(id, { since_sequence: '2', event_type: 'trade_executed', page: '4', page_size: '3' })
    expect(last.events).toHaveLength(2)
    expect(last.next).toBeNull()
    const first = store.events(id, { page_size: 100 })
    expect([first.next, first.previous]).toEqual([null, null])
    // Beyond the end: empty, and previous goes back to the last page that has rows.
    expect(store.events(id, { page: 9, page_size: 10 })).toMatchObject({ events: [], count: 25, next: null, previous: `/v1/executions/${id}/events?page=3&page_size=10` })
    const t = store.trades(id, { direction: 'long', page_size: 2 })
    expect(t.next).toBe(`/v1/executions/${id}/trades?direction=long&page=2&page_size=2`)
    const eq = store.equity(id, { start_time: '2026-01-01T00:02:00Z', end_time: '2026-01-01T00:08:00', max_points: 4, page_size: 2 })
    expect(eq.next).toBe(
      `/v1/executions/${id}/equity?start_time=2026-01-01T00%3A02%3A00.000Z&end_time=2026-01-01T00%3A08%3A00.000Z&max_points=4&page=2&page_size=2`,
    )
  })

  it('page_size above 1000 and other bad parameters are VALIDATION_FAILED naming the field', () => {
    const { store, id } = seeded(10)
    const bad: [() => unknown, string][] = [
      [() => store.events(id, { page_size: '1001' }), 'page_size'],
      [() => store.events(id, { page_size: 1001 }), 'page_size'],
      [() => store.trades(id, { page_size: '1001' }), 'page_size'],
      [() => store.equity(id, { page_size: '1001' }), 'page_size'],
      [() => store.list('u1', { page_size: '1001' }), 'page_size'],
      [() => store.events(id, { page_size: '0' }), 'page_size'],
      [() => store.events(id, { page: '0' }), 'page'],
      [() => store.events(id, { page: '1.5' }), 'page'],
      [() => store.events(id, { since_sequence: '-1' }), 'since_sequence'],
      [() => store.events(id, { since_sequence: 'abc' }), 'since_sequence'],
      [() => store.events(id, { event_type: 'tick' }), 'event_type'],
      [() => store.trades(id, { direction: 'up' }), 'direction'],
      [() => store.equity(id, { start_time: 'yesterday' }), 'start_time'],
      [() => store.equity(id, { start_time: '2026-01-02', end_time: '2026-01-01' }), 'start_time'],
      [() => store.equity(id, { max_points: '0' }), 'max_points'],
      [() => store.list('u1', { status: 'created' }), 'status'],
      [() => store.list('u1', { task_type: 'live' }), 'task_type'],
    ]
    for (const [call, field] of bad) {
      const e = domainError(call)
      expect(e.code).toBe('VALIDATION_FAILED')
      expect(e.details.field).toBe(field)
    }
    expect(store.events(id, { page_size: '1000' }).events).toHaveLength(25)
  })

  it('defaults: page_size 1000 (equity 500)', () => {
    const { store, id } = seeded(1200)
    expect(store.equity(id).equity_curve).toHaveLength(500)
    expect(store.equity(id).next).toBe(`/v1/executions/${id}/equity?page=2&page_size=500`)
    expect(store.equity(id, { page: 3 }).equity_curve.map((p) => p.sequence)).toEqual(Array.from({ length: 200 }, (_, i) => 1001 + i))
  })
})

describe('equity: filter, then downsample, then page', () => {
  it('2,880 points with max_points=100: at most 100 original points, the last kept, granularity reported', () => {
    const { store, id } = seeded(2880, 500)
    const full = store.equity(id, { page_size: 1000, page: 3 })
    expect(full.count).toBe(2880)
    expect(full.granularity_seconds).toBeNull()
    const ds = store.equity(id, { max_points: '100', page_size: 1000 })
    expect(ds.count).toBeLessThanOrEqual(100)
    expect(ds.equity_curve).toHaveLength(ds.count)
    expect(ds.granularity_seconds).toBe(29 * 60)
    expect(ds.equity_curve.at(-1)).toMatchObject({ sequence: 2880, timestamp: new Date(T0 + 2879 * MIN).toISOString(), equity: 12_879 })
    // Original points, untouched (equity = 10,000 + index, drawdown = (index mod 7) / 10).
    for (const p of ds.equity_curve) {
      expect(p.equity).toBe(10_000 + p.sequence - 1)
      expect(p.drawdown_pct).toBe(((p.sequence - 1) % 7) / 10)
      expect(Date.parse(p.timestamp)).toBe(T0 + (p.sequence - 1) * MIN)
    }
    const gaps = ds.equity_curve.slice(1).map((p, i) => Date.parse(p.timestamp) - Date.parse(ds.equity_curve[i]!.timestamp))
    expect(new Set(gaps)).toEqual(new Set([29 * MIN]))
    // Paging happens after downsampling: the pages of the downsampled series.
    const p2 = store.equity(id, { max_points: 100, page_size: 30, page: 2 })
    expect(p2.count).toBe(ds.count)
    expect(p2.equity_curve).toEqual(ds.equity_curve.slice(30, 60))
    expect(p2.next).toBe(`/v1/executions/${id}/equity?max_points=100&page=3&page_size=30`)
    // Not applied when the filtered points already fit.
    expect(store.equity(id, { max_points: 3000, page_size: 10 })).toMatchObject({ count: 2880, granularity_seconds: null })
  })

  it('filters before downsampling: the time range and since_sequence bound the points that are thinned', () => {
    const { store, id } = seeded(2880, 500)
    const start = T0 + 1440 * MIN
    const end = T0 + 2000 * MIN
    const ds = store.equity(id, { start_time: new Date(start).toISOString(), end_time: new Date(end).toISOString(), max_points: 50, page_size: 1000 })
    expect(ds.count).toBeLessThanOrEqual(50)
    expect(ds.count).toBeGreaterThan(40)
    expect(ds.equity_curve.every((p) => Date.parse(p.timestamp) >= start && Date.parse(p.timestamp) <= end)).toBe(true)
    // The last point of the filtered range (end_time is inclusive) is kept.
    expect(ds.equity_curve.at(-1)?.sequence).toBe(2001)
    expect(ds.granularity_seconds).toBe(12 * 60)
    const since = store.equity(id, { since_sequence: 2800, max_points: 10, page_size: 1000 })
    expect(since.equity_curve.every((p) => p.sequence > 2800)).toBe(true)
    expect(since.equity_curve.at(-1)?.sequence).toBe(2880)
    expect(since.count).toBeLessThanOrEqual(10)
    // Inclusive bounds without downsampling, spanning block boundaries (blocks of ≤ 500 points).
    const range = store.equity(id, { start_time: new Date(T0 + 499 * MIN).toISOString(), end_time: new Date(T0 + 1001 * MIN).toISOString(), page_size: 1000 })
    expect(range.count).toBe(503)
    expect([range.equity_curve[0]?.sequence, range.equity_curve.at(-1)?.sequence]).toEqual([500, 1002])
    expect(store.equity(id, { start_time: new Date(T0 + 5000 * MIN).toISOString() })).toMatchObject({ count: 0, equity_curve: [], next: null })
    expect(store.equity(id, { start_time: new Date(T0 + 10.5 * MIN).toISOString(), end_time: new Date(T0 + 10.7 * MIN).toISOString() }).count).toBe(0)
  })

  it('downsample keeps original points, the last one, and leaves gaps empty', () => {
    const times = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((m) => m * MIN)
    expect(downsample(times, 10)).toEqual({ indices: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], granularitySeconds: null })
    expect(downsample(times, 5)).toEqual({ indices: [1, 3, 5, 7, 9], granularitySeconds: 120 })
    expect(downsample(times, 1)).toEqual({ indices: [9], granularitySeconds: 600 })
    const gappy = [0, 1, 2, 100, 101, 102].map((m) => m * MIN)
    const r = downsample(gappy, 4)
    expect(r.indices.length).toBeLessThanOrEqual(4)
    expect(r.indices.at(-1)).toBe(5)
  })
})

describe('list and ownership', () => {
  it('lists with filters, count and links that keep them; null lists everyone', () => {
    const { store } = setup()
    for (let i = 0; i < 5; i++) store.createTask('u1', spec({ strategy: i % 2 ? 'rsi_reversion' : 'sma_crossover' }))
    store.createTask('u2', spec())
    const mine = store.list('u1', { strategy: 'sma_crossover', status: 'pending', page_size: 2 })
    expect(mine.count).toBe(3)
    expect(mine.executions).toHaveLength(2)
    expect(mine.executions[0]!.execution_id).toBeGreaterThan(mine.executions[1]!.execution_id)
    expect(mine.next).toBe('/v1/executions?status=pending&strategy=sma_crossover&page=2&page_size=2')
    expect(store.list(null).count).toBe(6)
    expect(store.list('u2', { task_type: 'trading' }).count).toBe(0)
    expect(store.listTasks('u1', { page_size: 2 })).toMatchObject({ count: 5, next: '/v1/backtests?page=2&page_size=2' })
  })

  it('access: unknown → 404, another user’s → 403 not_owner, admin_full reads all', () => {
    const { store } = setup()
    const { task, execution } = store.createTask('u1', spec())
    const id = execution.execution_id
    const owner = { userId: 'u1', scopes: ['read_trades'] }
    expect(store.access(id, owner).id).toBe(id)
    expect(store.access(String(id), owner).id).toBe(id)
    for (const unknown of [id + 1, '999', 'abc', '0', '-1', '1e3']) expect(domainError(() => store.access(unknown, owner)).code).toBe('NOT_FOUND')
    const e = domainError(() => store.access(id, { userId: 'u2', scopes: ['read_trades'] }))
    expect(e.code).toBe('INSUFFICIENT_PERMISSIONS')
    expect(e.details.reason).toBe('not_owner')
    expect(store.access(id, { userId: 'admin', scopes: ['admin_full'] }).userId).toBe('u1')
    expect(domainError(() => store.taskAccess(task.task_id, { userId: 'u2', scopes: [] })).details.reason).toBe('not_owner')
    expect(domainError(() => store.taskAccess('bt_x', owner)).code).toBe('NOT_FOUND')
    expect(domainError(() => store.status(id + 1)).code).toBe('NOT_FOUND')
  })
})
