// The server half of `pnpm bench ws-fanout`, in its own process (forked with IPC): the real
// services, HTTP + /v1/ws hub on loopback, and a feed that ticks each symbol BENCH_RATE times a
// second. It reports its address and client tokens, then tick counts, RSS and CPU at the end.
import type { Ticker } from '../../../packages/server/src/market'
import { startBenchHub } from '../../lib/bench-hub'

export type ToServer = { type: 'start'; seconds: number; rate: number } | { type: 'stop' }
export type FromServer =
  | { type: 'ready'; wsUrl: string; tokens: string[]; symbols: string[] }
  | { type: 'rss'; rss: number }
  | { type: 'done'; ticks: Record<string, number>; rssPeak: number; rssEnd: number; cpuMs: number; wallMs: number; stats: unknown; fanoutMs: number[] }

const send = (m: FromServer): void => void process.send!(m)
const clients = Number(process.env.BENCH_CLIENTS ?? 1000)
const symbolCount = Number(process.env.BENCH_SYMBOLS ?? 5)

const { services, server, market, listeners, tokens: tokensFor } = await startBenchHub()
const symbols = market.symbols().slice(0, symbolCount)

const tokens = await tokensFor(clients)
send({ type: 'ready', wsUrl: server.wsUrl, tokens, symbols })

let rssPeak = 0
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss()
  rssPeak = Math.max(rssPeak, rss)
  send({ type: 'rss', rss })
}, 250)

function run(seconds: number, rate: number): void {
  const ticks: Record<string, number> = Object.fromEntries(symbols.map((s) => [s, 0]))
  const fanout: number[] = []
  const base = Object.fromEntries(symbols.map((s) => [s, market.ticker(s)])) as Record<string, Ticker>
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const period = 1000 / rate
  const timers = symbols.map((symbol, i) =>
    // Staggered so the symbols do not all tick in the same millisecond.
    setTimeout(() => {
      const timer = setInterval(() => {
        const b = base[symbol]!
        const price = Number((b.price * (1 + (Math.random() - 0.5) * 1e-4)).toFixed(2))
        const tick: Ticker = { ...b, price, bid: price - 0.01, ask: price + 0.01, timestamp: Date.now() }
        ticks[symbol]!++
        const f0 = performance.now()
        for (const l of listeners) l(tick)
        fanout.push(performance.now() - f0)
      }, period)
      stops.push(() => clearInterval(timer))
    }, (i * period) / symbols.length),
  )
  const stops: (() => void)[] = timers.map((t) => () => clearTimeout(t))
  setTimeout(() => {
    for (const stop of stops) stop()
    const cpu = process.cpuUsage(cpu0)
    const rssEnd = process.memoryUsage.rss()
    send({
      type: 'done',
      ticks,
      rssPeak: Math.max(rssPeak, rssEnd),
      rssEnd,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - t0,
      stats: services.stream.stats(),
      fanoutMs: fanout.sort((a, b) => a - b),
    })
  }, seconds * 1000)
}

process.on('message', async (m: ToServer) => {
  if (m.type === 'start') run(m.seconds, m.rate)
  if (m.type === 'stop') {
    clearInterval(sampler)
    await server.close()
    await services.stream.close()
    process.exit(0)
  }
})
