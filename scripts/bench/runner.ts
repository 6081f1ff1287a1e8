// pnpm bench runner: one trading cycle over 100 strategy accounts × 6 symbols (cycle time), and the
// API's p99 while cycles run every second against idle. In one process (the server on an ephemeral
// port, autocannon driving it), on the simulated market with a manual clock moved a minute per cycle.
import autocannon from 'autocannon'
import { createTestContext } from '../../packages/server/src/testing'

const ACCOUNTS = 100
const CYCLES = Number(process.env.BENCH_CYCLES ?? 20)
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5)
const STRATEGIES = ['sma_crossover', 'rsi_reversion', 'smc_trend', 'breakout']

const ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '3', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'silent' })
const { runner, market } = ctx.services
const symbols = market.symbols()
for (let i = 0; i < ACCOUNTS; i++)
  runner.accounts.create(`bench${Math.floor(i / 10)}`, { name: `acc${i}`, strategy: STRATEGIES[i % STRATEGIES.length]!, symbols, interval: '1m' })

const cycle = async (): Promise<number> => {
  ctx.clock.advance(60_000)
  market.advance()
  const t = performance.now()
  runner.scheduler.trigger()
  await runner.scheduler.idle()
  return performance.now() - t
}
const warm = await cycle()
const times: number[] = []
for (let i = 0; i < CYCLES; i++) times.push(await cycle())
times.sort((a, b) => a - b)
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
console.log(`cycle over ${ACCOUNTS} accounts × ${symbols.length} symbols: first (warm-up) ${warm.toFixed(0)} ms; next ${CYCLES}: p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (target < 50 ms)`)

const server = await ctx.listen()
const token = await ctx.token(['read_market_data'])
const load = () =>
  autocannon({ url: `${server.url}/v1/market-data/BTCUSDT`, connections: 16, duration: DURATION_S, headers: { authorization: `Bearer ${token}` } })
const idle = await load()
let running = true
const loop = (async () => {
  while (running) {
    await cycle()
    await new Promise((r) => setTimeout(r, 1000))
  }
})()
const busy = await load()
running = false
await loop
console.log(`API GET /v1/market-data/BTCUSDT p99: idle ${idle.latency.p99} ms, with a cycle every second ${busy.latency.p99} ms (ratio ${(busy.latency.p99 / Math.max(idle.latency.p99, 1)).toFixed(2)}, target < 2)`)
console.log(`requests/s: idle ${idle.requests.average.toFixed(0)}, during cycles ${busy.requests.average.toFixed(0)}; non-2xx ${idle.non2xx + busy.non2xx}`)
await ctx.close()
