import { readdirSync, readFileSync } from 'node:fs'
import { getPriority } from 'node:os'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../core'
import { ExecutionStore } from '../../executions'
import { closeDatabase, openDatabase, type Db } from '../../store'
import { SqliteExecutionRepository } from '../../store/repositories/executions'
import { getStrategy } from '../../strategies/registry'
import { readBacktestCandles } from '../engine'
import { ETH, HOUR, specFor, walk } from '../engine/test-fixtures'
import { createReplayMarket } from '../../market/csv'
import { inThisThread, type BacktestRunner } from '../runner'
import type { BacktestSpec } from '../types'
import { WORKER_NICE } from './lower-priority.mjs'
import { BacktestWorker } from './pool'

// The worker runs paper trading's engine on its own thread: these tests hold it to the records of
// the same run in the server's thread, and to the controls and failures the executions API relies on.

const dbs: Db[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) closeDatabase(db)
})
const worker = new BacktestWorker()
afterAll(() => worker.close())

function store(): { store: ExecutionStore; repo: SqliteExecutionRepository } {
  const db = openDatabase(':memory:')
  dbs.push(db)
  const repo = new SqliteExecutionRepository(db)
  // A small flush size: the records cross several batches and several flushes.
  return { repo, store: new ExecutionStore(repo, { clock: new ManualClock(Date.UTC(2026, 0, 1)), flushEvery: 97 }) }
}

const candles = walk(3000, 'worker')
const spec = (over: Partial<BacktestSpec> = {}): BacktestSpec =>
  specFor(candles, { strategy: 'sma_crossover', params: getStrategy('sma_crossover').params.parse({ fast: 5, slow: 20 }) as Record<string, unknown>, ...over })

/** The nice value of each thread of this process (Linux), by thread id. */
function threadNice(): Map<number, number> {
  const out = new Map<number, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // Fields after the command name: state is field 3, nice field 19.
      out.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]))
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out
}

/** Everything a run persisted, without the wall-clock columns. */
function persisted(repo: SqliteExecutionRepository, id: number) {
  const all = { afterSequence: 0, limit: 1_000_000, offset: 0 }
  const points = repo.equityBlocks(id, 1, Number.MAX_SAFE_INTEGER).flatMap((b) => [...new Float64Array(b.points.buffer.slice(b.points.byteOffset, b.points.byteOffset + b.points.byteLength))])
  return {
    events: repo.events(id, all).rows.map(({ createdAt: _, ...e }) => e),
    trades: repo.trades(id, all).rows.map(({ createdAt: _, ...t }) => t),
    points,
    checkpoint: repo.latestCheckpoint(id)?.metrics,
  }
}

async function runOn(runner: BacktestRunner, s: BacktestSpec) {
  const { store: st, repo } = store()
  const id = st.createTask('u1', s).execution.execution_id
  st.setStatus(id, 'running')
  const progress: number[] = []
  // A copy: the worker takes the buffers of the candles it is given.
  const result = await runner.start(s, structuredClone(candles), st.sink(id), { instrument: ETH, onProgress: (p) => progress.push(p) }).done
  st.setStatus(id, 'completed')
  return { result, progress, records: persisted(repo, id) }
}

/** A long sma_crossover run started on `runner`, and the candles it has processed so far. */
function started(runner: BacktestRunner, long: ReturnType<typeof walk>) {
  const s = specFor(long, { strategy: 'sma_crossover', params: getStrategy('sma_crossover').params.parse({}) as Record<string, unknown> })
  const { store: st } = store()
  const id = st.createTask('u1', s).execution.execution_id
  st.setStatus(id, 'running')
  let processed = 0
  const handle = runner.start(s, long, st.sink(id), { instrument: ETH, onProgress: (p) => (processed = p) })
  return { handle, processed: () => processed }
}

