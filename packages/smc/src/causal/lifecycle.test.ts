import { describe, expect, it } from 'vitest'
import { bosChoch } from '../indicators/bos-choch'
import { fvg } from '../indicators/fvg'
import { ob } from '../indicators/ob'
import { swingHighsLows } from '../indicators/swing-highs-lows'
import { createSmcStream } from '../stream/stream'
import { candlesFromArrays, type Candles } from '../types'
import { smcCausal } from './analyze'
import { aggregateClosed, timeFrameMs } from './timeframe'

/** Candles from [open, high, low, close] rows, one minute apart. */
function rows(r: [number, number, number, number][]): Candles {
  return candlesFromArrays({
    time: r.map((_, i) => Date.UTC(2024, 0, 1) + i * 60_000),
    open: r.map((x) => x[0]),
    high: r.map((x) => x[1]),
    low: r.map((x) => x[2]),
    close: r.map((x) => x[3]),
    volume: r.map(() => 1),
  })
}

// A swing high (row 1) broken at row 3 forms a bullish order block on row 2 (the lowest low
// between); price tests it (row 5), trades through it (row 6: mitigated, a bearish breaker is born
// and the swing low breaks, a CHOCH), retests the breaker from below (row 7) and finally trades
// above the block (row 8: both invalidated).
const story = rows([
  [10, 11, 9, 10],
  [10, 12, 10, 11],
  [11, 11.5, 9.5, 10],
  [10, 12.5, 10, 12.2],
  [12.2, 13, 12, 12.8],
  [12.8, 12.9, 11.2, 11.5],
  [11.5, 11.6, 9.0, 9.2],
  [9.2, 9.8, 8.8, 9.6],
  [9.6, 11.8, 9.5, 11.7],
])

describe('causal zones: lifecycle and breakers', () => {
  const r = smcCausal(story, { swingLength: 1 })

  it('order block: active → tested → mitigated → invalidated, each stamped with its candle', () => {
    expect(r.swings.slice(0, 2)).toEqual([
      { index: 1, type: 1, level: 12, confirmedAt: 2 },
      { index: 2, type: -1, level: 9.5, confirmedAt: 3 },
    ])
    expect(r.breaks).toEqual([
      { kind: 'bos', direction: 1, level: 12, swingIndex: 1, confirmedAt: 3 },
      { kind: 'choch', direction: -1, level: 9.5, swingIndex: 2, confirmedAt: 6 },
    ])
    const obs = r.zones.filter((z) => z.kind === 'ob')
    expect(obs).toEqual([
      { kind: 'ob', id: 0, direction: 1, top: 11.5, bottom: 9.5, index: 2, confirmedAt: 3 },
      { kind: 'ob', id: 1, direction: -1, top: 13, bottom: 12, index: 4, confirmedAt: 6 },
    ])
    const states = r.zoneEvents.filter((e) => e.kind === 'ob' && e.id === 0).map((e) => [e.state, e.confirmedAt])
    expect(states).toEqual([
      ['tested', 5],
      ['mitigated', 6],
      ['invalidated', 8],
    ])
  })

  it('a mitigated order block flips into a breaker of the opposite direction', () => {
    expect(r.zones.filter((z) => z.kind === 'breaker')).toEqual([{ kind: 'breaker', id: 0, direction: -1, top: 11.5, bottom: 9.5, index: 2, confirmedAt: 6 }])
    const states = r.zoneEvents.filter((e) => e.kind === 'breaker').map((e) => [e.state, e.confirmedAt])
    expect(states).toEqual([
      ['tested', 7],
      ['invalidated', 8],
    ])
  })

  it('fair value gaps: tested at the near edge, mitigated when filled, invalidated by a close beyond', () => {
    const gaps = r.zones.filter((z) => z.kind === 'fvg')
    expect(gaps.map((g) => [g.id, g.direction, g.index, g.bottom, g.top, g.confirmedAt])).toEqual([
      [0, 1, 3, 11.5, 12, 4],
      [1, -1, 5, 11.6, 12, 6],
      [2, -1, 6, 9.8, 11.2, 7],
    ])
    const of = (id: number) => r.zoneEvents.filter((e) => e.kind === 'fvg' && e.id === id).map((e) => [e.state, e.confirmedAt])
    // Row 5 fills gap 0 (low 11.2 ≤ 11.5) but closes on its bottom, not below: invalidated at row 6.
    expect(of(0)).toEqual([
      ['tested', 5],
      ['mitigated', 5],
      ['invalidated', 6],
    ])
    expect(of(1)).toEqual([['tested', 8]])
    // One candle can pass every state: all are stamped with it.
    expect(of(2)).toEqual([
      ['tested', 8],
      ['mitigated', 8],
      ['invalidated', 8],
    ])
  })

  it('the stream emits each state change at its candle', () => {
    const s = createSmcStream({ mode: 'causal', swingLength: 1 })
    const at: string[] = []
    for (let i = 0; i < story.time.length; i++) {
      const e = s.push({ time: story.time[i]!, open: story.open[i]!, high: story.high[i]!, low: story.low[i]!, close: story.close[i]!, volume: 1 })
      for (const z of e.zones) at.push(`${i}: ${z.kind} ${z.id} formed`)
      for (const z of e.zoneEvents) if (z.kind !== 'fvg') at.push(`${i}: ${z.kind} ${z.id} ${z.state}`)
    }
    expect(at).toEqual([
      '3: ob 0 formed',
      '4: fvg 0 formed',
      '5: ob 0 tested',
      '6: ob 1 formed',
      '6: breaker 0 formed',
      '6: fvg 1 formed',
      '6: ob 0 mitigated',
      '7: fvg 2 formed',
      '7: breaker 0 tested',
      '8: ob 0 invalidated',
      '8: breaker 0 invalidated',
    ])
  })

  it("the batch functions take mode: 'causal'", () => {
    const swings = swingHighsLows(story, { swingLength: 1, mode: 'causal' })
    expect(swings).toEqual(r.swings)
    expect(bosChoch(story, swings, { mode: 'causal' })).toEqual(r.breaks)
    const blocks = ob(story, swings, { mode: 'causal' })
    expect(blocks.zones).toEqual(r.zones.filter((z) => z.kind !== 'fvg'))
    expect(blocks.zoneEvents).toEqual(r.zoneEvents.filter((z) => z.kind !== 'fvg'))
    expect(fvg(story, { mode: 'causal' }).zones).toEqual(r.zones.filter((z) => z.kind === 'fvg'))
    // The parity functions refuse a causal swing list rather than misreading it.
    expect(() => bosChoch(story, swings as never)).toThrow(/mode: 'causal'/)
  })
})

