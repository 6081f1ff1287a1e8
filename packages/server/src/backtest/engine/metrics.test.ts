import { describe, expect, it } from 'vitest'
import { createRandom } from '../../core'
import type { RunTrade } from '../types'
import { computeRunMetrics, RunMetricsTracker, type MetricsState } from './metrics'

const DAY = 86_400_000

/** Random round trips closing in time order: several a day, days without any, wins, losses, breakevens. */
function trades(seed: string, n: number, scale: number): RunTrade[] {
  const r = createRandom(seed)
  const out: RunTrade[] = []
  let t = Date.UTC(2024, 0, 1) + Math.floor(r.next() * DAY)
  for (let i = 0; i < n; i++) {
    const gap = r.next() < 0.2 ? Math.floor(r.next() * 4 * DAY) : Math.floor(r.next() * DAY * 0.3)
    const entry = t + 1000
    t = entry + gap
    const pnl = r.next() < 0.05 ? 0 : Math.round((r.next() - 0.48) * scale * 1e8) / 1e8
    out.push({ symbol: 'BTCUSDT', direction: r.next() < 0.5 ? 'long' : 'short', entry_time: entry, entry_price: 100, exit_time: t, exit_price: 101, quantity: 1, fees: 0.1, pnl, exit_reason: 'SIGNAL' })
  }
  return out
}

const state = (i: number, equity: number): MetricsState => ({ processed: 10 * i + 1, total: 10_000, initialBalance: 10_000, equity, maxDrawdownPct: i / 7, exposedCandles: 3 * i })

describe('RunMetricsTracker', () => {
  it('gives computeRunMetrics’ figures, float for float, after every trade', () => {
    for (const [seed, scale] of [
      ['small', 50],
      ['large', 3000],
      // Losses deep enough that a day opens at equity ≤ 0: the ratios become null and stay null.
      ['ruin', 40_000],
    ] as const) {
      const all = trades(seed, 400, scale)
      const tracker = new RunMetricsTracker(10_000)
      expect(tracker.metrics(state(0, 10_000))).toEqual(computeRunMetrics([], state(0, 10_000)))
      for (let i = 0; i < all.length; i++) {
        tracker.add(all[i]!)
        const s = state(i + 1, 10_000 + i * 1.37)
        expect(tracker.metrics(s)).toEqual(computeRunMetrics(all.slice(0, i + 1), s))
      }
    }
  })

  it('a trade closing before the previous one: the figures are still computeRunMetrics’ (sorted by close time)', () => {
    const all = trades('order', 30, 100)
    const swapped = [...all.slice(0, 10), all[11]!, all[10]!, ...all.slice(12)]
    const tracker = new RunMetricsTracker(10_000)
    for (const t of swapped) tracker.add(t)
    const s = state(30, 10_050)
    expect(tracker.metrics(s)).toEqual(computeRunMetrics(tracker.trades, s))
  })
})
