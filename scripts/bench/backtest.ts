// pnpm bench backtest: issue 14's benchmark. One seeded random walk of 1,000,000 one-minute BTCUSDT
// candles; for `sma_crossover` and `smc_trend`:
//   (1) indicators  the bare pass of the strategy's indicators over the candles (streaming, as the
//                   strategy feeds them: SMA fast/slow + ATR; the SMC stream + ATR)
//   (1b) strategy   the strategy's onCandle over the candles with a flat account (no engine)
//   (2) core loop   runBacktest over the candles into a sink that drops the records (no HTTP, no
//                   persistence): the engine, the sandbox paper exchange, the strategy. One cold
//                   run first (V8 optimises the engine as it runs), reported apart, then the runs
//                   measured
//   (3) end to end  a real server (createTestContext on an in-memory replay market holding the
//                   candles and a SQLite file in a temporary folder, listening on a port): POST /v1/backtests → status completed, every record
//                   persisted; meanwhile 4 clients loop GET /v1/health (p99) and RSS is sampled
//                   every 20 ms (peak growth over the value before the request). One server per
//                   strategy: its first backtest (which starts the backtest worker) is reported apart,
//                   the next BENCH_BACKTEST_RUNS are the figure.
// Each figure is the median of BENCH_BACKTEST_RUNS runs (default 3) and is printed with its target
// and MET/MISSED. The API refuses more than MAX_BACKTEST_CANDLES candles per backtest: (3) runs on
// min(candles, that limit) and says so.
//   BENCH_BACKTEST_N=<candles> (default 1,000,000)   BENCH_BACKTEST_RUNS=<runs> (default 3)
//   BENCH_BACKTEST_ONLY=sma_crossover|smc_trend      BENCH_BACKTEST_PHASES=1,1b,2,3 (default all)
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createSmcStream } from '../../packages/smc/src/index'
import { StreamingAtr, StreamingSma } from '../../packages/server/src/analytics/indicators/index'
import { MAX_BACKTEST_CANDLES, runBacktest } from '../../packages/server/src/backtest/engine/index'
import { sharedBacktestWorker } from '../../packages/server/src/backtest/worker/index'
import type { BacktestSpec, RunSink } from '../../packages/server/src/backtest/types'
import { createRandom } from '../../packages/server/src/core/index'
import type { CandleColumns } from '../../packages/server/src/market/index'
import { createReplayMarket } from '../../packages/server/src/market/csv/index'
import { getStrategy } from '../../packages/server/src/strategies/registry'
import { candleAt } from '../../packages/server/src/strategies/types'
import { createTestContext } from '../../packages/server/src/testing/index'
import { BTC, MINUTE, walk } from '../lib/candle-walk'
import { median } from '../lib/median'

const N = Math.max(1000, Number(process.env.BENCH_BACKTEST_N ?? 1_000_000) || 1_000_000)
const RUNS = Math.max(1, Number(process.env.BENCH_BACKTEST_RUNS ?? 3) || 3)
const ONLY = process.env.BENCH_BACKTEST_ONLY
const PHASES = new Set((process.env.BENCH_BACKTEST_PHASES ?? '1,1b,2,3').split(','))

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ')
const verdict = (ok: boolean): string => (ok ? 'MET' : 'MISSED')

function line(label: string, value: string, target: string, ok: boolean | null): void {
  console.log(`${label.padEnd(40)} ${value.padStart(22)}   ${target.padEnd(26)} ${ok === null ? '' : verdict(ok)}   (load ${load()})`)
}

/** A sink that counts the records and drops them (the core loop without persistence). */
const nullSink = (): RunSink & { counts: { events: number; equity: number; trades: number } } => {
  const counts = { events: 0, equity: 0, trades: 0 }
  return {
    counts,
    event() {
      counts.events++
    },
    trade() {
      counts.trades++
    },
    equity() {
      counts.equity++
    },
    checkpoint() {},
  }
}

interface Case {
  strategy: 'sma_crossover' | 'smc_trend'
  params: Record<string, unknown>
  coreTarget: number
  /** The bare pass of the strategy's indicators; returns a checksum so nothing is optimised away. */
  indicators(c: CandleColumns, p: Record<string, any>): number
}

