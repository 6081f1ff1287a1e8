import { retracementStep } from '../internal/retracement-step'
import { growF64, growI32 } from './columns'
import type { Series } from './columns'
import type { SwingTracker } from './swings'

/**
 * Streaming `retracements`. The forward pass (direction, current, deepest per row) is kept
 * unshifted with its running state per row, so a change of the swing frame at row x (the moving
 * last run, the artificial last row) only recomputes rows x … N-1. The output is that pass
 * shifted down one row (row 0 takes the last row, circularly) with the warm-up zeroed up to the
 * third direction change; the change rows are the swing rows themselves (swings alternate), so
 * the warm-up boundary is read off the swing sequence in O(1).
 */
export class RetracementsStream {
  direction: Int32Array
  current: Float64Array
  deepest: Float64Array
  // Unshifted forward pass and its state after each row.
  private dirA: Int32Array
  private curA: Float64Array
  private deepA: Float64Array
  private topA: Float64Array
  private botA: Float64Array
  /** [current, deepest] of the row being computed (reused: no allocation per row). */
  private readonly step = new Float64Array(2)
  /** Output rows 0 … zeroTo are zeroed (warm-up). */
  private zeroTo = -1

  constructor(
    private readonly sw: SwingTracker,
    cap: number,
  ) {
    this.direction = new Int32Array(cap)
    this.current = new Float64Array(cap)
    this.deepest = new Float64Array(cap)
    this.dirA = new Int32Array(cap)
    this.curA = new Float64Array(cap)
    this.deepA = new Float64Array(cap)
    this.topA = new Float64Array(cap)
    this.botA = new Float64Array(cap)
  }

  grow(cap: number): void {
    this.direction = growI32(this.direction, cap)
    this.current = growF64(this.current, cap)
    this.deepest = growF64(this.deepest, cap)
    this.dirA = growI32(this.dirA, cap)
    this.curA = growF64(this.curA, cap)
    this.deepA = growF64(this.deepA, cap)
    this.topA = growF64(this.topA, cap)
    this.botA = growF64(this.botA, cap)
  }

  push(s: Series): void {
    const n = s.n
    const sw = this.sw
    // Row 0 of a one-row series reads itself as "previous" (np.roll), so it is redone at N = 2.
    let x = Math.min(sw.changedFrom, n - 1)
    if (n === 2) x = 0
    this.forward(s, x)

    // Warm-up end: the loop compares shifted rows k, k+1 for k = 0 … N-2; the pair (0, 1) is
    // (last row, row 0), then pair (k, k+1) is a direction change at unshifted row k, i.e. a
    // swing row k in 1 … N-2. The third change at pair k zeroes rows 0 … k+1.
    let z: number
    if (n === 1) z = -1
    else {
      const c0 = this.dirA[n - 1] !== this.dirA[0] ? 1 : 0
      z = n - 2
      let need = 3 - c0
      const cnt = sw.count
      for (let k = 0; k < cnt; k++) {
        const r = sw.rowAt(k)
        if (r < 1) continue
        if (r > n - 2) break
        if (--need === 0) {
          z = r + 1
          break
        }
      }
    }

    // Rewrite the output rows whose source changed (and the new last row), then move the
    // warm-up boundary.
    const from = Math.min(x + 1, n - 1)
    for (let k = from; k < n; k++) this.writeRow(k, z, n)
    this.writeRow(0, z, n)
    const zPrev = this.zeroTo
    if (z !== zPrev) {
      const lo = Math.min(z, zPrev) + 1
      const hi = Math.min(Math.max(z, zPrev), n - 1)
      for (let k = lo; k <= hi; k++) if (k < from) this.writeRow(k, z, n)
      this.zeroTo = z
    }
  }

  private writeRow(k: number, z: number, n: number): void {
    if (k <= z) {
      this.direction[k] = 0
      this.current[k] = 0
      this.deepest[k] = 0
      return
    }
    const src = k === 0 ? n - 1 : k - 1
    this.direction[k] = this.dirA[src]!
    this.current[k] = this.curA[src]!
    this.deepest[k] = this.deepA[src]!
  }

  /** Recompute the unshifted pass for rows x … N-1 from the state after row x-1. */
  private forward(s: Series, x: number): void {
    const n = s.n
    const H = s.high
    const L = s.low
    const hl = this.sw.highLow
    const lv = this.sw.level
    const dirA = this.dirA
    const curA = this.curA
    const deepA = this.deepA
    const topA = this.topA
    const botA = this.botA
    let top = x > 0 ? topA[x - 1]! : 0
    let bottom = x > 0 ? botA[x - 1]! : 0
    let prevDir = x > 0 ? dirA[x - 1]! : 0
    let prevDeep = x > 0 ? deepA[x - 1]! : 0
    const step = this.step
    for (let i = x; i < n; i++) {
      const t = hl[i]!
      let dir: number
      if (t === 1) {
        dir = 1
        top = lv[i]!
      } else if (t === -1) {
        dir = -1
        bottom = lv[i]!
      } else dir = prevDir
      const prev = i > 0 ? prevDir : n === 1 ? dir : 0
      retracementStep(step, i, prev, dir, top, bottom, L[i]!, H[i]!, prevDeep)
      const cur = step[0]!
      const deep = step[1]!
      dirA[i] = dir
      curA[i] = cur
      deepA[i] = deep
      topA[i] = top
      botA[i] = bottom
      prevDir = dir
      prevDeep = deep
    }
  }
}
