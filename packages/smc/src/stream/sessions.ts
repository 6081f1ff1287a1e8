import { sessionWindow } from '../indicators/sessions'
import type { SessionsOptions, SessionsResult } from '../indicators/sessions'
import { LocalTimeError, localToUtc } from '../time/zone'
import type { ColumnAlloc, Series } from './columns'

const DAY_MS = 86_400_000
const OFFSET_RE = /^(?:UTC|GMT)(?:([+-])(\d{1,2})(?::?([0-5]\d))?)?$/

/**
 * Streaming `sessions`: running session high/low only look back, so each row is final when
 * pushed. Candle times are converted to UTC exactly as the batch does (zone rules included);
 * `utcOf` runs before the candle is stored, so a time the zone rejects leaves the stream unchanged.
 */
export class SessionsStream {
  private readonly start: number
  private readonly end: number
  private readonly wraps: boolean
  private readonly parity: boolean
  private readonly zone: string | undefined
  private readonly policy: { ambiguous?: 'earliest'; nonexistent?: 'shift-forward' }
  private readonly fixedOffset: number | undefined
  private readonly one = new Float64Array(1)
  /** The batch's columns, on every row pushed so far. */
  readonly out: SessionsResult
  private prevHigh = 0
  private prevLow = 0
  private runHigh = -Infinity
  private runLow = Infinity
  private prevActive = false
  private prevOccurrence = Number.NaN
  private pendingUtc = 0

  constructor(
    options: SessionsOptions,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    const { session, startTime = '', endTime = '', timeZone = 'UTC', parity = true } = options
    ;[this.start, this.end] = sessionWindow(session, startTime, endTime)
    this.wraps = !(this.start < this.end)
    this.parity = parity
    this.policy = parity ? {} : { ambiguous: 'earliest', nonexistent: 'shift-forward' }
    if (timeZone === 'UTC') this.zone = undefined
    else if (parity) this.zone = timeZone.replaceAll('GMT', 'Etc/GMT').replaceAll('UTC', 'Etc/GMT')
    else {
      const m = OFFSET_RE.exec(timeZone)
      if (m) this.fixedOffset = m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000
      else this.zone = timeZone
    }
    if (this.zone !== undefined) {
      // Fail at creation for an unknown zone, as the batch fails on its first call.
      try {
        localToUtc([Date.UTC(2000, 0, 1)], this.zone, this.policy)
      } catch (e) {
        if (e instanceof RangeError && !(e instanceof LocalTimeError)) {
          throw new RangeError(`sessions: unknown time zone "${timeZone}"${parity ? ` (read as "${this.zone}", as the reference does)` : ''}`)
        }
        throw e
      }
    }
    this.out = { active: alloc.i32(cap), ...alloc.columns(['high', 'low'], cap, parity ? 0 : Number.NaN) }
  }

  grow(cap: number): void {
    this.alloc.growColumns(this.out, cap, this.parity ? 0 : Number.NaN)
  }

  /** Convert (and validate) the next candle's time; throws LocalTimeError like the batch. */
  prepare(time: number, row: number): void {
    if (this.fixedOffset !== undefined) this.pendingUtc = time - this.fixedOffset
    else if (this.zone === undefined) this.pendingUtc = time
    else {
      this.one[0] = time
      try {
        this.pendingUtc = localToUtc(this.one, this.zone, this.policy)[0]!
      } catch (e) {
        if (e instanceof LocalTimeError) throw new LocalTimeError(e.message.replace('(row 0)', `(row ${row})`), row)
        throw e
      }
    }
  }

  push(s: Series): void {
    const i = s.n - 1
    const u = this.pendingUtc
    const m = Math.floor((u - Math.floor(u / DAY_MS) * DAY_MS) / 60_000)
    const isActive = this.wraps ? m >= this.start || m <= this.end : m >= this.start && m <= this.end
    const h = s.high[i]!
    const l = s.low[i]!
    if (this.parity) {
      if (isActive) {
        this.out.active[i] = 1
        const ph = i > 0 ? this.prevHigh : 0
        const pl = i > 0 && this.prevLow !== 0 ? this.prevLow : Infinity
        this.prevHigh = this.out.high[i] = Math.fround(ph > h ? ph : h)
        this.prevLow = this.out.low[i] = Math.fround(pl < l ? pl : l)
      } else {
        this.prevHigh = this.prevLow = 0
      }
      return
    }
    if (isActive) {
      const occurrence = Math.floor((u - this.start * 60_000) / DAY_MS)
      if (!this.prevActive || occurrence !== this.prevOccurrence) {
        this.runHigh = -Infinity
        this.runLow = Infinity
      }
      this.prevOccurrence = occurrence
      this.prevActive = true
      this.out.active[i] = 1
      if (h > this.runHigh) this.runHigh = h
      if (l < this.runLow) this.runLow = l
      this.out.high[i] = this.runHigh
      this.out.low[i] = this.runLow
    } else this.prevActive = false
  }
}
