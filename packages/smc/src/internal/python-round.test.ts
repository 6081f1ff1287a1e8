import { describe, expect, it } from 'vitest'
import { round1 } from './python-round'

// Reference: exact decimal expansion via toFixed (ties away from zero), then ties-to-even fix-up.
function reference(x: number): number {
  let r = Number(x.toFixed(1))
  if (Number.isInteger(x * 4) && !Number.isInteger(x * 2)) {
    const lo = Math.floor(x * 10)
    const even = lo % 2 === 0 ? lo : lo + 1
    r = even / 10
  }
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r
}

describe('round1 (Python round(x, 1))', () => {
  it('rounds exact ties to the even tenth', () => {
    expect(round1(0.25)).toBe(0.2)
    expect(round1(0.75)).toBe(0.8)
    expect(round1(-0.25)).toBe(-0.2)
    expect(round1(-0.75)).toBe(-0.8)
    expect(round1(112.25)).toBe(112.2)
  })

  it('rounds the exact binary value, not the printed one', () => {
    expect(round1(0.35)).toBe(0.3) // 0.34999999999999997779…
    expect(round1(0.45)).toBe(0.5) // 0.45000000000000001110…
    expect(round1(2.675)).toBe(2.7)
  })

  it('returns -0 like Python for small negatives', () => {
    expect(Object.is(round1(-0.04), -0)).toBe(true)
    expect(Object.is(round1(0.04), 0)).toBe(true)
  })

  it('passes NaN and infinities through', () => {
    expect(round1(Number.NaN)).toBeNaN()
    expect(round1(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY)
  })

  it('agrees with the toFixed reference on 200k values like retracement percentages', () => {
    let seed = 7
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let k = 0; k < 200_000; k++) {
      // Mix of "computed" values (100 - a/b*100) and values sitting right on .x5 boundaries.
      const x = k % 2 === 0 ? 100 - ((rnd() - 0.3) / (rnd() + 1e-3)) * 100 : (Math.floor(rnd() * 20000) - 10000) / 100 + 0.05
      const got = round1(x)
      const want = reference(x)
      if (!Object.is(got, want)) expect.fail(`round1(${x}) = ${got}, want ${want}`)
    }
  })
})
