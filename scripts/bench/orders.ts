// pnpm bench orders: POST /v1/trades market orders over loopback, against the real server
// (tsx packages/server/src/main.ts on a file database in a temp dir) in its own process.
//   1. fixed rate (BENCH_RATE, default 1,000 orders/s, open loop: latency is measured from the
//      scheduled send time, so a stalled server cannot hide its queueing);
//   2. max rate (BENCH_CONCURRENCY requests in flight, default 32, closed loop).
// Prints p50/p99 latency and orders/s for each; exits non-zero if any order failed.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const RATE = Number(process.env.BENCH_RATE ?? 1000)
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3)
const DEMO_KEY = 'smc_demo_bench_key_0123456789'

const agent = new Agent({ keepAlive: true, maxSockets: 256 })

interface Reply {
  status: number
  body: string
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

export async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'smc-bench-'))
  // BENCH_SERVER_ARGS: extra node flags for the server (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', join(root, 'packages/server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: join(dir, 'bench.db'),
      LOG_LEVEL: 'warn',
      MARKET_HISTORY_DAYS: '2',
      RATE_LIMIT_ENABLED: 'false',
      SMC_DEMO_API_KEY: DEMO_KEY,
      PAPER_INITIAL_BALANCE: '10000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  return { child, port, dir }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

interface RunResult {
  label: string
  orders: number
  seconds: number
  p50: number
  p99: number
  max: number
  failures: number
}

function summarize(label: string, latencies: number[], seconds: number, failures: number): RunResult {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { label, orders: latencies.length, seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, failures }
}

function print(r: RunResult): void {
  console.log(
    `${r.label.padEnd(22)} ${(r.orders / r.seconds).toFixed(0).padStart(6)} orders/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms   max ${r.max.toFixed(3)} ms   failures ${r.failures}`,
  )
}

/** Order bodies alternating buy and sell, so the position stays near flat. */
function orderBody(i: number): string {
  return JSON.stringify({ symbol: 'BTCUSDT', side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity: 0.001 })
}

async function fixedRate(port: number, headers: Record<string, string>, rate: number, seconds: number, label: string): Promise<RunResult> {
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
    inflight.push(
      send(port, 'POST', '/v1/trades', headers, orderBody(i)).then(
        (res) => {
          if (res.status !== 201) failures++
          latencies.push(performance.now() - due)
        },
        () => void failures++,
      ),
    )
  }
  await Promise.all(inflight)
  return summarize(label, latencies, (performance.now() - start) / 1000, failures)
}

async function maxRate(port: number, headers: Record<string, string>, concurrency: number, seconds: number, label: string): Promise<RunResult> {
  const latencies: number[] = []
  let failures = 0
  let i = 0
  const start = performance.now()
  const end = start + seconds * 1000
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const t = performance.now()
      try {
        const res = await send(port, 'POST', '/v1/trades', headers, orderBody(i++))
        if (res.status !== 201) failures++
      } catch {
        failures++
      }
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return summarize(label, latencies, (performance.now() - start) / 1000, failures)
}

export async function tradingToken(port: number): Promise<string> {
  const res = await send(port, 'POST', '/v1/auth/generate-token', { 'x-api-key': DEMO_KEY }, JSON.stringify({ user_id: 'demo', permissions: ['write_trades', 'read_trades', 'read_risk_metrics'], expires_in: 86_400 }))
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.body}`)
  return (JSON.parse(res.body) as { token: string }).token
}

async function main(): Promise<void> {
  const { child, port, dir } = await startServer({})
  try {
    const token = await tradingToken(port)
    const headers = { authorization: `Bearer ${token}` }
    // Fees and spreads of tens of thousands of orders would trip the default daily-loss limit.
    const limits = await send(port, 'PUT', '/v1/risk/limits', headers, JSON.stringify({ max_daily_loss: 1e9, max_drawdown: 1 }))
    if (limits.status !== 200) throw new Error(`limits: ${limits.status} ${limits.body}`)
    console.log(`POST /v1/trades (BTCUSDT market, 0.001), server pid ${child.pid} on a file database, loopback`)
    await fixedRate(port, headers, 500, WARMUP_S, 'warm-up')
    const results = [await fixedRate(port, headers, RATE, DURATION_S, `fixed ${RATE}/s`), await maxRate(port, headers, CONCURRENCY, DURATION_S, `max (${CONCURRENCY} in flight)`)]
    for (const r of results) print(r)
    const fixed = results[0]!
    const max = results[1]!
    console.log(
      `targets: p99 < 5 ms at ${RATE}/s: ${fixed.p99 < 5 ? 'met' : 'MISSED'} (${fixed.p99.toFixed(3)} ms); ≥ 3000 orders/s sustained: ${max.orders / max.seconds >= 3000 ? 'met' : 'MISSED'} (${(max.orders / max.seconds).toFixed(0)})`,
    )
    if (results.some((r) => r.failures > 0)) process.exitCode = 1
  } finally {
    child.kill('SIGKILL')
    agent.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
else if (process.argv[2] === 'orders') await main()
