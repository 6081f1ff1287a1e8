import { allocCandles } from '@smc-trading/smc'
import { DomainError } from '../core'
import type { CandleSeries } from './candle-series'
import { type Interval, intervalMinutes, intervalName, intervalsFrom, MINUTE_MS } from './intervals'
import { type Grid, roundToGrid } from './precision'
import type { Candle, CandleColumns, CandleQuery } from './types'

/** The contract's limits for row queries. */
export const DEFAULT_CANDLE_LIMIT = 500
export const MAX_CANDLE_LIMIT = 1000

/**
 * Columnar queries feed the SMC engine in-process, so they may ask for far more than one HTTP page;
 * the cap only guards memory.
 */
export const MAX_COLUMN_LIMIT = 100_000

const invalid = (field: string, message: string, value: unknown): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { field, value })

/**
 * Validate a limit: a positive integer; above `max` it is clamped (as exchanges do), not refused.
 *
 * @example
 * resolveLimit(undefined, 1000) // 500
 * resolveLimit(5000, 1000)      // 1000
 */
export function resolveLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return Math.min(DEFAULT_CANDLE_LIMIT, max)
  if (!Number.isInteger(limit) || limit < 1) throw invalid('limit', 'limit must be a positive integer', limit)
  return Math.min(limit, max)
}

function resolveTime(field: 'startTime' | 'endTime', value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value)) throw invalid(field, `${field} must be a finite number of milliseconds`, value)
  return value
}

/**
 * Select and aggregate candles of a 1m series: buckets aligned to UTC multiples of the interval,
 * open time within [startTime, endTime], the LAST `limit` of them, ascending. A bucket covers the
 * minutes the series holds (the forming one included), so the newest bucket is partial.
 * Aggregation: open of the first minute, close of the last, max high, min low, summed volume
 * (rounded to `volumeGrid` so sums carry no float noise).
 *
 * @example
 * const cols = queryColumns(series, '1h', { limit: 24 }, lotGrid, MAX_CANDLE_LIMIT)
 * cols.close.length // ≤ 24
 */
export function queryColumns(
  series: CandleSeries,
  interval: Interval,
  query: CandleQuery,
  volumeGrid: Grid,
  maxLimit: number,
): CandleColumns {
  const span = intervalMinutes(interval)
  const step = series.stepMinutes
  if (span < step || span % step !== 0) {
    const served = intervalsFrom(step)
    const why = span < step ? `${interval} is finer than that` : `${interval} is not a whole number of ${intervalName(step)} candles`
    throw new DomainError(
      'VALIDATION_FAILED',
      `This market's candles are ${intervalName(step)} (its finest interval) and ${why}; intervals served: ${served.length > 0 ? served.join(', ') : 'none of the contract\'s'}`,
      { field: 'interval', value: interval, finest: intervalName(step), allowed: served },
    )
  }
  const limit = resolveLimit(query.limit, maxLimit)
  const startTime = resolveTime('startTime', query.startTime, Number.NEGATIVE_INFINITY)
  const endTime = resolveTime('endTime', query.endTime, Number.POSITIVE_INFINITY)

  const first = series.startMinute
  const last = series.lastMinute
  const spanMs = span * MINUTE_MS
  // Bucket open minutes, all multiples of `span`.
  let lo = Math.floor(first / span) * span
  let hi = Math.floor(last / span) * span
  if (startTime > Number.NEGATIVE_INFINITY) lo = Math.max(lo, Math.ceil(startTime / spanMs) * span)
  if (endTime < Number.POSITIVE_INFINITY) hi = Math.min(hi, Math.floor(endTime / spanMs) * span)
  const inRange = series.length === 0 || hi < lo ? 0 : (hi - lo) / span + 1
  const n = Math.min(limit, inRange)
  const out = allocCandles(n)
  if (n === 0) return out
  const firstBucket = query.anchor === 'start' ? lo : hi - (n - 1) * span

  if (span === step) {
    const from = (firstBucket - first) / step
    out.open.set(series.open.subarray(from, from + n))
    out.high.set(series.high.subarray(from, from + n))
    out.low.set(series.low.subarray(from, from + n))
    out.close.set(series.close.subarray(from, from + n))
    out.volume.set(series.volume.subarray(from, from + n))
    for (let k = 0; k < n; k++) out.time[k] = (firstBucket + k * step) * MINUTE_MS
    return out
  }

  const { open: O, high: H, low: L, close: C, volume: V } = series
  for (let k = 0; k < n; k++) {
    const bucket = firstBucket + k * span
    const i0 = (Math.max(bucket, first) - first) / step
    const i1 = (Math.min(bucket + span - step, last) - first) / step
    let high = H[i0]!
    let low = L[i0]!
    let volume = 0
    for (let i = i0; i <= i1; i++) {
      if (H[i]! > high) high = H[i]!
      if (L[i]! < low) low = L[i]!
      volume += V[i]!
    }
    out.time[k] = bucket * MINUTE_MS
    out.open[k] = O[i0]!
    out.high[k] = high
    out.low[k] = low
    out.close[k] = C[i1]!
    out.volume[k] = roundToGrid(volume, volumeGrid)
  }
  return out
}

/**
 * Columns to row objects (for the JSON API).
 *
 * @example
 * columnsToCandles(cols)[0] // { time, open, high, low, close, volume }
 */
export function columnsToCandles(cols: CandleColumns): Candle[] {
  const rows: Candle[] = new Array(cols.time.length)
  for (let i = 0; i < rows.length; i++) {
    rows[i] = {
      time: cols.time[i]!,
      open: cols.open[i]!,
      high: cols.high[i]!,
      low: cols.low[i]!,
      close: cols.close[i]!,
      volume: cols.volume[i]!,
    }
  }
  return rows
}
