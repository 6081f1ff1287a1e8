import { describe, expect, it } from 'vitest'
import { expectColumnsMatch } from '../testing/compare'
import { eurusdCandles, readVector } from '../testing/vectors'
import { candlesFromArrays } from '../types'
import { parseTimeFrame, previousHighLow } from './previous-high-low'

const cols = (r: ReturnType<typeof previousHighLow>) => ({
  PreviousHigh: r.previousHigh,
  PreviousLow: r.previousLow,
  BrokenHigh: r.brokenHigh,
  BrokenLow: r.brokenLow,
})
const F32 = { float32Columns: ['PreviousHigh', 'PreviousLow'] }

/** Candles at the given ISO times (UTC, naive) with the given highs and lows. */
function at(rows: [string, number, number][]) {
  return candlesFromArrays({
    time: rows.map((r) => Date.parse(`${r[0]}Z`)),
    open: rows.map((r) => (r[1] + r[2]) / 2),
    high: rows.map((r) => r[1]),
    low: rows.map((r) => r[2]),
    close: rows.map((r) => (r[1] + r[2]) / 2),
    volume: rows.map(() => 0),
  })
}

describe('previous_high_low parity with smartmoneyconcepts 0.0.27 (EURUSD)', () => {
  for (const tf of ['4h', '1D', 'W']) {
    it(`time_frame=${tf} matches previous_high_low_result_data_${tf}.csv`, () => {
      expectColumnsMatch(
        `previous_high_low ${tf}`,
        cols(previousHighLow(eurusdCandles(), { timeFrame: tf })),
        readVector(`previous_high_low_result_data_${tf}.csv`),
        F32,
      )
    })
  }
})

