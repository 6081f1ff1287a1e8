import { describe, expect, it } from 'vitest'
import { DAY_MINUTES } from './intervals'
import { createSeasonality } from './seasonality'

const MONDAY = Date.UTC(2024, 0, 1) / 60_000

describe('createSeasonality', () => {
  const s = createSeasonality()
  const week = Array.from({ length: 7 * DAY_MINUTES }, (_, i) => MONDAY + i)

  it('keeps volatility calibrated (mean square 1) and volume at mean 1 over a week', () => {
    expect(week.reduce((a, m) => a + s.volatility(m) ** 2, 0) / week.length).toBeCloseTo(1, 10)
    expect(week.reduce((a, m) => a + s.volume(m), 0) / week.length).toBeCloseTo(1, 10)
  })

  it('is busier at the Europe/US overlap than in the Asian night, and quieter at weekends', () => {
    const at = (day: number, hour: number, minute = 30) => MONDAY + day * DAY_MINUTES + hour * 60 + minute
    expect(s.volatility(at(0, 15))).toBeGreaterThan(s.volatility(at(0, 3)) * 1.5)
    expect(s.volume(at(5, 15))).toBeLessThan(s.volume(at(4, 15)))
    expect(s.volume(at(6, 15))).toBeLessThan(s.volume(at(0, 15)))
    // A burst right after the hour.
    expect(s.volume(at(1, 10, 0))).toBeGreaterThan(s.volume(at(1, 10, 30)))
  })
})
