// pnpm bench health: GET /v1/health requests/s through the full middleware stack vs a bare Hono app.
// Each server runs in its own process; autocannon drives it over loopback from this one.
// Env: BENCH_DURATION (s per side, default 10), BENCH_CONNECTIONS (default 32).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const here = dirname(fileURLToPath(import.meta.url))
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
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

async function measure(mode: 'full' | 'bare' | 'bare-same') {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, '../../packages/server/src/bench/health-server.ts'), mode, samplePath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
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
    const cpu0 = cpuMicros(child.pid!)
    const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S })
    const cpu1 = cpuMicros(child.pid!)
    const cpuPerRequest = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / r.requests.total : NaN
    return { mode, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, cpuPerRequest }
  } finally {
    child.kill('SIGKILL')
  }
}

console.log(`GET /v1/health, ${CONNECTIONS} connections, ${DURATION_S} s each, server and load in separate processes; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`)
const results: Record<string, Awaited<ReturnType<typeof measure>>> = {}
try {
  // full first: bare-same replays the bytes of its response.
  for (const mode of ['full', 'bare-same', 'bare'] as const) {
    const r = await measure(mode)
    results[mode] = r
    console.log(
      `${mode.padEnd(9)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   server CPU ${r.cpuPerRequest.toFixed(1)} µs/request   non-2xx ${r.non2xx}   errors ${r.errors}`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const { full, bare, 'bare-same': same } = results as Record<'full' | 'bare' | 'bare-same', Awaited<ReturnType<typeof measure>>>
const pct = (a: number, b: number) => ((a / b) * 100).toFixed(1)
console.log(`full stack = ${pct(full.rps, same.rps)}% of bare Hono sending the same response (body and headers); target ≥ 60%`)
console.log(`full stack = ${pct(full.rps, bare.rps)}% of bare Hono with a minimal body and no extra headers`)
console.log(`server CPU per request: full / same-response bare = ${pct(same.cpuPerRequest, full.cpuPerRequest)}%, full / minimal bare = ${pct(bare.cpuPerRequest, full.cpuPerRequest)}%`)