describe('previous_high_low semantics', () => {
  const days = at([
    ['2024-01-01T10:00:00', 10, 9], // Mon
    ['2024-01-02T10:00:00', 20, 8], // Tue 10:00: labels before t are Mon and Tue 00:00 -> Monday
    ['2024-01-03T00:00:00', 15, 14], // Wed 00:00: Wed label is not < t, so still Monday
    ['2024-01-03T00:15:00', 21, 7.5], // Wed 00:15: sees Tuesday, breaks both
    ['2024-01-03T01:00:00', 16, 15], // flags stay set within the group
    ['2024-01-05T00:15:00', 1, 1], // Fri (Thu empty, dropped): sees Wednesday
  ])

  it('1D: boundary candle sees the day before the previous one; empty days are skipped', () => {
    const r = previousHighLow(days)
    expect(Array.from(r.previousHigh)).toEqual([NaN, 10, 10, 20, 20, 21].map(Math.fround))
    expect(Array.from(r.previousLow)).toEqual([NaN, 9, 9, 8, 8, 7.5].map(Math.fround))
    expect(Array.from(r.brokenHigh)).toEqual([0, 1, 1, 1, 1, 0])
    expect(Array.from(r.brokenLow)).toEqual([0, 1, 1, 1, 1, 1])
  })

  it('parity: false uses the bin right before the candle own bin, in float64', () => {
    const r = previousHighLow(days, { parity: false })
    expect(Array.from(r.previousHigh)).toEqual([NaN, 10, 20, 20, 20, 21])
    expect(Array.from(r.brokenHigh)).toEqual([0, 1, 0, 1, 1, 0])
  })

  it('W: Monday..Saturday see two weeks back, Sunday after 00:00 sees last week', () => {
    const r = previousHighLow(
      at([
        ['2024-01-01T00:00:00', 1, 1], // week labelled Sun 01-07
        ['2024-01-08T00:00:00', 2, 2], // week labelled 01-14
        ['2024-01-15T00:00:00', 3, 3], // Mon, week labelled 01-21: labels < t are 01-07, 01-14 -> 01-07
        ['2024-01-17T12:00:00', 4, 4], // Wed: labels < t are 01-07, 01-14 -> 01-07
        ['2024-01-21T00:00:00', 5, 5], // Sun 00:00: label 01-21 not < t -> still 01-07
        ['2024-01-21T00:15:00', 6, 6], // Sun 00:15: 01-21 < t -> previous week 01-14
      ]),
      { timeFrame: 'W' },
    )
    expect(Array.from(r.previousHigh)).toEqual([NaN, NaN, 1, 1, 1, 2])
  })

  it('fewer than two non-empty bins gives all NaN / 0', () => {
    const r = previousHighLow(at([['2024-01-01T00:00:00', 1, 1], ['2024-01-01T05:00:00', 2, 0]]))
    expect(r.previousHigh.every(Number.isNaN)).toBe(true)
    expect(Array.from(r.brokenHigh)).toEqual([0, 0])
    expect(previousHighLow(at([])).previousHigh.length).toBe(0)
  })

  it('4h bins start at midnight of the first day, not at the first candle', () => {
    const r = previousHighLow(
      at([
        ['2024-01-01T03:00:00', 1, 1], // bin 00:00
        ['2024-01-01T05:00:00', 2, 2], // bin 04:00: labels 00:00, 04:00 < t -> bin 00:00
        ['2024-01-01T08:30:00', 3, 3], // bin 08:00 -> bin 04:00
      ]),
      { timeFrame: '4h' },
    )
    // Bins anchored at the first candle (03:00, 07:00) would give [NaN, NaN, 1].
    expect(Array.from(r.previousHigh)).toEqual([NaN, 1, 2])
  })

  it('M: month-end labels; a candle on the last day after 00:00 sees the previous month', () => {
    const r = previousHighLow(
      at([
        ['2024-01-10T00:00:00', 1, 1], // label 01-31
        ['2024-02-10T00:00:00', 2, 2], // label 02-29
        ['2024-03-10T00:00:00', 3, 3], // labels < t: 01-31, 02-29 -> January
        ['2024-03-31T06:00:00', 4, 4], // 03-31 < t -> February
      ]),
      { timeFrame: 'M' },
    )
    expect(Array.from(r.previousHigh)).toEqual([NaN, NaN, 1, 2])
  })

  it('MS: month-start labels, closed left', () => {
    const r = previousHighLow(
      at([
        ['2024-01-10T00:00:00', 1, 1],
        ['2024-02-01T00:00:00', 2, 2],
        ['2024-03-01T00:00:00', 3, 3], // labels < t: 01-01, 02-01 -> January
        ['2024-03-01T00:15:00', 4, 4], // labels < t include 03-01 -> February
      ]),
      { timeFrame: 'MS' },
    )
    expect(Array.from(r.previousHigh)).toEqual([NaN, NaN, 1, 2])
  })

  it('parses pandas aliases and rejects the rest', () => {
    expect(parseTimeFrame('15min')).toEqual({ kind: 'tick', ms: 900_000 })
    expect(parseTimeFrame('1H')).toEqual({ kind: 'tick', ms: 3_600_000 })
    expect(parseTimeFrame('2D')).toEqual({ kind: 'tick', ms: 172_800_000 })
    expect(parseTimeFrame('W-MON').kind).toBe('anchored')
    for (const bad of ['15m', '0h', 'x', '1W-XYZ', '4h-MON', 'M-JAN', '']) {
      expect(() => parseTimeFrame(bad), bad).toThrow(RangeError)
    }
    expect(() => previousHighLow(days, { timeFrame: '15m' })).toThrow(/months/)
  })

  it('W-anchors: W-SUN weeks end on Sunday; W-WED weeks end on Wednesday', () => {
    const tf = parseTimeFrame('W-WED')
    if (tf.kind !== 'anchored') throw new Error('expected anchored')
    const day = Date.UTC(2024, 0, 17) / 86_400_000 // a Wednesday
    expect(tf.dayOf(tf.ceilIndex(day))).toBe(day)
    expect(tf.dayOf(tf.ceilIndex(day + 1))).toBe(day + 7)
  })

  it('rejects unsorted time', () => {
    expect(() => previousHighLow(at([['2024-01-02T00:00:00', 1, 1], ['2024-01-01T00:00:00', 1, 1]]))).toThrow(/ascend/)
  })
})
