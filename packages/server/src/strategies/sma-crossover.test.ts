import { describe, expect, it } from 'vitest'
import { atr, sma } from '../analytics/indicators'
import { roundPriceToTick } from './sizing'
import { candleAt } from './types'
import { smaCrossover } from './sma-crossover'
import { actions, barsFromCloses, candlesOf, checkIntents, guardedPrefix, randomCandles, setupFor, simulate, sliceCandles } from './strategies.test-helpers'

// fast 2, slow 4: the averages cross above on candle 5 (102 vs 101 after 100 vs 100), below on 9
// (104 vs 105.5 after 107 vs 106), above again on 14 (98 vs 97 after 96 vs 96.5).
const closes = [100, 100, 100, 100, 100, 104, 106, 108, 106, 102, 98, 96, 96, 96, 100, 104, 106]
const candles = candlesOf(barsFromCloses(closes))
const params = { fast: 2, slow: 4, atr_period: 3 }
const A = atr(candles.high, candles.low, candles.close, 3)

const longLevels = (j: number, m = 2, r = 2) => {
  const c = closes[j]!
  const stop = roundPriceToTick(c - m * A[j]!, 0.01, 'down')
  return { stop, tp: roundPriceToTick(c + r * (c - stop), 0.01, 'nearest') }
}
const shortLevels = (j: number, m = 2, r = 2) => {
  const c = closes[j]!
  const stop = roundPriceToTick(c + m * A[j]!, 0.01, 'up')
  return { stop, tp: roundPriceToTick(c - r * (stop - c), 0.01, 'nearest') }
}

describe('sma_crossover', () => {
  it('opens on the crosses, closes on the opposite cross, reopens the other side while the signal persists', () => {
    const { steps, trades } = simulate(smaCrossover, params, candles)
    checkIntents(steps, candles)
    const acts = actions(steps)
    expect(acts.map((a) => [a.index, a.intent.action, a.intent.action === 'open' ? a.intent.side : null])).toEqual([
      [5, 'open', 'long'],
      [9, 'close', null],
      [10, 'open', 'short'],
      [14, 'close', null],
      [15, 'open', 'long'],
    ])
    // Candle 5: true ranges 1, 1, 1, 1, 1, 5 → Wilder ATR(3) = (1 · 2 + 5)/3 = 7/3.
    expect(A[5]).toBeCloseTo(7 / 3, 12)
    const open5 = acts[0]!.intent
    expect(open5).toMatchObject({ type: 'market', stop_loss: 99.33, take_profit: 113.34 }) // 104 − 14/3 → 99.33; 104 + 2 × 4.67
    expect(open5).toMatchObject({ stop_loss: longLevels(5).stop, take_profit: longLevels(5).tp })
    expect(open5.reason).toBe('fast SMA 102.00 crossed above slow SMA 101.00; long at close 104.00, stop 99.33, take profit 113.34 (ATR 2.33 × 2)')
    expect(acts[1]!.intent.reason).toMatch(/^fast SMA 104\.00 crossed below slow SMA 105\.50: closing the long first/)
    expect(acts[2]!.intent).toMatchObject({ stop_loss: shortLevels(10).stop, take_profit: shortLevels(10).tp })
    expect(acts[2]!.intent.reason).toMatch(/^fast SMA 100\.00 still below slow SMA 103\.50; short at close 98\.00/)
    expect(acts[4]!.intent).toMatchObject({ stop_loss: longLevels(15).stop, take_profit: longLevels(15).tp })
    // Fills at the next open: the long 6 → 10, the short 11 → 15, the long from 16.
    expect(trades.map((t) => [t.side, t.entryIndex, t.exitIndex, t.exitReason])).toEqual([
      ['long', 6, 10, 'close'],
      ['short', 11, 15, 'close'],
      ['long', 16, null, null],
    ])
    // The crosses agree with the batch SMAs.
    const f = sma(candles.close, 2)
    const s = sma(candles.close, 4)
    expect(f[4]! - s[4]!).toBe(0)
    expect(f[5]! - s[5]!).toBeGreaterThan(0)
    expect(f[8]! - s[8]!).toBeGreaterThan(0)
    expect(f[9]! - s[9]!).toBeLessThan(0)
  })

  it('without allow_short the cross below only closes; holds carry the reason and confidence 0', () => {
    const { steps } = simulate(smaCrossover, { ...params, allow_short: false, take_profit_r: null }, candles)
    checkIntents(steps, candles)
    const acts = actions(steps)
    expect(acts.map((a) => [a.index, a.intent.action])).toEqual([
      [5, 'open'],
      [9, 'close'],
      [14, 'open'],
    ])
    expect(acts[0]!.intent).toMatchObject({ take_profit: null, stop_loss: 99.33 })
    expect(acts[1]!.intent.reason).toBe('fast SMA 104.00 crossed below slow SMA 105.50')
    expect(steps[3]!.intent).toEqual({ action: 'hold', reason: 'flat: no SMA(2)/SMA(4) crossover', confidence: 0 })
    expect(steps[7]!.intent).toEqual({ action: 'hold', reason: 'long open: no SMA(2)/SMA(4) crossover', confidence: 0 })
  })

  it('never opens a second position of the same side (hold instead)', () => {
    const instance = smaCrossover.create(smaCrossover.params.parse(params), setupFor())
    const intents = closes.map((_, j) =>
      instance.onCandle({
        candles: guardedPrefix(candles, j + 1),
        index: j,
        candle: candleAt(candles, j),
        account: { equity: 1, available: 1, position: { side: 'long', quantity: 1, entry_price: 100 } },
      }),
    )
    expect(intents[5]).toEqual({ action: 'hold', reason: 'long already open: fast SMA 102.00 crossed above slow SMA 101.00', confidence: 0 })
    expect(intents.filter((i) => i.action === 'open')).toEqual([])
  })

  it('has no look-ahead: a prefix run equals the prefix of a longer run, whatever follows', () => {
    const long = randomCandles(600, 'sma-la')
    const full = simulate(smaCrossover, { fast: 5, slow: 20 }, long)
    checkIntents(full.steps, long)
    expect(actions(full.steps).length).toBeGreaterThan(10)
    for (const cut of [50, 233, 400]) {
      const prefix = simulate(smaCrossover, { fast: 5, slow: 20 }, sliceCandles(long, cut))
      expect(prefix.steps).toEqual(full.steps.slice(0, cut))
    }
  })

  it('is deterministic', () => {
    const a = simulate(smaCrossover, {}, randomCandles(800, 7))
    const b = simulate(smaCrossover, {}, randomCandles(800, 7))
    expect(a).toEqual(b)
  })
})
