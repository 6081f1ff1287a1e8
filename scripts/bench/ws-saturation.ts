// pnpm bench ws-saturation: how far the /v1/ws hub can fan market ticks out, side by side with a
// bare `ws` server broadcasting the same pre-serialised frames (no auth, no channels, no seq, no
// journal), in the same run. Processes: the hub server, the bare server and BENCH_WORKERS (2)
// client processes holding BENCH_CLIENTS (1,000) clients of each server, every client subscribed to
// BENCH_SYMBOLS (5) symbols. Each step offers `clients × symbols × rate` deliveries/s for
// BENCH_STEP_S (4) seconds; the two sides take turns, step by step, so both see the same machine.
// A step is held when nothing is lost (every client got every tick within BENCH_DRAIN_MS after the
// feed stopped, hub seq gapless) and p99 latency (tick due time → frame read) < 25 ms. A rate is
// held when most of its BENCH_TRIES (3) steps are: one step is a coin toss near the limit (a tick is
// 1,000 socket writes, and the clients share the two cores), so the search compares what each side
// holds most of the time, not its luckiest step. The rate grows ×BENCH_GROWTH (1.3) until a rate is
// not held; then BENCH_REFINE (2) bisection rates between the last held and the failed one. Figures
// are deliveries/s (frames read by clients); the summary's are the median step (of two, the worse)
// of the best held rate. Both servers run with the node flags of `pnpm start`. The machine is
// shared: run it several times and compare; the ratio is meaningful within one run.
import { fork, type ChildProcess } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SERVER_NODE_FLAGS } from '../lib/server-node-flags'
import { percentile } from './ws-saturation/histogram'
import type { FromClients, FromServer, Side, ToClients, ToServer } from './ws-saturation/protocol'

const here = dirname(fileURLToPath(import.meta.url))
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000)
const SYMBOLS = Number(process.env.BENCH_SYMBOLS ?? 5)
const WORKERS = Math.max(2, Number(process.env.BENCH_WORKERS ?? 2))
const STEP_S = Number(process.env.BENCH_STEP_S ?? 4)
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 1500)
const START_RATE = Number(process.env.BENCH_START_RATE ?? 4)
const GROWTH = Number(process.env.BENCH_GROWTH ?? 1.3)
const REFINE = Number(process.env.BENCH_REFINE ?? 2)
const TRIES = Math.max(1, Number(process.env.BENCH_TRIES ?? 3))
/** Steps that decide a rate: a majority of TRIES. */
const MAJORITY = Math.floor(TRIES / 2) + 1
const MAX_RATE = Number(process.env.BENCH_MAX_RATE ?? 400)
const P99_HELD_MS = 25
const P99_BEHIND_MS = 100
if (CLIENTS % (10 * WORKERS) !== 0) throw new Error(`BENCH_CLIENTS must be a multiple of ${10 * WORKERS} (10 clients per token, split evenly over workers)`)

