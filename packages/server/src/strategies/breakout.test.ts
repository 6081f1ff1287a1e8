import { swingHighsLows, type Candles } from '@smc-trading/smc'
import { describe, expect, it } from 'vitest'
import { atr, sma } from '../analytics/indicators'
import { clusterLevels } from '../scanner'
import { breakout } from './breakout'
import { roundPriceToTick } from './sizing'
import { candleAt } from './types'
import { actions, candlesOf, checkIntents, guardedPrefix, randomCandles, setupFor, simulate, sliceCandles } from './strategies.test-helpers'

const B = (o: number, h: number, l: number, c: number, v = 100) => ({ o, h, l, c, v })
// Swings (swing_length 2): highs 2 (105.0) and 8 (105.2) → resistance 105.10 (2 touches, within 0.5 %);
// lows 5 (100.0) and 11 (100.1) → support 100.05. Candle 15 closes at 106 above 105.10 (previous
// close 104.4) on 3× the average volume → long. Candle 21 closes at 99.8 below 100.05 on 3× volume →
// the long closes; 22 still closes below (99.4) → short.
const bars = [
  B(102, 103, 101.5, 102.5), B(102.5, 104, 102, 103.8), B(103.8, 105, 103.5, 104.5), B(104.5, 104.6, 102.5, 102.8), B(102.8, 103, 100.5, 101),
  B(101, 101.2, 100, 100.8), B(100.8, 102.5, 100.6, 102.3), B(102.3, 104, 102.1, 103.8), B(103.8, 105.2, 103.6, 104.4), B(104.4, 104.5, 102.4, 102.6),
  B(102.6, 102.8, 100.4, 100.6), B(100.6, 100.9, 100.1, 100.7), B(100.7, 102.4, 100.5, 102.2), B(102.2, 103.8, 102, 103.6), B(103.6, 104.6, 103.4, 104.4),
  B(104.4, 106.2, 104.3, 106, 300), B(106, 106.8, 105.5, 106.5), B(106.5, 107, 105.8, 106.2), B(106.2, 106.3, 104, 104.2), B(104.2, 104.4, 102.5, 102.7),
  B(102.7, 102.9, 101, 101.2), B(101.2, 101.4, 99.6, 99.8, 300), B(99.8, 100, 99.2, 99.4), B(99.4, 99.6, 98.8, 99),
]
const candles = candlesOf(bars)
const params = { swing_length: 2, cluster_pct: 0.5, volume_period: 5, atr_period: 5, atr_stop_multiple: 3.5 }
const A = atr(candles.high, candles.low, candles.close, 5)

