// pnpm bench ws-fanout: WebSocket fan-out of market ticks over loopback. The server (real services,
// HTTP + /v1/ws hub) runs in its own process with a feed ticking each symbol BENCH_RATE times a
// second; this process opens BENCH_CLIENTS connections (one token each), subscribes every one to
// `market_data.{symbol}` of BENCH_SYMBOLS symbols, and measures for BENCH_DURATION seconds after
// BENCH_WARMUP seconds:
//   messages/s delivered, tick-to-client latency p50/p99/max (tick time → frame parsed here; the
//   wire timestamp has ms resolution, so figures include up to 1 ms of truncation), server RSS and
//   CPU, and lost messages (every client must receive every tick of its symbols, with gapless seq).
//   BENCH_SUBS=<n>: symbols per client (default all, spread round-robin otherwise).
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FromServer, ToServer } from './ws-fanout/server'

const here = dirname(fileURLToPath(import.meta.url))
/** The part of `ws`'s client the bench uses. */
interface WebSocketType {
  on(event: 'message', listener: (raw: Buffer) => void): void
  once(event: 'error' | 'close', listener: (e?: unknown) => void): void
  send(data: string): void
  terminate(): void
}
// `ws` is a dependency of the server package, not of the workspace root.
const WebSocket = createRequire(join(here, '../../packages/server/package.json'))('ws') as new (url: string, opts: object) => WebSocketType

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000)
const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 5)
const RATE = Number(process.env.BENCH_RATE ?? 10)
const DURATION_S = Number(process.env.BENCH_DURATION ?? 15)
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3)
const SUBS = Math.min(SYMBOLS, Number(process.env.BENCH_SUBS ?? SYMBOLS))

