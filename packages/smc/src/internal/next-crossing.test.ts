import { describe, expect, it } from 'vitest'
import { NextCrossing } from './next-crossing'

function naive(v: ArrayLike<number>, dir: 'up' | 'down', strict: boolean, from: number, x: number): number {
  for (let j = Math.max(0, from); j < v.length; j++) {
    const y = v[j]!
    if (dir === 'up' ? (strict ? y > x : y >= x) : strict ? y < x : y <= x) return j
  }
  return -1
}

describe('NextCrossing', () => {
  it('matches a linear scan on random data (both directions, strict and inclusive, past the probe window)', () => {
    let seed = 12345
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (const n of [0, 1, 2, 31, 32, 33, 100, 1000, 1023, 1024, 1025, 3000, 5000]) {
      const v = new Float64Array(n)
      for (let i = 0; i < n; i++) v[i] = Math.round(rnd() * 50) / 10 + (i % 7 === 0 ? 0.05 : 0)
      if (n > 10) v[5] = Number.NaN
      for (const dir of ['up', 'down'] as const) {
        const nc = new NextCrossing(v, dir)
        for (let q = 0; q < 600; q++) {
          const from = Math.floor(rnd() * (n + 2)) - 1
          // Thresholds near the extremes make most queries run past the probe window.
          const x = dir === 'up' ? 4.5 + rnd() * 0.7 : rnd() * 0.7 - 0.1
          for (const strict of [true, false]) {
            const got = strict ? nc.strict(from, x) : nc.inclusive(from, x)
            expect(got).toBe(naive(v, dir, strict, from, x))
          }
        }
      }
    }
  })

  it('never matches NaN, even against infinite thresholds', () => {
    const v = Float64Array.from([...new Array(2100).fill(Number.NaN), 3])
    expect(new NextCrossing(v, 'up').inclusive(0, Number.NEGATIVE_INFINITY)).toBe(2100)
    expect(new NextCrossing(v, 'down').inclusive(0, Number.POSITIVE_INFINITY)).toBe(2100)
    expect(new NextCrossing(v, 'up').strict(5, 2)).toBe(2100)
    expect(new NextCrossing(v, 'down').strict(5, 4)).toBe(2100)
    expect(new NextCrossing(v, 'up').strict(0, Number.NaN)).toBe(-1)
  })
})
