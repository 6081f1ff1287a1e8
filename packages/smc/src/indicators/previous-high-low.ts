import type { Candles } from '../types'

const DAY_MS = 86_400_000
const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
const TICK_MS: Record<string, number> = { s: 1000, S: 1000, min: 60_000, T: 60_000, h: 3_600_000, H: 3_600_000, D: DAY_MS, d: DAY_MS }

/**
 * A pandas offset alias as `resample` understands it, with an optional multiple: fixed
 * durations `s`, `min` (`T`), `h` (`H`), `D`; weekly `W` (= `W-SUN`) or `W-MON` … `W-SAT`;
 * month `M`/`ME` (end) and `MS` (start); quarter `Q`/`QE` (end, default `-DEC`) and `QS`
 * (start, default `-JAN`); year `Y`/`YE`/`A` (end, default `-DEC`) and `YS`/`AS` (start,
 * default `-JAN`). Examples: `15min`, `1h`, `4h`, `1D`, `W`, `W-FRI`, `M`, `QS`.
 *
 * Lower-case `m` is rejected: pandas reads `15m` as fifteen *months*, which is never what a
 * trader means.
 */
export type TimeFrame = string

/** How pandas bins a frame: fixed-size bins from the first day's midnight, or calendar anchors. */
export type ParsedTimeFrame =
  | { kind: 'tick'; ms: number }
  | {
      kind: 'anchored'
      n: number
      /** End-type offsets (W, ME, QE, YE) are closed and labelled on the right; start types on the left. */
      closedRight: boolean
      /** Anchor index ≥ / ≤ a day (days since epoch), and the day of an anchor index. */
      ceilIndex: (day: number) => number
      floorIndex: (day: number) => number
      dayOf: (index: number) => number
    }

function daysFromCivil(y: number, m0: number, d: number): number {
  return Math.floor(Date.UTC(y, m0, d) / DAY_MS)
}

function monthAnchors(step: number, anchorMonth0: number, atEnd: boolean): Omit<Extract<ParsedTimeFrame, { kind: 'anchored' }>, 'kind' | 'n' | 'closedRight'> {
  // Anchor k is month index (year*12 + month0) k*step + anchorMonth0; its first or last day.
  const monthOfDay = (day: number): number => {
    const dt = new Date(day * DAY_MS)
    return dt.getUTCFullYear() * 12 + dt.getUTCMonth()
  }
  const dayOf = (k: number): number => {
    const m = k * step + anchorMonth0
    const y = Math.floor(m / 12)
    const mo = m - y * 12
    return atEnd ? daysFromCivil(y, mo + 1, 1) - 1 : daysFromCivil(y, mo, 1)
  }
  return {
    dayOf,
    ceilIndex: (day) => {
      let k = Math.ceil((monthOfDay(day) - anchorMonth0) / step)
      if (dayOf(k) < day) k++ // only possible for start anchors
      return k
    },
    floorIndex: (day) => {
      let k = Math.floor((monthOfDay(day) - anchorMonth0) / step)
      if (dayOf(k) > day) k-- // only possible for end anchors
      return k
    },
  }
}

/**
 * Parse a pandas-style time frame (see {@link TimeFrame}). Throws RangeError on anything else.
 *
 * @example
 * parseTimeFrame('4h') // { kind: 'tick', ms: 14_400_000 }
 */
