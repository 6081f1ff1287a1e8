import { describe, expect, it } from 'vitest'
import { atr, rsi } from '../analytics/indicators'
import { rsiReversion } from './rsi-reversion'
import { roundPriceToTick } from './sizing'
import { actions, barsFromCloses, candlesOf, checkIntents, randomCandles, simulate, sliceCandles } from './strategies.test-helpers'

// RSI(3) (from the batch, printed to one decimal):
//  3:66.7 4:44.4 5:17.8 6:9.4 7:6.3 8:24.5 9:41.6 10:61.2 11:74.2 12:84.6 13:91.9 14:95.3 15:96.7
// 16:79.2 17:62.3 18:38.0 19:24.0 20:13.1 21:9.0 22:7.3 23:27.8 24:45.8 …
// Up through 30 on 9 and 24, down through 70 on 17; back past 50 on 10 (long) and 18 (short).
const closes = [100, 101, 100, 101, 100, 97, 94, 92, 93, 94, 95.5, 97, 99, 102, 105, 107, 106, 105, 103, 101, 98, 96, 95, 96, 97, 95, 90, 91]
const candles = candlesOf(barsFromCloses(closes))
const params = { period: 3, atr_period: 3 }
const A = atr(candles.high, candles.low, candles.close, 3)
const R = rsi(candles.close, 3)

const levels = (side: 'long' | 'short', j: number, m = 2, r = 2) => {
  const c = closes[j]!
  const stop = roundPriceToTick(side === 'long' ? c - m * A[j]! : c + m * A[j]!, 0.01, side === 'long' ? 'down' : 'up')
  const risk = Math.abs(c - stop)
  return { stop_loss: stop, take_profit: roundPriceToTick(side === 'long' ? c + r * risk : c - r * risk, 0.01, 'nearest') }
}

describe('rsi_reversion', () => {
  it('enters on the crosses through oversold/overbought and exits at 50; the stop is an ATR multiple', () => {
    expect([R[8]! < 30, R[9]! >= 30, R[10]! >= 50, R[16]! > 70, R[17]! <= 70, R[18]! <= 50, R[23]! < 30, R[24]! >= 30]).toEqual(Array(8).fill(true))
    const { steps, trades } = simulate(rsiReversion, params, candles)
    checkIntents(steps, candles)
    const acts = actions(steps)
    expect(acts.map((a) => [a.index, a.intent.action, a.intent.action === 'open' ? a.intent.side : null])).toEqual([
      [9, 'open', 'long'],
      [10, 'close', null],
      [17, 'open', 'short'],
      [18, 'close', null],
      [24, 'open', 'long'],
    ])
    expect(acts[0]!.intent).toMatchObject({ type: 'market', ...levels('long', 9), stop_loss: 89.08, take_profit: 103.84, confidence: 1 })
    expect(acts[0]!.intent.reason).toBe('RSI 41.6 crossed up through 30 (low 6.3); long at close 94.00, stop 89.08, take profit 103.84 (ATR 2.46 × 2)')
    expect(acts[1]!.intent).toEqual({ action: 'close', reason: 'RSI 61.2 back at 50 or above: closing the long', confidence: 1 })
    expect(acts[2]!.intent).toMatchObject(levels('short', 17))
    expect(acts[2]!.intent.reason).toMatch(/^RSI 62\.3 crossed down through 70 \(high 96\.7\); short at close 105\.00/)
    expect(acts[3]!.intent.reason).toBe('RSI 38.0 back at 50 or below: closing the short')
    expect(acts[4]!.intent).toMatchObject({ ...levels('long', 24), stop_loss: 92.32 })
    // The last long is stopped out inside candle 26 (low 89.5 ≤ 92.32).
    expect(trades.map((t) => [t.side, t.entryIndex, t.exitIndex, t.exitReason, t.exit])).toEqual([
      ['long', 10, 11, 'close', 95.5],
      ['short', 18, 19, 'close', 103],
      ['long', 25, 26, 'stop', 92.32],
    ])
  })

  it('does not take a cross that jumps past 50, and respects allow_short', () => {
    const jump = candlesOf(barsFromCloses([100, 101, 100, 101, 100, 97, 94, 92, 93, 95, 98, 101]))
    expect(rsi(jump.close, 3)[9]).toBeGreaterThan(50) // 24.5 → 52.3 in one candle
    expect(actions(simulate(rsiReversion, params, jump).steps)).toEqual([])
    const noShort = actions(simulate(rsiReversion, { ...params, allow_short: false }, candles).steps)
    expect(noShort.map((a) => a.index)).toEqual([9, 10, 24])
  })

  it('confidence grows with the depth of the excursion: 0.5 + depth / 20', () => {
    const c = randomCandles(3000, 'rsi-conf')
    const { steps } = simulate(rsiReversion, {}, c)
    checkIntents(steps, c)
    const opens = actions(steps).filter((a) => a.intent.action === 'open')
    expect(opens.length).toBeGreaterThan(5)
    for (const { intent } of opens) {
      const m = /\((low|high) ([\d.]+)\)/.exec(intent.reason)!
      const depth = m[1] === 'low' ? 30 - Number(m[2]) : Number(m[2]) - 70
      expect(intent.confidence).toBeCloseTo(Math.min(1, 0.5 + depth / 20), 2)
    }
    expect(opens.some((o) => o.intent.confidence < 1)).toBe(true)
  })

  it('has no look-ahead and is deterministic', () => {
    const c = randomCandles(1500, 'rsi-la')
    const full = simulate(rsiReversion, { period: 7 }, c)
    expect(actions(full.steps).length).toBeGreaterThan(10)
    for (const cut of [100, 777, 1200]) expect(simulate(rsiReversion, { period: 7 }, sliceCandles(c, cut)).steps).toEqual(full.steps.slice(0, cut))
    expect(simulate(rsiReversion, { period: 7 }, randomCandles(1500, 'rsi-la'))).toEqual(full)
  })
})
