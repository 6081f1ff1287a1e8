import { LocalTimeError, localToUtc } from '../time/zone'
import type { Candles } from '../types'

const DAY_MS = 86_400_000

/** The reference's session table (UTC clock times, HH:MM, both ends inclusive). */
export const SESSION_HOURS = {
  Sydney: { start: '21:00', end: '06:00' },
  Tokyo: { start: '00:00', end: '09:00' },
  London: { start: '07:00', end: '16:00' },
  'New York': { start: '13:00', end: '22:00' },
  'Asian kill zone': { start: '00:00', end: '04:00' },
  'London open kill zone': { start: '06:00', end: '09:00' },
  'New York kill zone': { start: '11:00', end: '14:00' },
  // Lower-case in the reference, and its lookup is case-sensitive.
  'london close kill zone': { start: '14:00', end: '16:00' },
} as const

/** A named session of the reference, or `'Custom'` (then `startTime`/`endTime` are required). */
export type SessionName = keyof typeof SESSION_HOURS | 'Custom'

export interface SessionsOptions {
  /** Session name, as in the reference (matched exactly, then case-insensitively). */
  session: SessionName | (string & {})
  /** `HH:MM` (one- or two-digit fields, as Python's `strptime('%H:%M')`); Custom only. */
  startTime?: string
  /** `HH:MM`; Custom only. */
  endTime?: string
  /**
   * Zone of the candle times (default `'UTC'`: no conversion). Session hours are always UTC.
   * In parity mode the reference's rewrite applies: "GMT" and "UTC" become "Etc/GMT", so
   * `'UTC+2'` means Etc/GMT+2, which is POSIX for two hours *behind* UTC; IANA names such as
   * `'Europe/London'` work as expected.
   */
  timeZone?: string
  /**
   * true (default): exact reference behaviour (see {@link sessions}). false: `'UTC+2'` /
   * `'GMT-05:30'` mean what they say, the running High/Low restart at every session opening
   * (not only after an inactive candle), DST folds resolve to the earlier instant and gaps shift
   * forward instead of throwing, inactive rows get NaN High/Low, and values stay float64.
   */
  parity?: boolean
}

/** Columns of {@link sessions}. */
export interface SessionsResult {
  /** 1 if the candle's UTC clock time is inside the session, else 0. Column `Active`. */
  active: Int32Array
  /** Running session high (float32 in parity mode); 0 on inactive rows (parity). Column `High`. */
  high: Float64Array
  /** Running session low (float32 in parity mode); 0 on inactive rows (parity). Column `Low`. */
  low: Float64Array
}

const HHMM_RE = /^(2[0-3]|[01]\d|\d):([0-5]\d|\d)$/

function parseHHMM(text: string, what: string): number {
  const m = HHMM_RE.exec(text)
  if (!m) throw new RangeError(`sessions: ${what} "${text}" is not a valid HH:MM time`)
  return Number(m[1]) * 60 + Number(m[2])
}

/**
 * Resolve a session name (or Custom with HH:MM times) to [start, end] minutes of the UTC day.
 * Throws RangeError for an unknown name, a Custom session without times, or a malformed time.
 *
 * @example
 * sessionWindow('London') // [420, 960]
 * sessionWindow('Custom', '8:30', '11:00') // [510, 660]
 */
export function sessionWindow(session: string, startTime = '', endTime = ''): [number, number] {
  if (session === 'Custom' || session.toLowerCase() === 'custom') {
    if (startTime === '' || endTime === '') throw new RangeError('sessions: Custom session requires a start and end time')
    return [parseHHMM(startTime, 'start time'), parseHHMM(endTime, 'end time')]
  }
  const table = SESSION_HOURS as Record<string, { start: string; end: string }>
  let hours = table[session]
  if (!hours) {
    const key = Object.keys(table).find((k) => k.toLowerCase() === session.toLowerCase())
    if (key) hours = table[key]
  }
  if (!hours) {
    throw new RangeError(`sessions: unknown session "${session}" (known: ${[...Object.keys(table), 'Custom'].join(', ')})`)
  }
  return [parseHHMM(hours.start, 'start time'), parseHHMM(hours.end, 'end time')]
}

const OFFSET_RE = /^(?:UTC|GMT)(?:([+-])(\d{1,2})(?::?([0-5]\d))?)?$/

