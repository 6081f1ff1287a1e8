/**
 * Python's `round(x, 1)` for floats: the EXACT binary value of `x` is rounded to one decimal,
 * exact ties going to the even tenth; the result is the double nearest to that decimal.
 * Returns -0 where Python returns -0.0 (e.g. `round1(-0.04)`).
 *
 * `Number(x.toFixed(1))` is exact too but rounds ties away from zero and allocates a string per
 * call; this version is allocation-free for hot loops.
 *
 * @example
 * round1(0.25) // 0.2 (exact tie → even), round1(0.35) // 0.3 (0.35 is really 0.34999…)
 */
export function round1(x: number): number {
  if (!Number.isFinite(x)) return x
  // Beyond 2^51 every double is a multiple of 0.5 at best: nothing left to round at one decimal.
  if (Math.abs(x) >= 2 ** 51) return x
  // x*10 = x*8 + x*2 with both terms exact (power-of-two scaling); TwoSum recovers the rounding
  // error of their sum, so s + e is the exact value of x*10.
  const a = x * 8
  const b = x * 2
  const s = a + b
  const bv = s - a
  const e = a - (s - bv) + (b - bv)
  const f = Math.floor(s)
  // Exact (no rounding) for |s| < 2^52; a non-zero d is a multiple of ulp(s) > |e|, so only an
  // exact .5 fraction lets e decide.
  const d = s - f - 0.5
  let n: number
  if (d > 0) n = f + 1
  else if (d < 0) n = f
  else if (e > 0) n = f + 1
  else if (e < 0) n = f
  else n = f % 2 === 0 ? f : f + 1 // exact tie → even
  if (n === 0) return x < 0 ? -0 : 0
  return n / 10
}