/** A child process spoken to in request/response pairs over IPC. */
class Child<In, Out> {
  private readonly inbox: Out[] = []
  private readonly waiters: ((m: Out) => void)[] = []
  constructor(readonly name: string, readonly proc: ChildProcess) {
    proc.on('message', (m: Out) => {
      const w = this.waiters.shift()
      if (w) w(m)
      else this.inbox.push(m)
    })
    proc.once('exit', (code) => {
      if (code !== 0 && code !== null && !stopping) {
        console.error(`ws-saturation: ${name} exited with ${code}`)
        process.exit(1)
      }
    })
  }
  send(m: In): void {
    this.proc.send(m as object)
  }
  next(): Promise<Out> {
    return new Promise((resolve) => (this.inbox.length ? resolve(this.inbox.shift()!) : this.waiters.push(resolve)))
  }
  async ask(m: In): Promise<Out> {
    this.send(m)
    return this.next()
  }
}
let stopping = false
// BENCH_HUB_FLAGS: node flags for the hub process only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, `--trace-gc`).
const HUB_FLAGS = (process.env.BENCH_HUB_FLAGS ?? '').split(' ').filter(Boolean)
const spawn = <In, Out>(name: string, file: string, env: Record<string, string>, flags: string[] = []): Child<In, Out> =>
  new Child<In, Out>(name, fork(join(here, 'ws-saturation', file), [], { execArgv: [...flags, '--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))

const hub = spawn<ToServer, FromServer>('hub server', 'hub-server.ts', { BENCH_CLIENTS: String(CLIENTS), BENCH_SYMBOLS: String(SYMBOLS) }, [...SERVER_NODE_FLAGS, ...HUB_FLAGS])
const hubReady = await hub.next()
if (hubReady.type !== 'ready') throw new Error('hub server did not start')
const symbols = hubReady.symbols
const bare = spawn<ToServer, FromServer>('bare server', 'bare-server.ts', { BENCH_SYMBOL_LIST: symbols.join(',') }, [...SERVER_NODE_FLAGS])
const bareReady = await bare.next()
if (bareReady.type !== 'ready') throw new Error('bare server did not start')
const workers = Array.from({ length: WORKERS }, (_, w) => spawn<ToClients, FromClients>(`clients ${w + 1}`, 'clients.ts', {}))
const servers: Record<Side, Child<ToServer, FromServer>> = { hub, bare }

console.log(
  `ws-saturation: ${CLIENTS} clients per server over ${WORKERS} client processes, ${symbols.length} symbols each (${symbols.join(', ')}), ${STEP_S} s steps, a rate held by ${MAJORITY} of ${TRIES} steps, servers with ${SERVER_NODE_FLAGS.join(' ') || 'no flags'}, loopback`,
)
const per = CLIENTS / WORKERS
for (const side of ['hub', 'bare'] as const) {
  const ready = side === 'hub' ? hubReady : bareReady
  const answers = await Promise.all(
    workers.map((w, i) => w.ask({ type: 'connect', side, url: ready.wsUrl, tokens: ready.tokens.slice((i * per) / 10, ((i + 1) * per) / 10), count: per, symbols })),
  )
  console.log(`  ${side}: ${CLIENTS} clients connected${side === 'hub' ? ' and subscribed' : ''} in ${Math.max(...answers.map((a) => (a.type === 'connected' ? a.ms : 0))).toFixed(0)} ms`)
}

interface Step {
  side: Side
  rate: number
  offered: number
  delivered: number
  lost: number
  p50: number
  p99: number
  maxMs: number
  serverCpu: number
  /** Server CPU per delivery (µs). */
  usPer: number
  clientCpu: number[]
  rssMb: number
  held: boolean
  behind: boolean
}

async function step(side: Side, rate: number): Promise<Step> {
  await Promise.all(workers.map((w) => w.ask({ type: 'reset' })))
  const done = await servers[side].ask({ type: 'start', seconds: STEP_S, rate })
  if (done.type !== 'done') throw new Error('unexpected server answer')
  const parts = (await Promise.all(workers.map((w) => w.ask({ type: 'collect', side, expectedPerClient: done.ticks, drainMs: DRAIN_MS })))).map((p) => {
    if (p.type !== 'collected') throw new Error('unexpected client answer')
    return p
  })
  const lost = parts.reduce((n, p) => n + p.lost + p.seqGaps + p.closed, 0)
  const received = parts.reduce((n, p) => n + p.received, 0)
  const p99 = percentile(parts, 99)
  const s: Step = {
    side,
    rate,
    offered: (done.ticks * CLIENTS) / STEP_S,
    // Over the feed's own duration (its last tick is due just before STEP_S), like `offered`.
    delivered: received / STEP_S,
    lost,
    p50: percentile(parts, 50),
    p99,
    maxMs: Math.max(...parts.map((p) => p.maxUs)) / 1000,
    serverCpu: done.cpuMs / done.wallMs,
    usPer: (done.cpuMs * 1000) / Math.max(1, received),
    clientCpu: parts.map((p) => p.cpuMs / p.wallMs),
    rssMb: done.rssPeak / 1024 / 1024,
    held: lost === 0 && p99 < P99_HELD_MS,
    behind: lost > 0 || p99 > P99_BEHIND_MS,
  }
  const pct = (x: number): string => `${(x * 100).toFixed(0).padStart(3)}%`
  console.log(
    `  ${side.padEnd(4)} rate ${rate.toFixed(1).padStart(6)}/s/symbol  offered ${fmt(s.offered).padStart(8)}/s  delivered ${fmt(s.delivered).padStart(8)}/s  p50 ${s.p50.toFixed(2).padStart(6)} ms  p99 ${s.p99.toFixed(2).padStart(7)} ms  max ${s.maxMs.toFixed(0).padStart(5)} ms  lost ${String(lost).padStart(6)}  cpu server ${pct(s.serverCpu)} (${s.usPer.toFixed(1)} µs/delivery) clients ${s.clientCpu.map(pct).join(' ')}  rss ${s.rssMb.toFixed(0)} MB  ${s.held ? 'held' : s.behind ? 'BEHIND' : 'slow'}`,
  )
  return s
}
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

/** One side's search: grow the rate until most of a rate's steps fail, then bisect. */
class Search {
  /** The median step (by p99, the upper one of two) of the best held rate. */
  best?: Step
  /** A failed step of the last rate not held. */
  failed?: Step
  private lo = 0
  private hi = Infinity
  private rate = START_RATE
  private refined = 0
  /** The steps of the current rate. */
  private tries: Step[] = []
  done = false
  constructor(readonly side: Side) {}
  next(): number {
    return this.rate
  }
  record(s: Step): void {
    this.tries.push(s)
    const held = this.tries.filter((t) => t.held)
    const failed = this.tries.filter((t) => !t.held)
    if (held.length < MAJORITY && failed.length < MAJORITY) return
    this.tries = []
    if (held.length >= MAJORITY) {
      // The median by p99; of two held steps the worse one (the figure is not the luckier step).
      const typical = held.sort((a, b) => a.p99 - b.p99)[Math.floor(held.length / 2)]!
      if (!this.best || typical.delivered > this.best.delivered) this.best = typical
      this.lo = Math.max(this.lo, s.rate)
    } else {
      this.failed = failed.at(-1)
      this.hi = Math.min(this.hi, s.rate)
    }
    if (this.hi === Infinity) {
      this.rate = this.rate * GROWTH
      if (this.rate > MAX_RATE) this.done = true
      return
    }
    if (this.refined++ >= REFINE || this.lo === 0) {
      this.done = true
      return
    }
    this.rate = (this.lo + this.hi) / 2
  }
}

// Warm-up (JIT, socket buffers), not counted.
for (const side of ['hub', 'bare'] as const) {
  await Promise.all(workers.map((w) => w.ask({ type: 'reset' })))
  const done = await servers[side].ask({ type: 'start', seconds: 2, rate: START_RATE })
  if (done.type === 'done') await Promise.all(workers.map((w) => w.ask({ type: 'collect', side, expectedPerClient: done.ticks, drainMs: DRAIN_MS })))
}

const steps: Step[] = []
const searches = { hub: new Search('hub'), bare: new Search('bare') }
// BENCH_FIXED_RATE=r (BENCH_REPEAT n, 5): no search, n steps of each side at r ticks/s/symbol, for
// the CPU per delivery on a machine too busy for the latency criterion (the summary then says 0).
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 0)
if (FIXED_RATE > 0) {
  for (let i = 0; i < Number(process.env.BENCH_REPEAT ?? 5); i++) for (const side of ['hub', 'bare'] as const) steps.push(await step(side, FIXED_RATE))
  searches.hub.done = searches.bare.done = true
}
while (!searches.hub.done || !searches.bare.done) {
  for (const s of [searches.hub, searches.bare]) {
    if (s.done) continue
    const result = await step(s.side, s.next())
    steps.push(result)
    s.record(result)
  }
}

const cpuNote = (s: Step | undefined): string => {
  if (!s) return 'no failing step (reached BENCH_MAX_RATE)'
  const busiest = Math.max(...s.clientCpu)
  const who = s.serverCpu >= 0.85 ? 'the server process (one core)' : busiest >= 0.85 ? 'a client process' : 'neither process alone (the shared cores)'
  return `at ${fmt(s.offered)}/s offered: server ${(s.serverCpu * 100).toFixed(0)}% of a core, clients ${s.clientCpu.map((c) => `${(c * 100).toFixed(0)}%`).join(' / ')} → saturated: ${who}`
}
const hubMax = searches.hub.best?.delivered ?? 0
const bareMax = searches.bare.best?.delivered ?? 0
console.log(`  hub saturation:  ${cpuNote(searches.hub.failed)}`)
console.log(`  bare saturation: ${cpuNote(searches.bare.failed)}`)
const first = (searches.hub.failed?.offered ?? Infinity) < (searches.bare.failed?.offered ?? Infinity) ? 'hub' : (searches.hub.failed?.offered ?? Infinity) > (searches.bare.failed?.offered ?? Infinity) ? 'bare' : 'neither'
console.log(`  fell behind first: ${first}`)
// Server CPU per delivery is the figure other processes disturb least: what one core would carry.
const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const usHub = median(steps.filter((s) => s.side === 'hub').map((s) => s.usPer))
const usBare = median(steps.filter((s) => s.side === 'bare').map((s) => s.usPer))
console.log(
  `  server CPU per delivery (median of steps): hub ${usHub.toFixed(1)} µs, bare ${usBare.toFixed(1)} µs → one core would carry hub ≈ ${fmt(1e6 / usHub)}/s, bare ≈ ${fmt(1e6 / usBare)}/s (cpu ratio ${(usBare / usHub).toFixed(2)})`,
)
console.log(`  machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes skew the figures)`)
const best = searches.hub.best
console.log(
  `hub_max=${Math.round(hubMax)}/s bare_max=${Math.round(bareMax)}/s ratio=${bareMax > 0 ? (hubMax / bareMax).toFixed(2) : 'n/a'} p99_at_max=${best ? best.p99.toFixed(2) : 'n/a'} lost=${best ? best.lost : 'n/a'} rss_mb=${best ? Math.round(best.rssMb) : 'n/a'}`,
)

stopping = true
for (const c of [hub, bare, ...workers]) c.send({ type: 'stop' })
await Promise.all([hub, bare, ...workers].map((c) => new Promise((r) => (c.proc.exitCode !== null ? r(null) : c.proc.once('exit', r)))))