const CASES: Case[] = [
  {
    strategy: 'sma_crossover',
    params: { fast: 10, slow: 30 },
    coreTarget: 1_000_000,
    indicators(c, p) {
      const fast = new StreamingSma(p.fast)
      const slow = new StreamingSma(p.slow)
      const atr = new StreamingAtr(p.atr_period)
      const hlc = { high: 0, low: 0, close: 0 }
      let sum = 0
      for (let j = 0; j < c.close.length; j++) {
        hlc.high = c.high[j]!
        hlc.low = c.low[j]!
        hlc.close = c.close[j]!
        const a = atr.update(hlc)
        const f = fast.update(c.close[j]!)
        const s = slow.update(c.close[j]!)
        if (f !== null && s !== null && a !== null) sum += f - s + a
      }
      return sum
    },
  },
  {
    strategy: 'smc_trend',
    params: {},
    coreTarget: 150_000,
    indicators(c, p) {
      const stream = createSmcStream({
        swings: { swingLength: p.swing_length, parity: false },
        bosChoch: { closeBreak: true, parity: false },
        ob: { closeMitigation: false, parity: false },
        fvg: false,
        liquidity: false,
        retracements: false,
        previousHighLow: false,
      })
      const atr = new StreamingAtr(p.atr_period)
      const hlc = { high: 0, low: 0, close: 0 }
      const bar = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 }
      let sum = 0
      for (let j = 0; j < c.close.length; j++) {
        bar.time = c.time[j]!
        bar.open = c.open[j]!
        bar.high = hlc.high = c.high[j]!
        bar.low = hlc.low = c.low[j]!
        bar.close = hlc.close = c.close[j]!
        bar.volume = c.volume[j]!
        stream.push(bar)
        sum += atr.update(hlc) ?? 0
      }
      return sum + stream.length
    },
  },
]

function specOf(k: Case, c: CandleColumns, n: number): BacktestSpec {
  const def = getStrategy(k.strategy)
  return {
    strategy: k.strategy,
    params: def.params.parse(k.params) as Record<string, unknown>,
    symbol: 'BTCUSDT',
    interval: '1m',
    start_time: c.time[0]!,
    end_time: c.time[n - 1]! + MINUTE,
    initial_balance: 10_000,
    taker_fee_bps: 10,
    maker_fee_bps: 2,
    slippage_bps: 0,
  }
}

const slice = (c: CandleColumns, n: number): CandleColumns => ({
  time: c.time.subarray(0, n),
  open: c.open.subarray(0, n),
  high: c.high.subarray(0, n),
  low: c.low.subarray(0, n),
  close: c.close.subarray(0, n),
  volume: c.volume.subarray(0, n),
})

/** RSS sampled every 20 ms until stopped; returns the peak. (`memoryUsage.rss()`: `memoryUsage()` also walks the V8 heap spaces, 2.5 % of the end-to-end run.) */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss()
  const t = setInterval(() => {
    const r = process.memoryUsage.rss()
    if (r > peak) peak = r
  }, 20)
  return {
    stop() {
      clearInterval(t)
      return Math.max(peak, process.memoryUsage.rss())
    },
  }
}

interface E2eRun {
  seconds: number
  p99: number
  requests: number
  rssGrowth: number
  trades: number
}

/**
 * One server (a real one, on a port) for a case's end-to-end runs: the first backtest on it is the
 * cold one (it starts the backtest worker, whose code V8 has not optimised yet) and is reported on
 * its own; the next RUNS are the measured ones, as on a server that has been up for a while.
 */
