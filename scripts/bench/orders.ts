// pnpm bench orders: POST /v1/trades market orders over loopback, against the real server
// (tsx packages/server/src/main.ts on a file database in a temp dir) in its own process.
//   1. fixed rate (BENCH_RATE, default 1,000 orders/s, open loop: latency is measured from the
//      scheduled send time (or the actual one when earlier), so a stalled server cannot hide its
//      queueing), sent by a lean raw-socket HTTP client (raw-http.ts) so the load generator takes
//      as little as possible of the 2 cores the server runs on;
//   2. max rate (BENCH_CONCURRENCY connections, default 32, closed loop, driven by autocannon so the
//      load generator takes as little of the 2 cores as possible).
// Prints p50/p99 latency and orders/s for each; exits non-zero if any order failed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { Client, kill, startServer } from '../lib/server'
import { RawPool } from './raw-http'

const RATE = Number(process.env.BENCH_RATE ?? 1000)
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3)

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

interface RunResult {
  label: string
  orders: number
  seconds: number
  p50: number
  p99: number
  max: number
  failures: number
  /** Server CPU time per order (ms), from /proc when available. */
  cpuMs?: number
}

function summarize(label: string, latencies: number[], seconds: number, failures: number): RunResult {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { label, orders: latencies.length, seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, failures }
}

function print(r: RunResult): void {
  const cpu = r.cpuMs === undefined ? '' : `   server CPU ${(r.cpuMs * 1000).toFixed(0)} µs/order`
  console.log(
    `${r.label.padEnd(22)} ${(r.orders / r.seconds).toFixed(0).padStart(6)} orders/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms   max ${r.max.toFixed(2)} ms   failures ${r.failures}${cpu}`,
  )
}

/** CPU time (ms) the process has used, or undefined off Linux. */
function cpuOf(pid: number | undefined): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) * 10
  } catch {
    return undefined
  }
}

/** Orders alternating buy and sell, so the position stays near flat. */
const order = (i: number) => ({ symbol: 'BTCUSDT', side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity: 0.001 })

async function fixedRate(c: Client, rate: number, seconds: number, label: string): Promise<RunResult> {
  const pool = new RawPool(c.port)
  const headers = { authorization: `Bearer ${c.token}` }
  const total = Math.round(rate * seconds)
  const interval = 1000 / rate
  const latencies: number[] = []
  let failures = 0
  const inflight: Promise<void>[] = []
  const start = performance.now()
  for (let i = 0; i < total; i++) {
    const due = start + i * interval
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, Math.floor(wait)))
    else if (i % 16 === 0) await new Promise((r) => setImmediate(r))
    // Latency counts from the scheduled time when the send is late (a stalled server or client
    // cannot hide its queueing) and from the actual send when the timer woke a little early.
    const from = Math.min(due, performance.now())
    inflight.push(
      pool.post('/v1/trades', JSON.stringify(order(i)), headers).then(
        (status) => {
          if (status !== 201) failures++
          latencies.push(performance.now() - from)
        },
        () => void failures++,
      ),
    )
  }
  await Promise.all(inflight)
  pool.close()
  return summarize(label, latencies, (performance.now() - start) / 1000, failures)
}

async function maxRate(c: Client, concurrency: number, seconds: number, label: string): Promise<RunResult> {
  const headers = { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' }
  const r = await autocannon({
    url: `http://127.0.0.1:${c.port}/v1/trades`,
    method: 'POST',
    connections: concurrency,
    duration: seconds,
    requests: [0, 1].map((i) => ({ method: 'POST' as const, headers, body: JSON.stringify(order(i)) })),
  })
  const orders = r.requests.total
  return { label, orders, seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, failures: r.non2xx + r.errors }
}

async function measured(pid: number | undefined, run: () => Promise<RunResult>): Promise<RunResult> {
  const before = cpuOf(pid)
  const r = await run()
  const after = cpuOf(pid)
  if (before !== undefined && after !== undefined) r.cpuMs = (after - before) / r.orders
  return r
}

const dir = mkdtempSync(join(tmpdir(), 'smc-bench-'))
const server = await startServer(join(dir, 'bench.db'))
const client = new Client(server.port)
try {
  await client.login()
  // Fees and spreads of tens of thousands of orders would trip the default daily-loss limit.
  await client.json('PUT', '/v1/risk/limits', { max_daily_loss: 1e9, max_drawdown: 1 })
  console.log(`POST /v1/trades (BTCUSDT market, 0.001), real server (pid ${server.child.pid}) on a file database, over loopback`)
  await fixedRate(client, 500, WARMUP_S, 'warm-up')
  const pid = server.child.pid
  const fixed = await measured(pid, () => fixedRate(client, RATE, DURATION_S, `fixed ${RATE}/s`))
  print(fixed)
  const max = await measured(pid, () => maxRate(client, CONCURRENCY, DURATION_S, `max (${CONCURRENCY} in flight)`))
  print(max)
  const rate = max.orders / max.seconds
  console.log(
    `targets: p99 < 5 ms at ${RATE}/s ${fixed.p99 < 5 ? 'met' : 'MISSED'} (${fixed.p99.toFixed(3)} ms); ≥ 3000 orders/s ${rate >= 3000 ? 'met' : 'MISSED'} (${rate.toFixed(0)})`,
  )
  if (fixed.failures + max.failures > 0) process.exitCode = 1
} finally {
  client.close()
  await kill(server.child, 'SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