const child = fork(join(here, 'ws-fanout/server.ts'), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, BENCH_CLIENTS: String(CLIENTS), BENCH_SYMBOLS: String(SYMBOLS) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
const toServer = (m: ToServer): void => void child.send(m)
const inbox: FromServer[] = []
const waiters: ((m: FromServer) => void)[] = []
let rssPeakSeen = 0
child.on('message', (m: FromServer) => {
  if (m.type === 'rss') rssPeakSeen = Math.max(rssPeakSeen, m.rss)
  else {
    const w = waiters.shift()
    if (w) w(m)
    else inbox.push(m)
  }
})
const fromServer = (): Promise<FromServer> => new Promise((resolve) => (inbox.length ? resolve(inbox.shift()!) : waiters.push(resolve)))
child.once('exit', (code) => {
  if (code !== 0 && code !== null) {
    console.error(`ws-fanout: server process exited with ${code}`)
    process.exit(1)
  }
})

const ready = await fromServer()
if (ready.type !== 'ready') throw new Error(`unexpected ${ready.type}`)
const symbols = ready.symbols
console.log(`ws-fanout: ${CLIENTS} clients × ${SUBS} of ${symbols.length} symbols (${symbols.join(', ')}) at ${RATE} ticks/s each, ${WARMUP_S}s warm-up + ${DURATION_S}s measured, loopback`)

// Latencies of the measured window, in µs, preallocated for the expected count (+ slack).
const expected = CLIENTS * SUBS * RATE * DURATION_S
let lat = new Float64Array(Math.ceil(expected * 1.2) + 1024)
let nLat = 0
let measureFrom = Infinity
let measureTo = Infinity
let inWindow = 0
let seqGaps = 0
let closedEarly = 0
const received: Record<string, number>[] = []
const now = (): number => performance.timeOrigin + performance.now()

interface Frame {
  seq: number
  type: string
  data: { symbol: string; timestamp: string }
}

function open(i: number): Promise<WebSocketType> {
  const counts: Record<string, number> = {}
  received[i] = counts
  const mine = Array.from({ length: SUBS }, (_, k) => symbols[(i + k) % symbols.length]!)
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${ready.type === 'ready' ? ready.wsUrl : ''}?token=${ready.type === 'ready' ? ready.tokens[i] : ''}`, { perMessageDeflate: false })
    let seq = 0
    ws.on('message', (raw: Buffer) => {
      // The load generator shares the 2 cores with the server: read the few fields it needs from
      // the text instead of parsing every frame (control frames are parsed in full).
      const text = raw.toString('latin1')
      const comma = text.indexOf(',', 7)
      const frameSeq = Number(text.slice(7, comma))
      if (frameSeq !== ++seq) {
        seqGaps++
        seq = frameSeq
      }
      if (text.startsWith('"type":"market_data_update"', comma + 1)) {
        const at = now()
        const sym = text.slice(text.indexOf('"symbol":"', comma) + 10, text.indexOf('"', text.indexOf('"symbol":"', comma) + 10))
        counts[sym] = (counts[sym] ?? 0) + 1
        const ts = text.indexOf('"timestamp":"', comma)
        const sent = Date.parse(text.slice(ts + 13, ts + 37))
        if (sent >= measureFrom && sent < measureTo) {
          inWindow++
          if (nLat === lat.length) {
            const bigger = new Float64Array(lat.length * 2)
            bigger.set(lat)
            lat = bigger
          }
          lat[nLat++] = (at - sent) * 1000
        }
        return
      }
      const f = JSON.parse(text) as Frame
      if (f.type === 'authenticated') ws.send(JSON.stringify({ action: 'subscribe', channels: mine.map((s) => `market_data.${s}`) }))
      else if (f.type === 'subscribed') resolve(ws)
      else if (f.type === 'error') reject(new Error(JSON.stringify(f.data)))
    })
    ws.once('error', reject)
    ws.once('close', () => closedEarly++)
  })
}

const t0 = performance.now()
const sockets: WebSocketType[] = []
for (let i = 0; i < CLIENTS; i += 50) sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, (_, k) => open(i + k)))))
console.log(`  connected and subscribed ${CLIENTS} clients in ${(performance.now() - t0).toFixed(0)} ms`)

const startAt = Date.now()
measureFrom = startAt + WARMUP_S * 1000
measureTo = measureFrom + DURATION_S * 1000
toServer({ type: 'start', seconds: WARMUP_S + DURATION_S, rate: RATE })
const done = await fromServer()
if (done.type !== 'done') throw new Error(`unexpected ${done.type}`)
// Let the last frames arrive.
await new Promise((r) => setTimeout(r, 1000))

const sorted = lat.subarray(0, nLat).sort()
const pct = (p: number): number => sorted[Math.min(nLat - 1, Math.floor((p / 100) * nLat))]! / 1000
let lost = 0
let got = 0
for (let i = 0; i < CLIENTS; i++) {
  for (let k = 0; k < SUBS; k++) {
    const s = symbols[(i + k) % symbols.length]!
    const want = done.ticks[s] ?? 0
    const have = received[i]![s] ?? 0
    got += have
    lost += Math.max(0, want - have)
  }
}
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`
const ticksTotal = Object.values(done.ticks).reduce((a, b) => a + b, 0)
console.log(`  ticks emitted:        ${ticksTotal} (${(ticksTotal / (done.wallMs / 1000)).toFixed(1)}/s over ${symbols.length} symbols)`)
console.log(`  messages delivered:   ${got} total, ${(inWindow / DURATION_S).toFixed(0)}/s in the measured window`)
console.log(`  latency tick→client:  p50 ${pct(50).toFixed(2)} ms   p99 ${pct(99).toFixed(2)} ms   p99.9 ${pct(99.9).toFixed(2)} ms   max ${pct(100).toFixed(2)} ms   (${nLat} samples)`)
const f = done.fanoutMs
const fp = (p: number): string => (f[Math.min(f.length - 1, Math.floor((p / 100) * f.length))] ?? NaN).toFixed(2)
console.log(`  server fan-out/tick:  p50 ${fp(50)} ms   p99 ${fp(99)} ms   (time to hand one tick to every subscriber's socket)`)
console.log(`  server RSS:           peak ${mb(Math.max(done.rssPeak, rssPeakSeen))}, end ${mb(done.rssEnd)}`)
console.log(`  server CPU:           ${((done.cpuMs / done.wallMs) * 100).toFixed(0)} % of one core`)
console.log(`  lost messages:        ${lost}   seq gaps: ${seqGaps}   connections closed early: ${closedEarly}`)
console.log(`  machine:              ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes skew the figures)`)
const target = pct(99) < 25 && lost === 0 && seqGaps === 0 && closedEarly === 0
console.log(`  target (p99 < 25 ms, nothing lost): ${target ? 'met' : 'NOT met'}`)

for (const ws of sockets) ws.terminate()
toServer({ type: 'stop' })
await new Promise((r) => child.once('exit', r))
process.exitCode = lost === 0 && seqGaps === 0 ? 0 : 1
