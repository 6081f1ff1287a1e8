import { describe, expect, it } from 'vitest'
import { createRandom } from './random'
import { isoTime } from './iso'

describe('isoTime', () => {
  it('writes what toISOString writes, across days, years and the edges of its fast path', () => {
    const r = createRandom('iso')
    const times = [0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, 951_782_400_000, 1_704_067_260_000, 253_402_300_799_999]
    // Sequential candles (the fast path's case), random instants, then back and forth between days.
    for (let k = 0; k < 3000; k++) times.push(1_700_000_000_000 + k * 60_000)
    for (let k = 0; k < 3000; k++) times.push(Math.floor(r.next() * 253_402_300_800_000))
    for (let k = 0; k < 200; k++) times.push(k % 2 === 0 ? 1_600_000_000_000 + k : 1_700_000_000_123 - k)
    for (const t of times) expect(isoTime(t), String(t)).toBe(new Date(t).toISOString())
  })

  it('leaves what it does not cover to toISOString: before 1970, after 9999, fractions of a millisecond', () => {
    for (const t of [-1, -86_400_001, 253_402_300_800_000, 8.64e15, 1_700_000_000_000.5]) expect(isoTime(t)).toBe(new Date(t).toISOString())
  })
})
