// pnpm bench health: GET /v1/health requests/s through the full middleware stack vs a bare Hono app.
// Each server runs in its own process; autocannon drives it over loopback from this one.
// Env: BENCH_DURATION (s per server and round, default 5), BENCH_ROUNDS (default 5), BENCH_CONNECTIONS (default 32).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { median } from '../lib/median'
import { SERVER_NODE_FLAGS } from '../lib/server-node-flags'

const here = dirname(fileURLToPath(import.meta.url))
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const dir = mkdtempSync(join(tmpdir(), 'bench-health-'))
const samplePath = join(dir, 'sample.json')
/** Headers node writes itself; the rest of a full response is replayed by `bare-same`. */
const NODE_HEADERS = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding'])

/** Server CPU (user + system, µs) of a child process, from /proc (Linux); undefined elsewhere. */
function cpuMicros(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1e6
  } catch {
    return undefined
  }
}

type Mode = 'full' | 'bare' | 'bare-same'
interface Server {
  mode: Mode
  url: string
  pid: number
  kill(): void
}

async function startServer(mode: Mode): Promise<Server> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', join(here, '../../packages/server/src/bench/health-server.ts'), mode, samplePath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /LISTENING (\d+)/.exec(d.toString())
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)))
  })
  const url = `http://127.0.0.1:${port}/v1/health`
  if (mode === 'full') {
    const res = await fetch(url)
    const headers: Record<string, string> = {}
    res.headers.forEach((v, k) => {
      if (!NODE_HEADERS.has(k)) headers[k] = v
    })
    writeFileSync(samplePath, JSON.stringify({ body: await res.text(), headers }))
  }
  await autocannon({ url, connections: CONNECTIONS, duration: 2 }) // warm-up (JIT, caches)
  return { mode, url, pid: child.pid!, kill: () => child.kill('SIGKILL') }
}

async function measure(server: Server) {
  const cpu0 = cpuMicros(server.pid)
  const r = await autocannon({ url: server.url, connections: CONNECTIONS, duration: DURATION_S })
  const cpu1 = cpuMicros(server.pid)
  const cpuPerRequest = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / r.requests.total : NaN
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, cpuPerRequest }
}
type Result = Awaited<ReturnType<typeof measure>>

const pct = (x: number) => `${(x * 100).toFixed(1)}%`

console.log(
  `GET /v1/health, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s per server, the three servers in their own processes (${SERVER_NODE_FLAGS.join(' ')}) and the load in this one; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
)
const modes = ['full', 'bare-same', 'bare'] as const
const servers: Server[] = []
const rounds: Record<Mode, Result>[] = []
try {
  // full first: bare-same replays the bytes of its response.
  for (const mode of modes) servers.push(await startServer(mode))
  // Interleaved rounds: this virtual machine's speed drifts by up to 2x over minutes, so each ratio
  // compares servers measured seconds apart, and the summary takes the median round.
  for (let i = 0; i < ROUNDS; i++) {
    const round = {} as Record<Mode, Result>
    for (const server of servers) {
      const r = (round[server.mode] = await measure(server))
      console.log(
        `round ${i + 1} ${server.mode.padEnd(9)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   server CPU ${r.cpuPerRequest.toFixed(1)} µs/request   non-2xx ${r.non2xx}   errors ${r.errors}`,
      )
    }
    console.log(`round ${i + 1} full / bare-same: ${pct(round.full.rps / round['bare-same'].rps)} of the requests/s, ${pct(round['bare-same'].cpuPerRequest / round.full.cpuPerRequest)} of the CPU per request`)
    rounds.push(round)
  }
} finally {
  for (const s of servers) s.kill()
  rmSync(dir, { recursive: true, force: true })
}
const ratio = (other: Mode) => median(rounds.map((r) => r.full.rps / r[other].rps))
const cpuRatio = (other: Mode) => median(rounds.map((r) => r[other].cpuPerRequest / r.full.cpuPerRequest))
console.log(`full stack = ${pct(ratio('bare-same'))} of bare Hono sending the same response (body and headers), median of ${ROUNDS} rounds; target ≥ 60%`)
console.log(`full stack = ${pct(ratio('bare'))} of bare Hono with a minimal body and no extra headers (median)`)
console.log(`server CPU per request: full / same-response bare = ${pct(cpuRatio('bare-same'))}, full / minimal bare = ${pct(cpuRatio('bare'))} (medians)`)