export function parseTimeFrame(timeFrame: TimeFrame): ParsedTimeFrame {
  const m = /^(\d*)([A-Za-z]+)(?:-([A-Za-z]{3}))?$/.exec(timeFrame.trim())
  const bad = (why: string) =>
    new RangeError(`unsupported time frame "${timeFrame}": ${why} (e.g. 15min, 1h, 4h, 1D, W, W-MON, M, MS, Q, QS, Y, YS)`)
  if (!m) throw bad('expected <multiple><unit>')
  const n = m[1] === '' ? 1 : Number(m[1])
  if (!Number.isSafeInteger(n) || n < 1) throw bad('the multiple must be a positive integer')
  const unit = m[2]!
  const suffix = m[3]?.toUpperCase()
  if (unit in TICK_MS) {
    if (suffix !== undefined) throw bad(`"${unit}" takes no anchor`)
    return { kind: 'tick', ms: n * TICK_MS[unit]! }
  }
  if (unit === 'm') throw bad('"m" means months in pandas; write "min" for minutes or "M" for months')
  const U = unit.toUpperCase()
  if (U === 'W') {
    const wd = suffix === undefined ? 6 : WEEKDAYS.indexOf(suffix as (typeof WEEKDAYS)[number])
    if (wd < 0) throw bad(`unknown weekday "${suffix}"`)
    // 1970-01-01 (day 0) was a Thursday (weekday 3, Monday = 0).
    const off = (((wd - 3) % 7) + 7) % 7
    return {
      kind: 'anchored',
      n,
      closedRight: true,
      dayOf: (k) => k * 7 + off,
      ceilIndex: (day) => Math.ceil((day - off) / 7),
      floorIndex: (day) => Math.floor((day - off) / 7),
    }
  }
  const family: Record<string, { step: number; atEnd: boolean; defaultMonth: number; anchorable: boolean }> = {
    M: { step: 1, atEnd: true, defaultMonth: 0, anchorable: false },
    ME: { step: 1, atEnd: true, defaultMonth: 0, anchorable: false },
    MS: { step: 1, atEnd: false, defaultMonth: 0, anchorable: false },
    Q: { step: 3, atEnd: true, defaultMonth: 11, anchorable: true },
    QE: { step: 3, atEnd: true, defaultMonth: 11, anchorable: true },
    QS: { step: 3, atEnd: false, defaultMonth: 0, anchorable: true },
    Y: { step: 12, atEnd: true, defaultMonth: 11, anchorable: true },
    YE: { step: 12, atEnd: true, defaultMonth: 11, anchorable: true },
    A: { step: 12, atEnd: true, defaultMonth: 11, anchorable: true },
    YS: { step: 12, atEnd: false, defaultMonth: 0, anchorable: true },
    AS: { step: 12, atEnd: false, defaultMonth: 0, anchorable: true },
  }
  // pandas is case-sensitive for the calendar aliases ("ms" is milliseconds, "MS" month start).
  const f = family[unit]
  if (!f) throw bad(`unknown unit "${unit}"`)
  let month0 = f.defaultMonth
  if (suffix !== undefined) {
    if (!f.anchorable) throw bad(`"${unit}" takes no anchor`)
    month0 = MONTHS.indexOf(suffix as (typeof MONTHS)[number])
    if (month0 < 0) throw bad(`unknown month "${suffix}"`)
  }
  return { kind: 'anchored', n, closedRight: f.atEnd, ...monthAnchors(f.step, month0 % f.step, f.atEnd) }
}

export interface PreviousHighLowOptions {
  /** pandas-style frame, default `'1D'`; see {@link TimeFrame}. */
  timeFrame?: TimeFrame
  /**
   * true (default): exact reference behaviour. A candle sees the bin *two* labels before its
   * time: e.g. on `1D` the 00:00 candle still sees the day before yesterday, and on `W` a
   * Monday…Saturday candle sees the week two weeks back. Levels are rounded to float32.
   * false: every candle sees the last non-empty bin before its own bin (the truly previous
   * day / week), levels stay float64.
   */
  parity?: boolean
}

/** Columns of {@link previousHighLow}, one entry per candle. */
export interface PreviousHighLowResult {
  /** High of the previous bin (float32 value in parity mode), NaN while unknown. Column `PreviousHigh`. */
  previousHigh: Float64Array
  /** Low of the previous bin, NaN while unknown. Column `PreviousLow`. */
  previousLow: Float64Array
  /** 1 once price has gone above `previousHigh` within the current bin, else 0. Column `BrokenHigh`. */
  brokenHigh: Int32Array
  /** 1 once price has gone below `previousLow` within the current bin, else 0. Column `BrokenLow`. */
  brokenLow: Int32Array
}

/**
 * Previous period high/low and whether price has broken it, with exact parity to
 * `smartmoneyconcepts` v0.0.27 `smc.previous_high_low` (pandas `resample` binning, empty bins
 * dropped). `time` is read as naive clock time (epoch ms, no time zone). Times must ascend.
 *
 * O(n): one pass to bin, one to emit, calendar arithmetic once per bin (the reference is
 * O(n × bins)).
 *
 * @example
 * const d = previousHighLow(candles, { timeFrame: '1D' })
 * const w = previousHighLow(candles, { timeFrame: 'W' })
 * const h4 = previousHighLow(candles, { timeFrame: '4h', parity: false })
 */