describe('BacktestWorker', () => {
  it('persists the same records as a run in this thread (events, trades, every equity point, the last checkpoint)', async () => {
    for (const s of [spec(), spec({ slippage_bps: 3, taker_fee_bps: 7 })]) {
      const here = await runOn(inThisThread, s)
      const there = await runOn(worker, s)
      expect(here.records.trades.length).toBeGreaterThan(5)
      expect(there.records.points).toHaveLength(4 * candles.time.length)
      expect(there.records).toEqual(here.records)
      expect(there.result).toEqual(here.result)
      expect(there.progress.at(-1)).toBe(candles.time.length)
    }
  })

  it('moves a finished run’s candle buffers back, and the next read of that length fills them', async () => {
    const own = new BacktestWorker()
    try {
      const market = createReplayMarket({
        clock: new ManualClock(candles.time[candles.time.length - 1]! + 2 * HOUR),
        source: { stepMinutes: 60, series: new Map([['ETHUSDT', candles]]), instruments: [ETH], files: [] },
        speed: 1,
        start: Number.MAX_SAFE_INTEGER,
        seed: 'worker-pool',
      })
      const s = { ...spec(), symbol: 'ETHUSDT', interval: '1h' as const }
      const first = await readBacktestCandles(market, s, { chunk: 500, pool: own.candlePool })
      const n = first.time.length
      expect(n).toBe(candles.time.length)
      const size = first.time.buffer.byteLength
      const { store: st, repo } = store()
      const id = st.createTask('u1', s).execution.execution_id
      await own.start(s, first, st.sink(id), { instrument: ETH }).done
      // The worker took the buffers and moved them back when the run ended.
      expect(first.time.length).toBe(0)
      expect(own.candlePool.bytes).toBe(6 * size)
      const second = await readBacktestCandles(market, s, { chunk: 500, pool: own.candlePool })
      expect(own.candlePool.bytes).toBe(0)
      expect([...second.close]).toEqual([...candles.close])
      const { store: st2, repo: repo2 } = store()
      const id2 = st2.createTask('u1', s).execution.execution_id
      await own.start(s, second, st2.sink(id2), { instrument: ETH }).done
      expect(persisted(repo2, id2)).toEqual(persisted(repo, id))
    } finally {
      await own.close()
    }
    expect(own.candlePool.bytes).toBe(0)
  })

  it.runIf(process.platform === 'linux')('runs on a thread of lower CPU priority (nice WORKER_NICE); the server’s thread keeps its own', async () => {
    const own = getPriority()
    const before = threadNice()
    const w = new BacktestWorker()
    try {
      await runOn(w, spec())
      const added = [...threadNice()].filter(([tid]) => !before.has(tid))
      // The worker's thread (and any thread V8 or libuv added meanwhile, at the process's value).
      expect(added.filter(([, nice]) => nice === WORKER_NICE)).toHaveLength(1)
      expect(WORKER_NICE).toBeGreaterThan(own)
      expect(getPriority()).toBe(own)
      expect(threadNice().get(process.pid)).toBe(own)
    } finally {
      await w.close()
    }
  })

  it('pauses, resumes and stops a run in the worker', async () => {
    const long = walk(60_000, 'worker-long')
    const total = long.time.length
    const run = started(worker, long)
    // The worker took the candles' buffers: nothing was copied.
    expect(long.time.length).toBe(0)
    run.handle.pause()
    await new Promise((r) => setTimeout(r, 300))
    const atPause = run.processed()
    await new Promise((r) => setTimeout(r, 300))
    expect(run.processed()).toBe(atPause)
    expect(atPause).toBeLessThan(total)
    run.handle.resume()
    while (run.processed() === atPause) await new Promise((r) => setTimeout(r, 5))
    run.handle.stop()
    const result = await run.handle.done
    expect(result.status).toBe('stopped')
    expect(result.processed).toBeGreaterThan(atPause)
    expect(result.processed).toBeLessThan(total)
  })

  it('a worker that dies fails the runs it held, and the next run starts a new one', async () => {
    const doomed = new BacktestWorker()
    const run = started(doomed, walk(100_000, 'worker-doomed'))
    while (run.processed() === 0) await new Promise((r) => setTimeout(r, 5))
    await doomed.close()
    await expect(run.handle.done).rejects.toThrow(/backtest worker exited/)
    expect(doomed.active).toBe(0)
    const again = await runOn(doomed, spec())
    expect(again.result.status).toBe('completed')
    await doomed.close()
  })

  it('a failure inside the engine reaches the caller with its message', async () => {
    // An instrument for another symbol: the engine refuses it once the run starts.
    const { store: st } = store()
    const s = spec()
    const id = st.createTask('u1', s).execution.execution_id
    st.setStatus(id, 'running')
    const handle = worker.start(s, candles, st.sink(id), { instrument: { ...ETH, symbol: 'BTCUSDT' } })
    await expect(handle.done).rejects.toThrow(/instrument BTCUSDT is not ETHUSDT/)
  })
})
