import { DAY_MINUTES } from './intervals'

/** Per-minute multipliers of volatility and volume by UTC time of day and day of week. */
export interface Seasonality {
  /** Volatility multiplier; its mean square over a week is 1, so annual volatility stays calibrated. */
  volatility(minute: number): number
  /** Volume multiplier; mean 1 over a week. */
  volume(minute: number): number
}

/** Hour (UTC) of peak activity: the Europe/US overlap. */
const PEAK_HOUR = 15
const DAILY_AMPLITUDE = 0.3
/** Activity at the top of each hour (candle closes, scheduled orders), as a short burst. */
const HOUR_OPEN_BOOST = 1.35
const HOUR_OPEN_MINUTES = 3
const WEEKEND_FACTOR = 0.7
/** 1970-01-01 was a Thursday: day-of-week (0 = Sunday) of epoch day 0. */
const EPOCH_WEEKDAY = 4

/**
 * Crypto trades around the clock but not evenly: quieter in the Asian night and at weekends,
 * busier at the European/US overlap and right after each hour. Tables are built per market, not
 * shared, so nothing lives at module level.
 *
 * @example
 * const s = createSeasonality()
 * s.volatility(Date.UTC(2024, 0, 2, 15) / 60_000) > s.volatility(Date.UTC(2024, 0, 2, 3) / 60_000) // true
 */
export function createSeasonality(): Seasonality {
  const daily = new Float64Array(DAY_MINUTES)
  for (let m = 0; m < DAY_MINUTES; m++) {
    const hour = m / 60
    const wave = 1 + DAILY_AMPLITUDE * Math.cos((2 * Math.PI * (hour - PEAK_HOUR)) / 24)
    daily[m] = wave * (m % 60 < HOUR_OPEN_MINUTES ? HOUR_OPEN_BOOST : 1)
  }
  const weekdays = 5
  const weekends = 2
  let sum = 0
  let sumSq = 0
  for (const x of daily) {
    sum += x
    sumSq += x * x
  }
  const meanDaily = sum / DAY_MINUTES
  const meanSqDaily = sumSq / DAY_MINUTES
  const meanWeek = (weekdays + weekends * WEEKEND_FACTOR) / 7
  const meanSqWeek = (weekdays + weekends * WEEKEND_FACTOR ** 2) / 7
  const volNorm = 1 / Math.sqrt(meanSqDaily * meanSqWeek)
  const volumeNorm = 1 / (meanDaily * meanWeek)

  const weekFactor = (minute: number): number => {
    const weekday = (((Math.floor(minute / DAY_MINUTES) + EPOCH_WEEKDAY) % 7) + 7) % 7
    return weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : 1
  }
  const ofDay = (minute: number): number => daily[((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES]!
  return {
    volatility: (minute) => ofDay(minute) * weekFactor(minute) * volNorm,
    volume: (minute) => ofDay(minute) * weekFactor(minute) * volumeNorm,
  }
}
