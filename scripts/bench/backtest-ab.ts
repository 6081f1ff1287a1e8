// pnpm bench backtest-ab <other-checkout> [more checkouts…]: the backtest core loop (bench backtest's
// phase 2) of this checkout and of others, in ONE process, run after run in alternating order, so
// every version sees the same machine state. On a VM whose speed drifts by 2× within minutes, two
// runs of `bench backtest` a minute apart compare the drift; this compares the code.
// Env: BENCH_AB_N (candles, default 1,000,000), BENCH_AB_RUNS (per checkout, default 6),
// BENCH_AB_STRATEGY (default sma_crossover).
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { walk } from '../lib/candle-walk'
import { median } from '../lib/median'

const here = dirname(fileURLToPath(import.meta.url))
const roots = [resolve(here, '../..'), ...process.argv.slice(3).map((p) => resolve(p))]
const N = Number(process.env.BENCH_AB_N ?? 1_000_000)
const RUNS = Number(process.env.BENCH_AB_RUNS ?? 6)
const STRATEGY = process.env.BENCH_AB_STRATEGY ?? 'sma_crossover'
if (roots.length < 2) {
  console.error('Usage: pnpm bench backtest-ab <other-checkout> [more…]   (e.g. a `git worktree add ../base main`)')
  process.exit(2)
}
const versions = await Promise.all(
  roots.map(async (root) => {
    const src = (p: string): string => pathToFileURL(join(root, 'packages/server/src', p)).href
    if (!existsSync(join(root, 'packages/server/src/backtest/engine/index.ts'))) throw new Error(`${root} is not a checkout of this project`)
    const engine = (await import(src('backtest/engine/index.ts'))) as typeof import('../../packages/server/src/backtest/engine/index')
    const market = (await import(src('market/index.ts'))) as typeof import('../../packages/server/src/market/index')
    const registry = (await import(src('strategies/registry.ts'))) as typeof import('../../packages/server/src/strategies/registry')
    return { root, engine, btc: market.DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!, registry }
  }),
)
const candles = walk(N, 'bench-backtest')
const sink = { event() {}, trade() {}, equity() {}, checkpoint() {} }
const rates = new Map<string, number[]>()
console.log(`backtest-ab: ${STRATEGY} core loop on ${N.toLocaleString('en-US')} 1m candles, ${RUNS} runs per checkout, alternating`)
for (let run = 0; run < RUNS; run++) {
  for (const v of run % 2 ? [...versions].reverse() : versions) {
    const params = v.registry.getStrategy(STRATEGY).params.parse(STRATEGY === 'sma_crossover' ? { fast: 10, slow: 30 } : {})
    const spec = { strategy: STRATEGY, params, symbol: 'BTCUSDT', interval: '1m' as const, start_time: candles.time[0]!, end_time: candles.time[N - 1]! + 60_000, initial_balance: 10_000, taker_fee_bps: 10, maker_fee_bps: 2, slippage_bps: 0 }
    const t = performance.now()
    await v.engine.runBacktest(spec, candles, sink, { instrument: v.btc, maxCandles: N })
    const rate = N / ((performance.now() - t) / 1000)
    rates.set(v.root, [...(rates.get(v.root) ?? []), rate])
  }
}
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')
for (const [root, xs] of rates) console.log(`${root}  median ${fmt(median(xs))} candles/s   runs ${xs.map(fmt).join(' ')}`)