export function previousHighLow(
  candles: Pick<Candles, 'time' | 'open' | 'high' | 'low' | 'close'>,
  options: PreviousHighLowOptions = {},
): PreviousHighLowResult {
  const { timeFrame = '1D', parity = true } = options
  const tf = parseTimeFrame(timeFrame)
  const { time: T, open: O, high: H, low: L, close: C } = candles
  const n = T.length
  const previousHigh = new Float64Array(n)
  const previousLow = new Float64Array(n)
  const brokenHigh = new Int32Array(n)
  const brokenLow = new Int32Array(n)
  if (n === 0) return { previousHigh, previousLow, brokenHigh, brokenLow }

  // Pass 1: split the (ascending) candles into bins; a bin is a run of rows with one label.
  // Bins are few (one per day/week/…), so plain arrays.
  const binStart: number[] = []
  const binLabel: number[] = []
  const binHigh: number[] = []
  const binLow: number[] = []
  // pandas drops a bin if any aggregated column is all-NaN (`.dropna()` after first/max/min/last).
  const binValid: boolean[] = []
  let hasO = false
  let hasC = false
  let hi = -Infinity
  let lo = Infinity
  const day0 = Math.floor(T[0]! / DAY_MS)
  const origin = day0 * DAY_MS
  // Current bin's time span [curFrom, curTo): rows inside it need no label arithmetic at all.
  let curFrom = Infinity
  let curTo = -Infinity
  let prevT = -Infinity
  // Anchored (calendar) frames: first edge per pandas `_get_timestamp_range_edges`.
  let firstK = 0
  if (tf.kind === 'anchored') firstK = tf.closedRight ? tf.ceilIndex(day0) - tf.n : tf.floorIndex(day0)
  for (let i = 0; i < n; i++) {
    const t = T[i]!
    if (!(t > prevT)) throw new RangeError(`previousHighLow: time must ascend strictly (row ${i})`)
    prevT = t
    if (!(t >= curFrom && t < curTo)) {
      let label: number
      if (tf.kind === 'tick') {
        label = origin + Math.floor((t - origin) / tf.ms) * tf.ms
        curFrom = label
        curTo = label + tf.ms
      } else {
        const day = Math.floor(t / DAY_MS)
        const k = tf.closedRight ? tf.ceilIndex(day) : tf.floorIndex(day)
        const j = tf.closedRight ? Math.ceil((k - firstK) / tf.n) : Math.floor((k - firstK) / tf.n)
        const edge = firstK + j * tf.n
        label = tf.dayOf(edge) * DAY_MS
        // Right-closed bins hold whole days (prev edge, edge]; left-closed ones [edge, next edge).
        if (tf.closedRight) {
          curFrom = (tf.dayOf(edge - tf.n) + 1) * DAY_MS
          curTo = label + DAY_MS
        } else {
          curFrom = label
          curTo = tf.dayOf(edge + tf.n) * DAY_MS
        }
      }
      // Inline rather than a closure: captured loop variables would live in a heap context.
      if (binStart.length > 0) {
        binHigh.push(hi)
        binLow.push(lo)
        binValid.push(hasO && hasC && hi !== -Infinity && lo !== Infinity)
      }
      binStart.push(i)
      binLabel.push(label)
      hasO = hasC = false
      hi = -Infinity
      lo = Infinity
    }
    // NaN fails every comparison, so NaN cells are skipped like pandas' max/min/first/last do.
    if (O[i] === O[i]) hasO = true
    if (C[i] === C[i]) hasC = true
    if (H[i]! > hi) hi = H[i]!
    if (L[i]! < lo) lo = L[i]!
  }
  binHigh.push(hi)
  binLow.push(lo)
  binValid.push(hasO && hasC && hi !== -Infinity && lo !== Infinity)
  const bins = binStart.length
  binStart.push(n)

  // Pass 2, bin by bin. k = number of non-empty labels strictly before t (pandas `index < t`).
  // Labels of later bins are always after t, so only the candle's own bin can join the earlier
  // valid ones; the previous level is then valid bin k-2.
  // Within a bin k takes at most two values (before / after the label), so rows are handled as
  // runs of constant k: constant levels (fill) and flags that switch on once (scan then fill).
  const valid: number[] = []
  let lastK = -1
  let bh = false
  let bl = false
  // Plain loops, not TypedArray#fill: runs are short (a few dozen rows) and fill's call
  // overhead dominated.
  const run = (from: number, to: number, k: number) => {
    if (from >= to) return
    if (k < 2) {
      for (let i = from; i < to; i++) previousHigh[i] = previousLow[i] = Number.NaN
      return
    }
    const src = valid[k - 2]!
    const ph = parity ? Math.fround(binHigh[src]!) : binHigh[src]!
    const pl = parity ? Math.fround(binLow[src]!) : binLow[src]!
    for (let i = from; i < to; i++) {
      previousHigh[i] = ph
      previousLow[i] = pl
    }
    if (k !== lastK) {
      lastK = k
      bh = bl = false
    }
    let i = from
    if (!bh) while (i < to && !(H[i]! > ph)) i++
    if (i < to) bh = true
    for (; i < to; i++) brokenHigh[i] = 1
    i = from
    if (!bl) while (i < to && !(L[i]! < pl)) i++
    if (i < to) bl = true
    for (; i < to; i++) brokenLow[i] = 1
  }
  for (let b = 0; b < bins; b++) {
    const before = valid.length
    const from = binStart[b]!
    const to = binStart[b + 1]!
    if (!parity) run(from, to, before + 1) // bin k-2 = the last valid bin before b
    else if (!binValid[b]) run(from, to, before)
    else {
      const label = binLabel[b]!
      let split = from
      while (split < to && !(label < T[split]!)) split++
      run(from, split, before)
      run(split, to, before + 1)
    }
    if (binValid[b]) valid.push(b)
  }
  return { previousHigh, previousLow, brokenHigh, brokenLow }
}
