import { DomainError } from '../core'

/** Candle intervals of the contract. All divide a UTC day, so buckets align to UTC boundaries. */
export const INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const
export type Interval = (typeof INTERVALS)[number]

export const MINUTE_MS = 60_000
export const DAY_MINUTES = 1440

/** Length of each interval in minutes. */
export const INTERVAL_MINUTES: Readonly<Record<Interval, number>> = Object.freeze({
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '1h': 60,
  '4h': 240,
  '1d': DAY_MINUTES,
})

/**
 * The name of an interval of whole minutes, in the largest unit that divides it (`60` → `1h`,
 * `120` → `2h`, `3` → `3m`), the contract's names included.
 *
 * @example
 * intervalName(240) // '4h'
 * intervalName(3)   // '3m'
 */
export function intervalName(minutes: number): string {
  if (minutes % DAY_MINUTES === 0) return `${minutes / DAY_MINUTES}d`
  if (minutes % 60 === 0) return `${minutes / 60}h`
  return `${minutes}m`
}

/**
 * The contract's intervals that can be built from candles `stepMinutes` long: those that are whole
 * multiples of it (a 3m file serves 15m, 1h, 4h and 1d, not 5m).
 *
 * @example
 * intervalsFrom(3)   // ['15m', '1h', '4h', '1d']
 * intervalsFrom(120) // ['4h', '1d']
 */
export function intervalsFrom(stepMinutes: number): Interval[] {
  return INTERVALS.filter((i) => INTERVAL_MINUTES[i] % stepMinutes === 0)
}

/**
 * Narrow an untrusted string to an {@link Interval}.
 *
 * @example
 * isInterval('4h') // true
 * isInterval('2h') // false
 */
export function isInterval(value: unknown): value is Interval {
  return typeof value === 'string' && (INTERVALS as readonly string[]).includes(value)
}

/**
 * Minutes of an interval, throwing `VALIDATION_FAILED` for anything outside the contract's enum
 * (TypeScript callers cannot pass one, but values from the wire can).
 *
 * @example
 * intervalMinutes('1h') // 60
 */
export function intervalMinutes(interval: Interval): number {
  if (!isInterval(interval)) {
    throw new DomainError('VALIDATION_FAILED', `Unsupported interval "${String(interval)}"`, {
      field: 'interval',
      allowed: INTERVALS,
    })
  }
  return INTERVAL_MINUTES[interval]
}
