import { describe, expect, it } from 'vitest'
import { DomainError } from '../core'
import { columnsToCandles, MAX_CANDLE_LIMIT, queryColumns, resolveLimit } from './aggregate'
import { CandleSeries } from './candle-series'
import { MINUTE_MS } from './intervals'
import { gridOf } from './precision'

const lot = gridOf(0.1)
const DAY = Date.UTC(2024, 0, 1) / MINUTE_MS

/** A series of `n` minutes from `start` where minute i has open i, high i+0.5, low i-0.5, close i+0.25. */
function series(start: number, n: number): CandleSeries {
  const s = new CandleSeries(start, 4)
  for (let i = 0; i < n; i++) s.push(100 + i, 100.5 + i, 99.5 + i, 100.25 + i, 0.1)
  return s
}

const q = (s: CandleSeries, interval: Parameters<typeof queryColumns>[1], query = {}) =>
  columnsToCandles(queryColumns(s, interval, query, lot, MAX_CANDLE_LIMIT))

describe('queryColumns', () => {
  it('returns 1m rows with open times, growing storage transparently', () => {
    const s = series(DAY, 10)
    expect(s.capacity).toBeGreaterThanOrEqual(10)
    const rows = q(s, '1m')
    expect(rows).toHaveLength(10)
    expect(rows[0]).toEqual({ time: DAY * MINUTE_MS, open: 100, high: 100.5, low: 99.5, close: 100.25, volume: 0.1 })
    expect(rows[9]!.time).toBe((DAY + 9) * MINUTE_MS)
  })

  it('aggregates UTC-aligned buckets: first open, last close, max high, min low, summed volume', () => {
    const s = series(DAY, 130)
    const rows = q(s, '1h')
    expect(rows.map((r) => r.time)).toEqual([0, 1, 2].map((h) => (DAY + 60 * h) * MINUTE_MS))
    expect(rows[0]).toEqual({ time: DAY * MINUTE_MS, open: 100, high: 159.5, low: 99.5, close: 159.25, volume: 6 })
    // The last bucket is partial (10 minutes), like the forming candle.
    expect(rows[2]).toEqual({
      time: (DAY + 120) * MINUTE_MS,
      open: 220,
      high: 229.5,
      low: 219.5,
      close: 229.25,
      volume: 1,
    })
  })

  it('includes a partial first bucket when the series starts mid-bucket', () => {
    const rows = q(series(DAY + 3, 7), '5m')
    expect(rows.map((r) => [r.time, r.open, r.close, r.volume])).toEqual([
      [DAY * MINUTE_MS, 100, 101.25, 0.2],
      [(DAY + 5) * MINUTE_MS, 102, 106.25, 0.5],
    ])
  })

  it('filters on open time inclusively and returns the LAST `limit` candles, ascending', () => {
    const s = series(DAY, 100)
    const t = (m: number) => (DAY + m) * MINUTE_MS
    expect(q(s, '1m', { startTime: t(10), endTime: t(14) }).map((r) => r.open)).toEqual([110, 111, 112, 113, 114])
    // Non-aligned bounds: the candle opening at t(10) starts before t(10)+1, so it is excluded.
    expect(q(s, '1m', { startTime: t(10) + 1, endTime: t(14) - 1 }).map((r) => r.open)).toEqual([111, 112, 113])
    expect(q(s, '1m', { limit: 3 }).map((r) => r.open)).toEqual([197, 198, 199])
    expect(q(s, '1m', { startTime: t(10), limit: 3 }).map((r) => r.open)).toEqual([197, 198, 199])
    expect(q(s, '1m', { endTime: t(10), limit: 3 }).map((r) => r.open)).toEqual([108, 109, 110])
    expect(q(s, '5m', { startTime: t(7), endTime: t(20) }).map((r) => r.time)).toEqual([t(10), t(15), t(20)])
    expect(q(s, '1m', { startTime: t(50), endTime: t(40) })).toEqual([])
    expect(q(s, '1m', { startTime: t(500) })).toEqual([])
    expect(q(s, '1m', { endTime: t(-1) })).toEqual([])
  })

  it('defaults to 500 and caps row queries at 1000', () => {
    const s = series(DAY, 1500)
    expect(q(s, '1m')).toHaveLength(500)
    expect(q(s, '1m', { limit: 5000 })).toHaveLength(1000)
    expect(queryColumns(s, '1m', { limit: 5000 }, lot, 100_000).time).toHaveLength(1500)
  })

  it('rejects invalid limits, times and intervals with VALIDATION_FAILED', () => {
    const s = series(DAY, 10)
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError)
        return (e as DomainError).code
      }
      return 'none'
    }
    expect(code(() => resolveLimit(0, 1000))).toBe('VALIDATION_FAILED')
    expect(code(() => resolveLimit(1.5, 1000))).toBe('VALIDATION_FAILED')
    expect(code(() => q(s, '1m', { startTime: Number.NaN }))).toBe('VALIDATION_FAILED')
    expect(code(() => q(s, '2h' as '1h'))).toBe('VALIDATION_FAILED')
  })

  it('returns copies, not views of the live storage', () => {
    const s = series(DAY, 10)
    const cols = queryColumns(s, '1m', {}, lot, MAX_CANDLE_LIMIT)
    s.write(9, 1, 1, 1, 1, 1)
    expect(cols.close[9]).toBe(109.25)
  })
})

describe('CandleSeries.dropFront', () => {
  it('drops the oldest rows and moves the start', () => {
    const s = series(DAY, 10)
    s.dropFront(4)
    expect(s.startMinute).toBe(DAY + 4)
    expect(s.length).toBe(6)
    expect(s.open[0]).toBe(104)
    expect(s.lastMinute).toBe(DAY + 9)
  })
})
