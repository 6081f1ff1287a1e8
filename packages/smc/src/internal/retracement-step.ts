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

/** The running state of the reference's retracement pass after a row. */
export interface RetracementLeg {
  /** Levels of the last swing high and low. */
  top: number
  bottom: number
  /** Direction and deepest retracement of the previous row. */
  prevDir: number
  prevDeep: number
}

/**
 * Row i of the pass over n rows: the swing of the row (type `t`, `level`) updates the leg, then
 * `[current, deepest]` is written into `out` as by `retracementStep`. Returns the row's direction.
 */
export function retracementRow(out: Float64Array, leg: RetracementLeg, i: number, n: number, t: number, level: number, low: number, high: number): number {
  let dir: number
  if (t === 1) {
    dir = 1
    leg.top = level
  } else if (t === -1) {
    dir = -1
    leg.bottom = level
  } else dir = leg.prevDir
  // The reference reads direction[i-1], which at i = 0 is direction[-1]: the last row, still 0
  // unless that last row IS row 0 (a one-candle series).
  const prev = i > 0 ? leg.prevDir : n === 1 ? dir : 0
  retracementStep(out, i, prev, dir, leg.top, leg.bottom, low, high, leg.prevDeep)
  leg.prevDir = dir
  leg.prevDeep = out[1]!
  return dir
}