/** UTC instants of the candle times read as wall-clock times in `timeZone`. */
function toUtc(time: Float64Array, timeZone: string, parity: boolean): Float64Array {
  if (timeZone === 'UTC') return time
  if (parity) {
    const zone = timeZone.replaceAll('GMT', 'Etc/GMT').replaceAll('UTC', 'Etc/GMT')
    try {
      return localToUtc(time, zone)
    } catch (e) {
      if (e instanceof RangeError && !(e instanceof LocalTimeError)) {
        throw new RangeError(`sessions: unknown time zone "${timeZone}" (read as "${zone}", as the reference does)`)
      }
      throw e
    }
  }
  const m = OFFSET_RE.exec(timeZone)
  if (m) {
    const off = m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000
    const out = new Float64Array(time.length)
    for (let i = 0; i < time.length; i++) out[i] = time[i]! - off
    return out
  }
  try {
    return localToUtc(time, timeZone, { ambiguous: 'earliest', nonexistent: 'shift-forward' })
  } catch (e) {
    if (e instanceof RangeError && !(e instanceof LocalTimeError)) throw new RangeError(`sessions: unknown time zone "${timeZone}"`)
    throw e
  }
}

/**
 * Trading sessions and kill zones with their running high/low, with exact parity to
 * `smartmoneyconcepts` v0.0.27 `smc.sessions`.
 *
 * A candle is active when its UTC clock time, truncated to the minute, lies in
 * [start, end] (both inclusive; a window with start ≥ end wraps past midnight). For an active
 * candle High = max(high, previous row's High) and Low = min(low, previous row's Low), where an
 * inactive previous row counts as "no value": so the running values restart only after an
 * inactive candle (two back-to-back active candles from different days keep accumulating).
 * Inactive candles get Active 0, High 0, Low 0. High/Low are rounded to float32.
 *
 * Candle times are wall-clock times in `timeZone`; with a zone that has DST, a time inside a
 * fold or gap throws (pandas `tz_localize` raises too) unless `parity: false`.
 * O(n); Intl is consulted once per day of data at most, never per candle.
 *
 * @example
 * const london = sessions(candles, { session: 'London' })
 * const custom = sessions(candles, { session: 'Custom', startTime: '08:30', endTime: '11:00' })
 * const ny = sessions(candles, { session: 'New York', timeZone: 'Europe/Berlin', parity: false })
 */
export function sessions(candles: Pick<Candles, 'time' | 'high' | 'low'>, options: SessionsOptions): SessionsResult {
  const { session, startTime = '', endTime = '', timeZone = 'UTC', parity = true } = options
  const [start, end] = sessionWindow(session, startTime, endTime)
  const { high: H, low: L } = candles
  const n = H.length
  const utc = toUtc(candles.time, timeZone, parity)
  const active = new Int32Array(n)
  const high = new Float64Array(n)
  const low = new Float64Array(n)
  const wraps = !(start < end)

  // Work in ms of the UTC day: "HH:MM truncated is within [start, end]" is exactly
  // startMs <= t < endMs with endMs = (end + 1) minutes, and the day start only changes daily.
  const startMs = start * 60_000
  const endMs = (end + 1) * 60_000
  let dayStart = Infinity
  let dayEnd = -Infinity
  for (let i = 0; i < n; i++) {
    const u = utc[i]!
    if (!(u >= dayStart && u < dayEnd)) {
      dayStart = Math.floor(u / DAY_MS) * DAY_MS
      dayEnd = dayStart + DAY_MS
    }
    const t = u - dayStart
    if (wraps ? t >= startMs || t < endMs : t >= startMs && t < endMs) active[i] = 1
  }
  if (parity) {
    let prevHigh = 0
    let prevLow = 0
    for (let i = 0; i < n; i++) {
      if (active[i]) {
        // Python max(a, b) / min(a, b) keep `a` unless `b` is strictly better: same NaN behaviour.
        const h = H[i]!
        const l = L[i]!
        const ph = i > 0 ? prevHigh : 0
        const pl = i > 0 && prevLow !== 0 ? prevLow : Infinity
        prevHigh = high[i] = Math.fround(ph > h ? ph : h)
        prevLow = low[i] = Math.fround(pl < l ? pl : l)
      } else {
        prevHigh = prevLow = 0
      }
    }
    return { active, high, low }
  }

  high.fill(Number.NaN)
  low.fill(Number.NaN)
  let runHigh = -Infinity
  let runLow = Infinity
  let prevActive = false
  let prevOccurrence = Number.NaN
  for (let i = 0; i < n; i++) {
    if (active[i]) {
      // The day on which this session occurrence opened: restart when it changes.
      const occurrence = Math.floor((utc[i]! - start * 60_000) / DAY_MS)
      if (!prevActive || occurrence !== prevOccurrence) {
        runHigh = -Infinity
        runLow = Infinity
      }
      prevOccurrence = occurrence
      prevActive = true
      if (H[i]! > runHigh) runHigh = H[i]!
      if (L[i]! < runLow) runLow = L[i]!
      high[i] = runHigh
      low[i] = runLow
    } else prevActive = false
  }
  return { active, high, low }
}
