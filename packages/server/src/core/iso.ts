/**
 * An optional clock time (epoch ms) as the contract's date-time string, null kept.
 *
 * @example
 * isoOrNull(0)    // '1970-01-01T00:00:00.000Z'
 * isoOrNull(null) // null
 */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

const DAY_MS = 86_400_000
/** Years 0000–9999: toISOString's plain form (others are written ±YYYYYY, left to it). */
const LAST_PLAIN_MS = 253_402_300_800_000
let dayStart = Number.NaN
let dayPrefix = ''
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`)

/**
 * `new Date(ms).toISOString()`, the same text, at a fraction of its cost for times of the same UTC
 * day as the last call (the date part is kept): a backtest names the candle of each of its tens of
 * thousands of signals, and `toISOString` there slowed sma_crossover's core loop by about a quarter
 * (bundled A/B, 9 runs each: medians 508 k/s with it, 700 k/s without the field, 813 k/s with this).
 *
 * @example
 * isoTime(1_704_067_260_000) // '2024-01-01T00:01:00.000Z'
 */
export function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < LAST_PLAIN_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString()
  const day = ms - (ms % DAY_MS)
  if (day !== dayStart) {
    dayStart = day
    dayPrefix = new Date(day).toISOString().slice(0, 11)
  }
  const r = ms - day
  const h = Math.floor(r / 3_600_000)
  const m = Math.floor(r / 60_000) % 60
  const s = Math.floor(r / 1000) % 60
  return `${dayPrefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(r % 1000)}Z`
}