async function endToEnd(k: Case, candles: CandleColumns, n: number): Promise<{ cold: E2eRun; runs: E2eRun[] }> {
  const data = slice(candles, n)
  // A database file, as `pnpm start` keeps one (WAL): an in-memory one would hold every record in RSS.
  const dir = mkdtempSync(join(tmpdir(), 'bench-backtest-'))
  const ctx = await createTestContext(
    { RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false', DATABASE_URL: join(dir, 'smc-trading.db') },
    {
      epoch: data.time[n - 1]! + 2 * MINUTE,
      market: (clock) =>
        createReplayMarket({
          clock,
          source: { stepMinutes: 1, series: new Map([['BTCUSDT', data]]), instruments: [BTC], files: [] },
          speed: 1,
          start: Number.MAX_SAFE_INTEGER,
          seed: 'bench',
        }),
    },
  )
  try {
    const server = await ctx.listen()
    const token = await ctx.token(['read_trades', 'write_trades'], 'bench')
    const health = `${server.url}/v1/health`
    const auth = { Authorization: `Bearer ${token}` }
    await fetch(health).then((r) => r.arrayBuffer())
    const once = async (): Promise<E2eRun> => {
      if (global.gc) global.gc()
      const rss0 = process.memoryUsage.rss()
      const sampler = rssSampler()
      const latencies: number[] = []
      let running = true
      const client = async (): Promise<void> => {
        while (running) {
          const t = performance.now()
          const r = await fetch(health)
          await r.arrayBuffer()
          latencies.push(performance.now() - t)
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      }
      const clients = Array.from({ length: 4 }, client)
      const spec = specOf(k, data, n)
      const t0 = performance.now()
      const res = await fetch(`${server.url}/v1/backtests`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...spec, start_time: new Date(spec.start_time).toISOString(), end_time: new Date(spec.end_time).toISOString() }),
      })
      const body = (await res.json()) as { execution_id: number }
      if (res.status !== 202) throw new Error(`POST /v1/backtests → ${res.status} ${JSON.stringify(body)}`)
      let status = ''
      while (status !== 'completed') {
        await new Promise((resolve) => setTimeout(resolve, 10))
        const s = (await (await fetch(`${server.url}/v1/executions/${body.execution_id}/status`, { headers: auth })).json()) as { status: string; error_message: string | null }
        status = s.status
        if (status === 'failed' || status === 'stopped') throw new Error(`backtest ${status}: ${s.error_message}`)
      }
      const seconds = (performance.now() - t0) / 1000
      running = false
      await Promise.all(clients)
      const peak = sampler.stop()
      const tr = (await (await fetch(`${server.url}/v1/executions/${body.execution_id}/trades?page_size=1`, { headers: auth })).json()) as { count: number }
      latencies.sort((a, b) => a - b)
      return { seconds, p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Number.NaN, requests: latencies.length, rssGrowth: peak - rss0, trades: tr.count }
    }
    const cold = await once()
    const runs: E2eRun[] = []
    for (let r = 0; r < RUNS; r++) runs.push(await once())
    return { cold, runs }
  } finally {
    ctx.services.backtests.stopAll()
    await ctx.services.backtests.idle()
    await ctx.close()
    // The process's backtest worker outlives a server: end it, so each case's first run starts one.
    await sharedBacktestWorker().close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const candles = walk(N, 'bench-backtest')
console.log(`pnpm bench backtest: ${fmt(N)} 1m BTCUSDT candles (seeded walk), median of ${RUNS} runs, node ${process.version}, load ${load()}`)
for (const k of CASES) {
  if (ONLY && ONLY !== k.strategy) continue
  const def = getStrategy(k.strategy)
  const p = def.params.parse(k.params) as { risk_fraction: number } & Record<string, any>
  console.log(`\n${k.strategy} ${JSON.stringify(k.params)}`)

  let ind = Number.NaN
  if (PHASES.has('1')) {
    const rates: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now()
      k.indicators(candles, p)
      rates.push(N / ((performance.now() - t) / 1000))
    }
    ind = median(rates)
    line('(1) indicators, bare pass', `${fmt(ind)} candles/s`, '', null)
  }

  if (PHASES.has('1b')) {
    const rates: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const inst = def.create(p, { symbol: 'BTCUSDT', interval: '1m', instrument: BTC, random: createRandom('bench') })
      const account = { equity: 10_000, available: 10_000, position: null }
      const t = performance.now()
      for (let i = 0; i < N; i++) inst.onCandle({ candles: slice(candles, i + 1), index: i, candle: candleAt(candles, i), account })
      rates.push(N / ((performance.now() - t) / 1000))
    }
    line('(1b) strategy alone, flat account', `${fmt(median(rates))} candles/s`, '', null)
  }

  let core = Number.NaN
  if (PHASES.has('2')) {
    const rates: number[] = []
    let sink = nullSink()
    // The first run is V8's warm-up of the engine (it optimises the code as it runs): reported apart,
    // as a server's first backtest is in (3).
    let cold = Number.NaN
    for (let r = 0; r <= RUNS; r++) {
      sink = nullSink()
      const t = performance.now()
      await runBacktest(specOf(k, candles, N), candles, sink, { instrument: BTC, maxCandles: N })
      const rate = N / ((performance.now() - t) / 1000)
      if (r === 0) cold = rate
      else rates.push(rate)
    }
    core = median(rates)
    line('(2) core loop', `${fmt(core)} candles/s`, `≥ ${fmt(k.coreTarget)}/s`, core >= k.coreTarget)
    console.log(`    (${fmt(sink.counts.trades)} round trips, ${fmt(sink.counts.events)} events, ${fmt(sink.counts.equity)} equity points; the first, cold run: ${fmt(cold)} candles/s; the measured runs: ${rates.map(fmt).join(' / ')})`)
    if (Number.isFinite(ind)) line('(2) ÷ (1) time ratio', `${(ind / core).toFixed(2)}×`, '≤ 3×', ind / core <= 3)
  }

  if (PHASES.has('3')) {
    const n = Math.min(N, MAX_BACKTEST_CANDLES)
    const { cold, runs } = await endToEnd(k, candles, n)
    const e2e = median(runs.map((x) => n / x.seconds))
    const p99 = median(runs.map((x) => x.p99))
    // The worst run: the cold one also starts the backtest worker.
    const rss = Math.max(cold.rssGrowth, ...runs.map((x) => x.rssGrowth)) / 2 ** 20
    const note = n < N ? ` on ${fmt(n)} (API limit)` : ''
    line(`(3) end to end${note}`, `${fmt(e2e)} candles/s`, '≥ 300,000/s', e2e >= 300_000)
    line('(3) GET /v1/health p99 during the run', `${p99.toFixed(1)} ms`, '< 50 ms', p99 < 50)
    line('(3) peak RSS growth during a run', `${rss.toFixed(0)} MB`, '< 300 MB', rss < 300)
    console.log(`    (first run on the fresh server: ${fmt(n / cold.seconds)} candles/s, health p99 ${cold.p99.toFixed(1)} ms, RSS growth ${(cold.rssGrowth / 2 ** 20).toFixed(0)} MB; the next runs' RSS growth ${runs.map((x) => (x.rssGrowth / 2 ** 20).toFixed(0)).join('/')} MB)`)
    console.log(`    (${runs.map((x) => x.requests).join('/')} health requests, ${runs[0]!.trades} round trips per run)`)
  }
}