describe('breakout', () => {
  it('the levels the scenario relies on (scanner clustering of the swings confirmed by candle 15)', () => {
    const prefix = sliceCandles(candles, 16)
    const levels = clusterLevels(swingHighsLows(prefix, { swingLength: 2, parity: false }), 106, { swing_length: 2, cluster_pct: 0.5, min_touches: 2, max_levels: 6 }, 2)
    expect(levels).toEqual([
      { price: 105.1, type: 'resistance', touches: 2 },
      { price: 100.05, type: 'support', touches: 2 },
    ])
  })

  it('enters on a close beyond a level with volume, stop an ATR multiple back inside, closes on the opposite breakout', () => {
    const { steps, trades } = simulate(breakout, params, candles)
    checkIntents(steps, candles)
    const acts = actions(steps)
    expect(acts.map((a) => [a.index, a.intent.action, a.intent.action === 'open' ? a.intent.side : null])).toEqual([
      [15, 'open', 'long'],
      [21, 'close', null],
      [22, 'open', 'short'],
    ])
    const stop15 = roundPriceToTick(105.1 - 3.5 * A[15]!, 0.01, 'down')
    expect(acts[0]!.intent).toMatchObject({ stop_loss: stop15, take_profit: roundPriceToTick(106 + 2 * (106 - stop15), 0.01, 'nearest') })
    expect(acts[0]!.intent).toMatchObject({ type: 'market', stop_loss: 99.14, take_profit: 119.72, confidence: 0.75 })
    expect(acts[0]!.intent.reason).toBe(
      'close 106.00 broke above resistance 105.10 (2 swings) on volume 3.00× the 5-candle average; long at close 106.00, stop 99.14, take profit 119.72 (ATR 1.70 × 3.5 below the level)',
    )
    expect(acts[1]!.intent.reason).toMatch(/^close 99\.80 broke below support 100\.05 \(2 swings\) on volume 3\.00× the 5-candle average: closing the long first/)
    const stop22 = roundPriceToTick(100.05 + 3.5 * A[22]!, 0.01, 'up')
    expect(acts[2]!.intent).toMatchObject({ stop_loss: stop22, take_profit: roundPriceToTick(99.4 - 2 * (stop22 - 99.4), 0.01, 'nearest'), confidence: 0.5 })
    expect(acts[2]!.intent.reason).toMatch(/^close 99\.40 still below support 100\.05; short at close 99\.40/)
    expect(trades.map((t) => [t.side, t.entryIndex, t.exitIndex, t.exitReason])).toEqual([
      ['long', 16, 22, 'close'],
      ['short', 23, null, null],
    ])
  })

  it('needs the volume, respects allow_short, and closes without reversing when shorts are off', () => {
    const quiet = candlesOf(bars.map((b) => ({ ...b, v: 100 })))
    expect(actions(simulate(breakout, params, quiet).steps)).toEqual([])
    // 3× the average passes factor 3, not 3.01.
    expect(actions(simulate(breakout, { ...params, volume_factor: 3 }, candles).steps).map((a) => a.index)).toEqual([15, 21, 22])
    expect(actions(simulate(breakout, { ...params, volume_factor: 3.01 }, candles).steps)).toEqual([])
    const noShort = actions(simulate(breakout, { ...params, allow_short: false }, candles).steps)
    expect(noShort.map((a) => [a.index, a.intent.action])).toEqual([
      [15, 'open'],
      [21, 'close'],
    ])
    expect(noShort[1]!.intent.reason).toBe('close 99.80 broke below support 100.05 (2 swings) on volume 3.00× the 5-candle average')
  })

  it('equals a from-scratch recomputation at every candle (batch swings of the prefix, scanner levels): causal', () => {
    const c = randomCandles(1200, 'breakout-ref', 100, 0.004)
    const p = { swing_length: 3, level_lookback: 150, cluster_pct: 0.4, min_touches: 2, max_levels: 4, volume_period: 10, volume_factor: 1.2 }
    const instance = breakout.create(breakout.params.parse(p), setupFor())
    const got: string[] = []
    for (let j = 0; j < c.close.length; j++) {
      const intent = instance.onCandle({ candles: guardedPrefix(c, j + 1), index: j, candle: candleAt(c, j), account: { equity: 1e4, available: 1e4, position: null } })
      if (intent.action === 'open') got.push(`${j} ${intent.side}`)
    }
    expect(got.length).toBeGreaterThan(5)
    expect(got).toEqual(reference(c, p))
  })

  it('has no look-ahead and is deterministic', () => {
    const c = randomCandles(1500, 'breakout-la', 100, 0.004)
    const p = { swing_length: 3, volume_factor: 1.2, level_lookback: 200 }
    const full = simulate(breakout, p, c)
    checkIntents(full.steps, c)
    expect(actions(full.steps).length).toBeGreaterThan(5)
    for (const cut of [120, 640, 1300]) expect(simulate(breakout, p, sliceCandles(c, cut)).steps).toEqual(full.steps.slice(0, cut))
    expect(simulate(breakout, p, randomCandles(1500, 'breakout-la', 100, 0.004))).toEqual(full)
  })
})

/** Breakout entries recomputed from scratch per candle with the batch functions (flat account, ATR 14). */
function reference(
  c: Candles,
  p: { swing_length: number; level_lookback: number; cluster_pct: number; min_touches: number; max_levels: number; volume_period: number; volume_factor: number },
): string[] {
  const out: string[] = []
  const avg = sma(c.volume, p.volume_period)
  const A = atr(c.high, c.low, c.close, 14)
  for (let j = 1; j < c.close.length; j++) {
    const prefix = sliceCandles(c, j + 1)
    const s = swingHighsLows(prefix, { swingLength: p.swing_length, parity: false })
    const from = j + 1 - p.level_lookback
    const hl: number[] = []
    const lv: number[] = []
    for (let r = Math.max(0, from); r <= j; r++) if (s.highLow[r] === s.highLow[r]) (hl.push(s.highLow[r]!), lv.push(s.level[r]!))
    const close = c.close[j]!
    const prev = c.close[j - 1]!
    const levels = clusterLevels({ highLow: Float64Array.from(hl), level: Float64Array.from(lv) }, close, p, 2)
    const broken = levels.find((l) => (l.type === 'resistance' ? prev <= l.price && close > l.price : prev >= l.price && close < l.price))
    const a = avg[j - 1]!
    if (!broken || !(a > 0) || !(c.volume[j]! / a >= p.volume_factor) || !(A[j]! > 0)) continue
    out.push(`${j} ${broken.type === 'resistance' ? 'long' : 'short'}`)
  }
  return out
}
