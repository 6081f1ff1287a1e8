import { describe, expect, it } from 'vitest'
import { expectColumnsMatch } from '../testing/compare'
import { eurusdCandles, readVector } from '../testing/vectors'
import { candlesFromArrays } from '../types'
import { sessions, sessionWindow } from './sessions'

/** Candles at naive ISO times with the given highs and lows. */
function at(rows: [string, number, number][]) {
  return candlesFromArrays({
    time: rows.map((r) => Date.parse(`${r[0]}Z`)),
    open: rows.map((r) => r[1]),
    high: rows.map((r) => r[1]),
    low: rows.map((r) => r[2]),
    close: rows.map((r) => r[2]),
    volume: rows.map(() => 0),
  })
}

describe('sessions parity with smartmoneyconcepts 0.0.27 (EURUSD)', () => {
  it('session="London" matches sessions_result_data.csv', () => {
    const r = sessions(eurusdCandles(), { session: 'London' })
    expectColumnsMatch('sessions', { Active: r.active, High: r.high, Low: r.low }, readVector('sessions_result_data.csv'), {
      float32Columns: ['High', 'Low'],
    })
  })
})

describe('sessions semantics', () => {
  it('window is inclusive at both ends, on the minute (seconds truncated)', () => {
    const r = sessions(
      at([
        ['2024-01-02T06:59:59', 1, 1],
        ['2024-01-02T07:00:00', 2, 1.5],
        ['2024-01-02T12:00:00', 1.8, 1.2],
        ['2024-01-02T16:00:59', 1.9, 1.4],
        ['2024-01-02T16:01:00', 5, 0.5],
      ]),
      { session: 'London' },
    )
    expect(Array.from(r.active)).toEqual([0, 1, 1, 1, 0])
    expect(Array.from(r.high)).toEqual([0, 2, 2, 2, 0])
    expect(Array.from(r.low)).toEqual([0, 1.5, 1.2, 1.2, 0].map(Math.fround))
  })

  it('High/Low are float32', () => {
    const r = sessions(at([['2024-01-02T08:00:00', 1.1, 0.1]]), { session: 'London' })
    expect(r.high[0]).toBe(Math.fround(1.1))
    expect(r.high[0]).not.toBe(1.1)
  })

  it('a window with start >= end wraps midnight (Sydney 21:00-06:00)', () => {
    const r = sessions(
      at([
        ['2024-01-02T20:45:00', 1, 1],
        ['2024-01-02T21:00:00', 1, 1],
        ['2024-01-03T00:00:00', 1, 1],
        ['2024-01-03T06:00:00', 1, 1],
        ['2024-01-03T06:15:00', 1, 1],
      ]),
      { session: 'Sydney' },
    )
    expect(Array.from(r.active)).toEqual([0, 1, 1, 1, 0])
  })

  it('running values restart only after an inactive row (parity), at each opening otherwise', () => {
    const candles = at([
      ['2024-01-02T15:45:00', 3, 2],
      ['2024-01-02T16:00:00', 4, 2.5],
      // data gap: next candle is the next day's open, with no inactive row in between
      ['2024-01-03T07:00:00', 1, 0.5],
    ])
    const p = sessions(candles, { session: 'London' })
    expect(Array.from(p.high)).toEqual([3, 4, 4])
    expect(Array.from(p.low)).toEqual([2, 2, 0.5])
    const c = sessions(candles, { session: 'London', parity: false })
    expect(Array.from(c.high)).toEqual([3, 4, 1])
    expect(Array.from(c.low)).toEqual([2, 2, 0.5])
  })

  it('parity: false gives NaN High/Low on inactive rows', () => {
    const r = sessions(at([['2024-01-02T03:00:00', 1, 1]]), { session: 'London', parity: false })
    expect(r.active[0]).toBe(0)
    expect(Number.isNaN(r.high[0])).toBe(true)
  })

  it('knows every named session and kill zone', () => {
    expect(sessionWindow('Sydney')).toEqual([21 * 60, 6 * 60])
    expect(sessionWindow('Tokyo')).toEqual([0, 9 * 60])
    expect(sessionWindow('London')).toEqual([7 * 60, 16 * 60])
    expect(sessionWindow('New York')).toEqual([13 * 60, 22 * 60])
    expect(sessionWindow('Asian kill zone')).toEqual([0, 4 * 60])
    expect(sessionWindow('London open kill zone')).toEqual([6 * 60, 9 * 60])
    expect(sessionWindow('New York kill zone')).toEqual([11 * 60, 14 * 60])
    expect(sessionWindow('london close kill zone')).toEqual([14 * 60, 16 * 60])
    expect(sessionWindow('London Close Kill Zone')).toEqual([14 * 60, 16 * 60])
    expect(sessionWindow('Custom', '8:5', '23:59')).toEqual([8 * 60 + 5, 23 * 60 + 59])
  })

  it('rejects unknown sessions, Custom without times, and malformed times', () => {
    expect(() => sessionWindow('Frankfurt')).toThrow(/unknown session/)
    expect(() => sessionWindow('Custom', '08:00')).toThrow(/requires a start and end/)
    for (const bad of ['24:00', '8', '08:60', ' 08:00', '08:00:00', 'ab:cd']) {
      expect(() => sessionWindow('Custom', bad, '10:00'), bad).toThrow(/not a valid HH:MM/)
    }
  })

  it('time zones: "UTC+2" is POSIX Etc/GMT+2 (UTC-2) in parity mode, UTC+2 otherwise', () => {
    const c = at([['2024-01-02T05:00:00', 1, 1], ['2024-01-02T09:00:00', 1, 1]])
    expect(Array.from(sessions(c, { session: 'Custom', startTime: '07:00', endTime: '07:01', timeZone: 'UTC+2' }).active)).toEqual([1, 0])
    expect(Array.from(sessions(c, { session: 'Custom', startTime: '07:00', endTime: '07:01', timeZone: 'GMT+2' }).active)).toEqual([1, 0])
    expect(
      Array.from(sessions(c, { session: 'Custom', startTime: '07:00', endTime: '07:01', timeZone: 'UTC+2', parity: false }).active),
    ).toEqual([0, 1])
    expect(
      Array.from(sessions(c, { session: 'Custom', startTime: '07:00', endTime: '07:01', timeZone: 'Etc/GMT-2', parity: false }).active),
    ).toEqual([0, 1])
  })

  it('time zones: IANA zones follow DST (London open is 08:00 local in summer)', () => {
    const c = at([
      ['2024-01-10T07:00:00', 1, 1], // GMT: 07:00 UTC
      ['2024-07-10T07:00:00', 1, 1], // BST: 06:00 UTC
      ['2024-07-10T08:00:00', 1, 1], // BST: 07:00 UTC
    ])
    const r = sessions(c, { session: 'Custom', startTime: '07:00', endTime: '07:01', timeZone: 'Europe/London' })
    expect(Array.from(r.active)).toEqual([1, 0, 1])
  })

  it('time zones: DST fold/gap times throw in parity mode (as pandas), resolve otherwise', () => {
    const fold = at([['2022-10-30T01:30:00', 1, 1]]) // Europe/London 01:00-02:00 happens twice
    const gap = at([['2022-03-27T01:30:00', 1, 1]]) // Europe/London 01:00-02:00 is skipped
    const o = { session: 'Custom', startTime: '00:30', endTime: '00:31', timeZone: 'Europe/London' }
    expect(() => sessions(fold, o)).toThrow(/ambiguous/)
    expect(() => sessions(gap, o)).toThrow(/does not exist/)
    // earliest reading of 01:30 in the fold is BST = 00:30 UTC
    expect(sessions(fold, { ...o, parity: false }).active[0]).toBe(1)
    // shifted forward to the transition instant 01:00 UTC
    expect(sessions(gap, { ...o, startTime: '01:00', endTime: '01:01', parity: false }).active[0]).toBe(1)
  })

  it('rejects unknown time zones with the name', () => {
    expect(() => sessions(at([['2024-01-02T05:00:00', 1, 1]]), { session: 'London', timeZone: 'Mars/Base' })).toThrow(/Mars\/Base/)
    // the reference rewrites "Etc/UTC" to "Etc/Etc/GMT", which does not exist
    expect(() => sessions(at([['2024-01-02T05:00:00', 1, 1]]), { session: 'London', timeZone: 'Etc/UTC' })).toThrow(/unknown time zone/)
  })

  it('start == end wraps: the whole day is active, as in the reference', () => {
    const r = sessions(at([['2024-01-02T03:00:00', 1, 1], ['2024-01-02T19:00:00', 1, 1]]), {
      session: 'Custom',
      startTime: '07:00',
      endTime: '07:00',
    })
    expect(Array.from(r.active)).toEqual([1, 1])
  })

  it('handles empty input', () => {
    expect(sessions(at([]), { session: 'Tokyo' }).active.length).toBe(0)
  })
})
