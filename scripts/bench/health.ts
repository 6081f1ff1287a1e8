// pnpm bench health: GET /v1/health requests/s through the full middleware stack vs a bare Hono app.
// Each server runs in its own process; autocannon drives it over loopback from this one.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const here = dirname(fileURLToPath(import.meta.url))
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)

async function measure(mode: 'full' | 'bare') {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, '../../packages/server/src/bench/health-server.ts'), mode], {
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
    await autocannon({ url, connections: CONNECTIONS, duration: 2 }) // warm-up (JIT, caches)
    const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S })
    return { mode, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors }
  } finally {
    child.kill('SIGKILL')
  }
}

console.log(`GET /v1/health, ${CONNECTIONS} connections, ${DURATION_S} s each, server and load in separate processes`)
const results = []
for (const mode of ['bare', 'full'] as const) {
  const r = await measure(mode)
  results.push(r)
  console.log(`${mode.padEnd(5)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   non-2xx ${r.non2xx}   errors ${r.errors}`)
}
const [bare, full] = results
console.log(`full stack = ${((full!.rps / bare!.rps) * 100).toFixed(1)}% of bare Hono throughput`)
