import { ob as batchOb, swingHighsLows } from '@smc-trading/smc'
import { describe, expect, it } from 'vitest'
import { atr } from '../analytics/indicators'
import { smcTrendSeries } from '../ml/smc-trend'
import { smcTrend, type SmcTrendInstance } from './smc-trend'
import { roundPriceToTick } from './sizing'
import { candleAt } from './types'
import { actions, candlesOf, checkIntents, guardedPrefix, randomCandles, setupFor, simulate, sliceCandles } from './strategies.test-helpers'

const B = (o: number, h: number, l: number, c: number) => ({ o, h, l, c })
// Swings (swing_length 2): low 2 (95.5), high 5 (102.5), low 7 (98.5), high 11 (106.5), low 15 (100.1),
// high 18 (103.6), low 22 (97.5), high 27 (102.6).
// - Bullish BOS on the swing high of 5 (95.5 < 98.5 < 102.5 < 106.5), broken by the close of 11,
//   known once the swing of 11 is confirmed: candle 13. Bullish order block: candle 7 (98.5–100.3),
//   the lowest candle between the swing high 5 and the breakout close of 9.
// - Candle 15's low 100.1 retraces into it → long. Candle 16 touches it again: traded once.
// - Bearish BOS on the swing low of 15 (106.5 > 103.6 > 100.1 > 97.5) broken by the close of 22, known
//   at 24 → the long closes. Bearish order block: candle 18 (102.3–103.6), formed by the close of 21.
// - Candle 27's high 102.6 retraces into it → short.
const bars = [
  B(100, 101, 99, 100), B(100, 100.5, 97.5, 98), B(98, 98.5, 95.5, 96), B(96, 98.6, 95.8, 98.4), B(98.4, 100.6, 98, 100.4),
  B(100.4, 102.5, 100, 102), B(102, 102.2, 99.8, 100), B(100, 100.3, 98.5, 99), B(99, 101.5, 98.8, 101.2), B(101.2, 103.4, 101, 103),
  B(103, 105.2, 102.8, 105), B(105, 106.5, 104.6, 106), B(106, 106.2, 103.9, 104), B(104, 104.3, 102.2, 102.5), B(102.5, 102.8, 101.4, 101.8),
  B(101.8, 102, 100.1, 100.4), B(100.4, 101.5, 100.2, 101.3), B(101.3, 102.8, 101.1, 102.6), B(102.6, 103.6, 102.3, 103.2), B(103.2, 103.4, 101.5, 101.8),
  B(101.8, 102, 99.5, 99.8), B(99.8, 100, 98.6, 98.8), B(98.8, 99, 97.5, 97.8), B(97.8, 98.6, 97.7, 98.3), B(98.3, 98.9, 98, 98.6),
  B(98.6, 99.8, 98.4, 99.6), B(99.6, 101.2, 99.4, 101), B(101, 102.6, 100.8, 102.1), B(102.1, 102.3, 100.5, 100.8), B(100.8, 101, 99, 99.3),
]
const candles = candlesOf(bars)
const params = { swing_length: 2, atr_period: 5, stop_buffer_atr: 1 }
const A = atr(candles.high, candles.low, candles.close, 5)

