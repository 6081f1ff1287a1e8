import type { Candles } from '@smc-trading/smc'
import { describe, expect, it } from 'vitest'
import { runBacktest } from './run'
import { ETH, MemorySink, specFor, TinyParams, tinyStrategy, walk } from './test-fixtures'

/** The same candles up to index `k` (exclusive); from `k` on, another path (other prices, gaps, wicks). */
function perturbAfter(c: Candles, k: number, seed: string): Candles {
  const other = walk(c.time.length, seed, c.close[k - 1]! * 1.03, 0.012)
  const out: Candles = {
    time: c.time.slice(),
    open: c.open.slice(),
    high: c.high.slice(),
    low: c.low.slice(),
    close: c.close.slice(),
    volume: c.volume.slice(),
  }
  for (let i = k; i < c.time.length; i++) {
    out.open[i] = other.open[i]!
    out.high[i] = other.high[i]!
    out.low[i] = other.low[i]!
    out.close[i] = other.close[i]!
    out.volume[i] = other.volume[i]! * 3
  }
  return out
}

describe('no look-ahead', () => {
  const candles = walk(500, 'lookahead')

  for (const [name, params] of [
    ['market entries', {}],
    ['limit entries too', { limit_every: 2 }],
  ] as const) {
    it(`perturbing the candles from time T on leaves every record before T unchanged (${name})`, async () => {
      const spec = specFor(candles, { params: TinyParams.parse(params) })
      const base = new MemorySink()
      await runBacktest(spec, candles, base, { instrument: ETH, strategy: tinyStrategy, checkpointEvery: 40 })
      for (const k of [120, 301, 437]) {
        const T = candles.time[k]!
        const changed = perturbAfter(candles, k, `other${k}`)
        const sink = new MemorySink()
        await runBacktest(spec, changed, sink, { instrument: ETH, strategy: tinyStrategy, checkpointEvery: 40 })
        // Events strictly before T; the decision taken at T (the close of candle k − 1) as well.
        const before = (s: MemorySink) => s.events.filter((e) => e.time < T || (e.time === T && e.event_type === 'strategy_signal'))
        expect(before(base).length).toBeGreaterThan(50)
        expect(JSON.stringify(before(sink))).toBe(JSON.stringify(before(base)))
        // Equity points up to the close of candle k − 1 (time T).
        const points = (s: MemorySink) => s.points.filter((p) => p.time <= T)
        expect(points(sink)).toHaveLength(k)
        expect(JSON.stringify(points(sink))).toBe(JSON.stringify(points(base)))
        // Round trips closed before T, and the checkpoints taken before it.
        const trades = (s: MemorySink) => s.trades.filter((t) => t.exit_time < T)
        expect(trades(base).length).toBeGreaterThan(5)
        expect(JSON.stringify(trades(sink))).toBe(JSON.stringify(trades(base)))
        const cps = (s: MemorySink) => s.checkpoints.filter((m) => m.processed < k)
        expect(JSON.stringify(cps(sink))).toBe(JSON.stringify(cps(base)))
        // And the perturbation did change what comes after.
        expect(JSON.stringify(sink.points)).not.toBe(JSON.stringify(base.points))
      }
    })
  }
})
