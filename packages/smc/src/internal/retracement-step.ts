import { round1 } from './python-round'

/** Python's max(a, b): keeps `a` unless `b > a` (unlike Math.max for -0/+0 and NaN). */
const pyMax = (a: number, b: number): number => (b > a ? b : a)

/**
 * One row of the reference's retracement pass, shared by the batch function and the stream so the
 * parity rules live in one place. Writes `[current, deepest]` into `out` (no allocation per row).
 * `prev` is the direction the reference reads as direction[i-1] (see the callers for row 0).
 */
export function retracementStep(
  out: Float64Array,
  i: number,
  prev: number,
  dir: number,
  top: number,
  bottom: number,
  low: number,
  high: number,
  prevDeep: number,
): void {
  let cur = 0
  let deep = 0
  if (prev === 1) {
    cur = top === bottom ? 0 : round1(100 - ((low - bottom) / (top - bottom)) * 100)
    deep = pyMax(i > 0 ? prevDeep : 0, cur)
  }
  // Keyed on the CURRENT direction (reference behaviour); overrides the branch above.
  if (dir === -1) {
    cur = bottom === top ? 0 : round1(100 - ((high - top) / (bottom - top)) * 100)
    deep = pyMax(i > 0 && prev === -1 ? prevDeep : 0, cur)
  }
  out[0] = cur
  out[1] = deep
}
