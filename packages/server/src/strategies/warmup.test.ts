import { describe, expect, it } from 'vitest'
import { STRATEGIES } from './registry'
import { actions, randomCandles, simulate } from './strategies.test-helpers'

// A built-in's warm-up is a lower bound of its first decision: a backtest shorter than it is refused
// (INSUFFICIENT_HISTORY), so a warm-up larger than the strategy's real one would refuse runs that
// could trade. Over many seeded series (wide swings, so every strategy signals), no decision comes
// before candle `warmup − 1` (0-based: the strategy has read `warmup` candles), and it grows with
// the periods that set it.
describe('strategy warm-up', () => {
  const params: Record<string, Record<string, unknown>[]> = {
    sma_crossover: [{}, { fast: 3, slow: 5, atr_period: 4 }, { fast: 20, slow: 90 }],
    rsi_reversion: [{}, { period: 3, atr_period: 3 }, { period: 40 }],
    smc_trend: [{}, { swing_length: 1, atr_period: 2 }, { swing_length: 12 }],
    breakout: [{}, { swing_length: 1, volume_period: 2, atr_period: 2, min_touches: 1, volume_factor: 0 }, { volume_period: 60 }],
  }
  it.each(Object.values(STRATEGIES).map((s) => [s.name, s] as const))('%s decides nothing before its warm-up', (name, def) => {
    let signalled = 0
    for (const p of params[name]!) {
      const parsed = def.params.parse(p) as never
      const warmup = def.warmup!(parsed)
      expect(warmup).toBeGreaterThan(1)
      for (let seed = 1; seed <= 12; seed++) {
        const { steps } = simulate(def as never, p, randomCandles(600, `${name}:${seed}`, 100, 0.03))
        const first = actions(steps)[0]
        if (!first) continue
        signalled++
        expect(first.index, `${name} ${JSON.stringify(p)} seed ${seed}`).toBeGreaterThanOrEqual(warmup - 1)
      }
    }
    expect(signalled).toBeGreaterThan(6)
  })

  it('longer periods, a longer warm-up', () => {
    const byName = Object.fromEntries(Object.values(STRATEGIES).map((s) => [s.name, s]))
    const w = (name: string, p: Record<string, unknown>) => byName[name]!.warmup!(byName[name]!.params.parse(p) as never)
    expect(w('sma_crossover', { fast: 500, slow: 1000 })).toBe(1001)
    expect(w('rsi_reversion', { period: 100 })).toBeGreaterThan(w('rsi_reversion', {}))
    expect(w('smc_trend', { swing_length: 40 })).toBe(81)
    expect(w('breakout', { volume_period: 300 })).toBe(301)
  })
})