describe('smc_trend', () => {
  it('the figures the scenario relies on (batch SMC on prefixes)', () => {
    const s = swingHighsLows(candles, { swingLength: 2, parity: false })
    const rows = [...s.highLow].flatMap((t, i) => (t === t ? [[i, t, s.level[i]]] : []))
    expect(rows).toEqual([[2, -1, 95.5], [5, 1, 102.5], [7, -1, 98.5], [11, 1, 106.5], [15, -1, 100.1], [18, 1, 103.6], [22, -1, 97.5], [27, 1, 102.6]])
    const at14 = sliceCandles(candles, 15)
    const o = batchOb(at14, swingHighsLows(at14, { swingLength: 2, parity: false }), { parity: false })
    expect([o.ob[7], o.top[7], o.bottom[7], o.mitigatedIndex[7]]).toEqual([1, Math.fround(100.3), 98.5, Number.NaN])
    expect(smcTrendSeries(candles, 2).slice(10, 26)).toEqual(Float64Array.from([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1]))
  })

  it('enters on the retracement into the trend’s order block, exits on the opposite BOS, stop beyond the block', () => {
    const { steps, trades } = simulate(smcTrend, params, candles)
    checkIntents(steps, candles)
    const acts = actions(steps)
    expect(acts.map((a) => [a.index, a.intent.action, a.intent.action === 'open' ? a.intent.side : null])).toEqual([
      [15, 'open', 'long'],
      [24, 'close', null],
      [27, 'open', 'short'],
    ])
    // Long: stop 98.5 − 1 × ATR(5) rounded down; take profit 2 R from the close 100.4.
    const longStop = roundPriceToTick(98.5 - A[15]!, 0.01, 'down')
    expect(acts[0]!.intent).toMatchObject({ type: 'market', stop_loss: longStop, take_profit: roundPriceToTick(100.4 + 2 * (100.4 - longStop), 0.01, 'nearest') })
    expect(acts[0]!.intent).toMatchObject({ stop_loss: 96.43, take_profit: 108.34, confidence: 0.875 })
    expect(acts[0]!.intent.reason).toBe(
      'bullish BOS: candle 11 closed above the swing high 102.50 of candle 5; low 100.10 retraced into the bullish order block 98.50–100.30 of candle 7; ' +
        'long at close 100.40, stop 96.43, take profit 108.34 (2.07 beyond the block)',
    )
    expect(acts[1]!.intent).toEqual({ action: 'close', reason: 'bearish BOS: candle 22 closed below the swing low 100.10 of candle 15: closing the long', confidence: 1 })
    const shortStop = roundPriceToTick(Math.fround(103.6) + A[27]!, 0.01, 'up')
    expect(acts[2]!.intent).toMatchObject({ stop_loss: shortStop, take_profit: roundPriceToTick(102.1 - 2 * (shortStop - 102.1), 0.01, 'nearest') })
    expect(acts[2]!.intent).toMatchObject({ stop_loss: 105.17, take_profit: 95.96 })
    expect(steps[16]!.intent).toEqual({ action: 'hold', reason: 'long open: no order-block retracement in the trend', confidence: 0 })
    expect(trades.map((t) => [t.side, t.entryIndex, t.exitIndex, t.exitReason])).toEqual([
      ['long', 16, 25, 'close'],
      ['short', 28, null, null],
    ])
  })

  it('respects allow_short, ob_max_age, and trades a block once even when flat', () => {
    expect(actions(simulate(smcTrend, { ...params, allow_short: false }, candles).steps).map((a) => a.index)).toEqual([15, 24])
    // With ob_max_age 5 both blocks are too old by the time price returns (7 at 14, 18 at 26); the
    // bearish BOS still finds no long to close.
    expect(actions(simulate(smcTrend, { ...params, ob_max_age: 5 }, candles).steps)).toEqual([])
    expect(actions(simulate(smcTrend, { ...params, ob_max_age: 9 }, candles).steps).map((a) => a.index)).toEqual([15, 24, 27])
    // Flat all along (the account never reports the position): 15 opens, 16 touches the same block: hold.
    const instance = smcTrend.create(smcTrend.params.parse(params), setupFor())
    const intents = bars.map((_, j) =>
      instance.onCandle({ candles: guardedPrefix(candles, j + 1), index: j, candle: candleAt(candles, j), account: { equity: 1e4, available: 1e4, position: null } }),
    )
    expect(intents.flatMap((x, j) => (x.action === 'open' ? [j] : []))).toEqual([15, 27])
  })

  it('its trend is causal and equals the ML feature smcTrendSeries on every prefix', () => {
    const c = randomCandles(2500, 'smc-trend-eq')
    for (const swing of [3, 5]) {
      const instance = smcTrend.create(smcTrend.params.parse({ swing_length: swing }), setupFor()) as SmcTrendInstance
      const expected = smcTrendSeries(c, swing)
      const got = new Float64Array(c.close.length)
      for (let j = 0; j < c.close.length; j++) {
        instance.onCandle({ candles: guardedPrefix(c, j + 1), index: j, candle: candleAt(c, j), account: { equity: 1e4, available: 1e4, position: null } })
        got[j] = instance.currentTrend
      }
      expect(got).toEqual(expected)
      expect(new Set(got)).toEqual(new Set([-1, 0, 1]))
    }
  })

  it('has no look-ahead and is deterministic', () => {
    const c = randomCandles(2000, 'smc-la')
    const full = simulate(smcTrend, { swing_length: 3 }, c)
    checkIntents(full.steps, c)
    expect(actions(full.steps).length).toBeGreaterThan(10)
    for (const cut of [150, 999, 1600]) expect(simulate(smcTrend, { swing_length: 3 }, sliceCandles(c, cut)).steps).toEqual(full.steps.slice(0, cut))
    expect(simulate(smcTrend, { swing_length: 3 }, randomCandles(2000, 'smc-la'))).toEqual(full)
  })
})
