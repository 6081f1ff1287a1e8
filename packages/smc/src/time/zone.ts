// Naive local clock time -> UTC for an IANA zone, with Intl only (zero dependencies).
// Intl is far too slow to call per candle (~3 µs each), so the zone's UTC offset is sampled once
// per day over the needed range, each change is bisected to the exact second, and candles are
// then mapped through that short list of constant-offset segments.

const DAY_MS = 86_400_000
const FORMAT_RE = /(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)/

/** Offset segments of a zone: from `starts[j]` (UTC ms, `starts[0]` = -Infinity) the offset is `offsets[j]` ms. */
export interface ZoneSegments {
  starts: number[]
  offsets: number[]
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(zone, f)
  }
  return f
}

/**
 * Throws RangeError unless Intl knows the zone.
 *
 * @example
 * assertTimeZone('Europe/London') // ok
 * assertTimeZone('Mars/Base') // throws RangeError
 */
export function assertTimeZone(zone: string): void {
  formatter(zone)
}

function offsetAt(f: Intl.DateTimeFormat, utcMs: number): number {
  const s = Math.floor(utcMs / 1000) * 1000
  const m = FORMAT_RE.exec(f.format(s))
  if (!m) throw new Error(`unexpected Intl output for ${f.resolvedOptions().timeZone}`)
  const wall = Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!)
  return wall - s
}

const FIXED_RE = /^(?:UTC|GMT|Etc\/(?:UTC|GMT|UCT|Universal|Zulu)|Etc\/GMT([+-])(\d{1,2}))$/

const segmentCache = new Map<string, { from: number; to: number; seg: ZoneSegments }>()

/**
 * Constant-offset segments of `zone` covering UTC instants `fromUtc … toUtc`.
 * Assumes at most one offset change per day (true of every zone in the tz database).
 *
 * @example
 * zoneSegments('Europe/London', Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 31))
 * // { starts: [-Infinity, <2024-03-31T01:00Z>, <2024-10-27T01:00Z>], offsets: [0, 3600000, 0] }
 */
export function zoneSegments(zone: string, fromUtc: number, toUtc: number): ZoneSegments {
  const fixed = FIXED_RE.exec(zone)
  if (fixed) {
    assertTimeZone(zone) // e.g. Etc/GMT+13 does not exist
    // POSIX-style Etc/GMT+N is N hours *behind* UTC.
    const off = fixed[1] === undefined ? 0 : (fixed[1] === '+' ? -1 : 1) * Number(fixed[2]) * 3_600_000
    return { starts: [-Infinity], offsets: [off] }
  }
  const cached = segmentCache.get(zone)
  if (cached && cached.from <= fromUtc && cached.to >= toUtc) return cached.seg
  const f = formatter(zone)
  const from = Math.floor(fromUtc / DAY_MS) * DAY_MS
  const to = Math.ceil(toUtc / DAY_MS) * DAY_MS
  const starts = [-Infinity]
  const offsets = [offsetAt(f, from)]
  let prevT = from
  let prevOff = offsets[0]!
  for (let t = from + DAY_MS; t <= to; t += DAY_MS) {
    const off = offsetAt(f, t)
    if (off !== prevOff) {
      let lo = prevT // offset prevOff
      let hi = t // offset off
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000
        if (offsetAt(f, mid) === prevOff) lo = mid
        else hi = mid
      }
      starts.push(hi)
      offsets.push(off)
      prevOff = off
    }
    prevT = t
  }
  const seg = { starts, offsets }
  if (segmentCache.size > 32) segmentCache.clear()
  segmentCache.set(zone, { from, to, seg })
  return seg
}

export type AmbiguousPolicy = 'raise' | 'earliest'
export type NonexistentPolicy = 'raise' | 'shift-forward'

/** A local time that falls in a DST fold or gap when the policy is 'raise'. */
export class LocalTimeError extends RangeError {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message)
    this.name = 'LocalTimeError'
  }
}

/**
 * Read `local` (epoch ms of naive wall-clock times) as times in `zone` and return the UTC instants,
 * like pandas `tz_localize(zone).tz_convert('UTC')`. A time repeated by a DST fold or skipped by
 * a DST gap raises by default, as pandas does; otherwise the earlier instant / the transition
 * instant is used.
 *
 * @example
 * localToUtc(Float64Array.of(Date.UTC(2024, 6, 1, 12)), 'Europe/London') // [Date.UTC(2024, 6, 1, 11)]
 */
export function localToUtc(
  local: ArrayLike<number>,
  zone: string,
  policy: { ambiguous?: AmbiguousPolicy; nonexistent?: NonexistentPolicy } = {},
): Float64Array {
  const { ambiguous = 'raise', nonexistent = 'raise' } = policy
  const n = local.length
  const out = new Float64Array(n)
  if (n === 0) return out
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const v = local[i]!
    if (v < min) min = v
    if (v > max) max = v
  }
  const { starts, offsets } = zoneSegments(zone, min - 2 * DAY_MS, max + 2 * DAY_MS)
  const S = starts.length
  if (S === 1) {
    const off = offsets[0]!
    for (let i = 0; i < n; i++) out[i] = local[i]! - off
    return out
  }
  // Segment j covers local times [starts[j] + off[j], starts[j+1] + off[j]).
  const localStart = (j: number) => starts[j]! + offsets[j]!
  const localEnd = (j: number) => (j + 1 < S ? starts[j + 1]! + offsets[j]! : Infinity)
  const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
  let p = 0
  for (let i = 0; i < n; i++) {
    const L = local[i]!
    // p = last segment whose local range starts at or before L (sticky: data is usually sorted).
    if (!(localStart(p) <= L && (p + 1 >= S || localStart(p + 1) > L))) {
      let lo = 0
      let hi = S - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (localStart(mid) <= L) lo = mid
        else hi = mid - 1
      }
      p = lo
    }
    const inP = L < localEnd(p)
    const inPrev = p > 0 && L < localEnd(p - 1)
    if (inP && inPrev) {
      if (ambiguous === 'raise') {
        throw new LocalTimeError(`local time ${fmt(L)} (row ${i}) is ambiguous in ${zone}: the clocks went back over it`, i)
      }
      out[i] = Math.min(L - offsets[p - 1]!, L - offsets[p]!)
    } else if (inP) out[i] = L - offsets[p]!
    else if (inPrev) out[i] = L - offsets[p - 1]!
    else {
      if (nonexistent === 'raise') {
        throw new LocalTimeError(`local time ${fmt(L)} (row ${i}) does not exist in ${zone}: the clocks skipped it`, i)
      }
      out[i] = starts[p + 1]!
    }
  }
  return out
}
