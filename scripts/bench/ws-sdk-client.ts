// pnpm bench ws-sdk-client: can the SDK's StreamClient keep up with BENCH_FRAMES (10,000) frames/s on
// one connection, and what does it cost over bare `ws` parsing the same frames? The real hub (the
// ws-saturation hub process) streams market_data_update for 5 symbols to two reader processes at
// once — the SDK client, and a bare `ws` socket that JSON.parses every frame — so both read the same
// frames under the same machine load. For BENCH_DURATION (10) s, BENCH_RUNS (3) times: frames read
// (the SDK also checks every seq), CPU of each reader as % of one core, and the SDK's overhead in
// percentage points of a core and per frame. The target: < 5 points over bare at 10,000 frames/s.
import { fork, type ChildProcess } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FromReader, ToReader } from './ws-sdk-client/reader'
import type { FromServer, ToServer } from './ws-saturation/protocol'

const here = dirname(fileURLToPath(import.meta.url))
const FRAMES = Number(process.env.BENCH_FRAMES ?? 10_000)
const SECONDS = Number(process.env.BENCH_DURATION ?? 10)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const SYMBOLS = 5

function child<In, Out>(file: string, env: Record<string, string>): { proc: ChildProcess; ask(m: In): Promise<Out>; next(): Promise<Out> } {
  const proc = fork(join(here, file), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const inbox: Out[] = []
  const waiters: ((m: Out) => void)[] = []
  proc.on('message', (m: Out) => (waiters.length ? waiters.shift()!(m) : inbox.push(m)))
  const next = (): Promise<Out> => new Promise((r) => (inbox.length ? r(inbox.shift()!) : waiters.push(r)))
  return {
    proc,
    next,
    ask(m) {
      proc.send(m as object)
      return next()
    },
  }
}

// A reader starved of CPU by other processes for a moment is not dropped as a slow consumer
// (64 MiB of slack): whether it keeps up is judged by every frame arriving by the end.
const hub = child<ToServer, FromServer>('ws-saturation/hub-server.ts', { BENCH_CLIENTS: '2', BENCH_SYMBOLS: String(SYMBOLS), WS_MAX_BUFFERED_BYTES: String(64 * 1024 * 1024) })
const ready = await hub.next()
if (ready.type !== 'ready') throw new Error('hub did not start')
const readers = (['sdk', 'bare'] as const).map((mode) =>
  child<ToReader, FromReader>('ws-sdk-client/reader.ts', { BENCH_READER: mode, BENCH_URL: ready.wsUrl, BENCH_TOKEN: ready.tokens[0]!, BENCH_SYMBOL_LIST: ready.symbols.join(',') }),
)
await Promise.all(readers.map((r) => r.next()))
console.log(`ws-sdk-client: ${FRAMES} frames/s on one connection (${SYMBOLS} symbols × ${FRAMES / SYMBOLS} ticks/s, the real hub), SDK StreamClient vs bare ws + JSON.parse, ${RUNS} × ${SECONDS} s`)

const overheads: number[] = []
let allKept = true
for (let run = 1; run <= RUNS; run++) {
  await Promise.all(readers.map((r) => r.ask({ type: 'reset' })))
  const done = await hub.ask({ type: 'start', seconds: SECONDS, rate: FRAMES / SYMBOLS })
  if (done.type !== 'done') throw new Error('unexpected hub answer')
  const [sdk, bare] = (await Promise.all(readers.map((r) => r.ask({ type: 'collect', expected: done.ticks, drainMs: 5000 })))).map((m) => {
    if (m.type !== 'collected') throw new Error('unexpected reader answer')
    return m
  }) as [Extract<FromReader, { type: 'collected' }>, Extract<FromReader, { type: 'collected' }>]
  const pct = (r: typeof sdk): number => (r.cpuMs / r.wallMs) * 100
  const points = pct(sdk) - pct(bare)
  overheads.push(points)
  // Bare falling behind too means the machine (other processes) starved the readers, not the SDK.
  const kept = sdk.received === done.ticks && sdk.errors.length === 0
  if (bare.received < done.ticks) console.log('  (bare fell behind as well: the readers were starved of CPU)')
  allKept &&= kept
  console.log(
    `  run ${run}: ${done.ticks} frames sent (${((done.ticks / done.wallMs) * 1000).toFixed(0)}/s); read sdk ${sdk.received}, bare ${bare.received}${sdk.errors.length ? ` (sdk errors: ${sdk.errors.join('; ')})` : ''}; CPU sdk ${pct(sdk).toFixed(1)}%, bare ${pct(bare).toFixed(1)}% of a core → SDK overhead ${points.toFixed(1)} points (${((points * 10_000) / FRAMES).toFixed(2)} µs/frame; ${((pct(sdk) / pct(bare) - 1) * 100).toFixed(0)}% relative)`,
  )
}
const median = overheads.sort((a, b) => a - b)[Math.floor(overheads.length / 2)]!
console.log(`  machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`sdk_kept_up=${allKept} sdk_overhead_points=${median.toFixed(1)} (median; target < 5 at ${FRAMES} frames/s: ${allKept && median < 5 ? 'met' : 'NOT met'})`)
for (const c of [hub, ...readers]) c.proc.send({ type: 'stop' })