describe('causal premium / discount', () => {
  const pd = smcCausal(story, { swingLength: 1 }).premiumDiscount

  it('is undefined until a swing high and a swing low are confirmed', () => {
    expect([pd.zone[0], pd.zone[1], pd.zone[2]]).toEqual([Number.NaN, Number.NaN, Number.NaN])
  })

  it('places the close in the range of the latest confirmed swing high and low', () => {
    // Row 3: range 9.5 … 12 (swing high of row 1, swing low confirmed at 3), close 12.2 above it.
    expect([pd.rangeLow[3], pd.rangeHigh[3], pd.equilibrium[3]]).toEqual([9.5, 12, 10.75])
    expect(pd.position[3]).toBeCloseTo(1.08, 12)
    expect(pd.zone[3]).toBe(1)
    // Row 5: the new swing high 13 (confirmed at 5) widens the range; close 11.5 is at 4/7: premium.
    expect(pd.rangeHigh[5]).toBe(13)
    expect(pd.position[5]).toBeCloseTo(2 / 3.5, 12)
    expect(pd.zone[5]).toBe(1)
    // Row 7: close 9.6 just above the low: discount.
    expect(pd.zone[7]).toBe(-1)
  })

  it('calls the band around the midpoint equilibrium', () => {
    const c = rows([
      [10, 11, 9, 10],
      [10, 12, 10, 11],
      [11, 11.5, 9.5, 10],
      [10, 11.2, 10, 10.7],
      [10.7, 11, 10.5, 10.8],
    ])
    const r = smcCausal(c, { swingLength: 1, equilibriumBand: 0.1 })
    // Range 9.5 … 12 at row 3: close 10.7 is at 0.48, inside 0.45 … 0.55.
    expect(r.premiumDiscount.position[3]).toBeCloseTo(0.48, 12)
    expect(r.premiumDiscount.zone[3]).toBe(0)
    expect(smcCausal(c, { swingLength: 1, equilibriumBand: 0 }).premiumDiscount.zone[3]).toBe(-1)
    expect(() => smcCausal(c, { equilibriumBand: 1 })).toThrow(RangeError)
  })
})

describe('higher timeframe', () => {
  const quarter = 15 * 60_000
  const t0 = Date.UTC(2024, 0, 1)
  const c = candlesFromArrays({
    // 00:00 … 00:45, then 01:00, 01:15, a gap, 03:30.
    time: [0, 1, 2, 3, 4, 5, 14].map((k) => t0 + k * quarter),
    open: [1, 2, 3, 4, 5, 6, 7],
    high: [2, 3, 9, 5, 6, 7, 8],
    low: [0.5, 1, 2, 0.2, 4, 5, 6],
    close: [2, 3, 4, 5, 6, 7, 8],
    volume: [1, 1, 1, 1, 1, 1, 1],
  })

  it('aggregates epoch-aligned buckets and stamps each with the input row that closes it', () => {
    expect(timeFrameMs('1h')).toBe(3_600_000)
    expect(timeFrameMs('4H')).toBe(4 * 3_600_000)
    expect(() => timeFrameMs('1y')).toThrow(RangeError)
    // With the candle length, the 00:45 candle ends the first hour: closed at row 3.
    const known = aggregateClosed(c, { timeFrame: '1h', candleMs: quarter }).candles
    expect(known.map((b) => [b.time - t0, b.open, b.high, b.low, b.close, b.volume, b.first, b.last, b.closedAt])).toEqual([
      [0, 1, 9, 0.2, 5, 4, 0, 3, 3],
      // 01:00–01:15 never reaches 02:00: the next bucket's first row (6) closes it.
      [3_600_000, 5, 7, 4, 7, 2, 4, 5, 6],
    ])
    // Without it, the first hour is only known closed when 01:00 arrives (row 4).
    expect(aggregateClosed(c, { timeFrame: '1h' }).candles.map((b) => b.closedAt)).toEqual([4, 6])
  })

  it('higher-timeframe records are known only once their candle closed', () => {
    const r = smcCausal(c, { swingLength: 1, higherTimeframe: { timeFrame: '15m', candleMs: quarter } })
    const h = r.higherTimeframe!
    // 15m on 15m candles: every candle closes on its own row, so the records match the base ones.
    expect(h.candles.map((b) => b.closedAt)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(h.swings).toEqual(r.swings)
    expect(h.zones).toEqual(r.zones)
    const slow = smcCausal(c, { swingLength: 1, higherTimeframe: { timeFrame: '15m' } }).higherTimeframe!
    // Without candleMs each is known one row later (the last one never).
    for (const s of slow.swings) expect(s.confirmedAt).toBe(s.index + 2)
  })
})
