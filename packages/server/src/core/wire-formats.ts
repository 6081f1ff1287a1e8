// Parsers for values that arrive as text (query and path parameters). Strict on numbers, because
// `Number()` reads "" and " " as 0 and "0x10" as 16; lenient on dates, because people (and Python's
// `datetime.isoformat()`) write ISO 8601 without an offset, date-only, or with microseconds.

const INTEGER = /^-?\d{1,16}$/
const DECIMAL = /^-?\d{1,16}(?:\.\d{1,18})?$/

/**
 * A number written in plain decimal digits (a decimal point allowed unless `integer`), else undefined.
 *
 * @example
 * parseDecimal('42', true)   // 42
 * parseDecimal('1e3', false) // undefined
 */
export function parseDecimal(text: string, integer: boolean): number | undefined {
  if (!(integer ? INTEGER : DECIMAL).test(text)) return undefined
  const n = Number(text)
  return Number.isFinite(n) ? n : undefined
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/

/**
 * An ISO 8601 date-time as people write it, as the contract's canonical `…Z` string (millisecond
 * precision), else undefined. Accepted: `Z` or an offset (`+02:00`, `+0200`, `+02`), no offset (read as
 * UTC), date only (midnight UTC), 0–9 fractional digits, `T` or a space between date and time.
 *
 * @example
 * parseIsoDateTime('2026-11-06T22:56:19.858731') // '2026-11-06T22:56:19.858Z'
 * parseIsoDateTime('2026-11-06')                 // '2026-11-06T00:00:00.000Z'
 * parseIsoDateTime('2026-02-30')                 // undefined
 */
export function parseIsoDateTime(text: string): string | undefined {
  const m = ISO.exec(text)
  if (!m) return undefined
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  if (day > daysIn(year, month)) return undefined
  let offsetMinutes = 0
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2) || '0')
    if (oh > 23 || om > 59) return undefined
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  const ms = Number(frac.padEnd(3, '0').slice(0, 3))
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute - offsetMinutes, second, ms)
  return Number.isFinite(date.getTime()) ? date.toISOString() : undefined
}

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
