import { describe, expect, it } from 'vitest'
import { localToUtc, zoneSegments } from './zone'

describe('zone', () => {
  it('finds DST transitions to the second', () => {
    const s = zoneSegments('Europe/London', Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 31))
    expect(s.starts.slice(1)).toEqual([Date.UTC(2024, 2, 31, 1), Date.UTC(2024, 9, 27, 1)])
    expect(s.offsets).toEqual([0, 3_600_000, 0])
  })

  it('converts local to UTC like tz_localize + tz_convert', () => {
    const local = Float64Array.of(Date.UTC(2024, 0, 1, 12), Date.UTC(2024, 6, 1, 12), Date.UTC(2024, 6, 1, 12, 30))
    expect(Array.from(localToUtc(local, 'America/New_York'))).toEqual([
      Date.UTC(2024, 0, 1, 17),
      Date.UTC(2024, 6, 1, 16),
      Date.UTC(2024, 6, 1, 16, 30),
    ])
    expect(Array.from(localToUtc(local, 'Asia/Kolkata'))).toEqual([
      Date.UTC(2024, 0, 1, 6, 30),
      Date.UTC(2024, 6, 1, 6, 30),
      Date.UTC(2024, 6, 1, 7),
    ])
    expect(Array.from(localToUtc(local.slice(0, 1), 'Etc/GMT+2'))).toEqual([Date.UTC(2024, 0, 1, 14)])
  })

  it('works on unsorted input', () => {
    const local = Float64Array.of(Date.UTC(2024, 6, 1), Date.UTC(2024, 0, 1), Date.UTC(2024, 6, 2))
    expect(Array.from(localToUtc(local, 'Europe/London'))).toEqual([
      Date.UTC(2024, 5, 30, 23),
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 6, 1, 23),
    ])
  })
})
