import type { Retracements } from '../indicators/retracements'
import { retracementRow } from '../internal/retracement-step'
import type { ColumnAlloc } from './columns'
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
  /** The batch's columns, on every row pushed so far. */
  readonly out: Retracements
  /** Unshifted forward pass (direction, current, deepest) and its state (top, bottom) after each row. */
  private readonly pass: { dir: Int32Array; cur: Float64Array; deep: Float64Array; top: Float64Array; bot: Float64Array }
  /** [current, deepest] of the row being computed (reused: no allocation per row). */
  private readonly step = new Float64Array(2)
  /** Output rows 0 … zeroTo are zeroed (warm-up). */
  private zeroTo = -1

  constructor(
    private readonly sw: SwingTracker,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    this.out = { direction: alloc.i32(cap), currentRetracement: alloc.f64(cap), deepestRetracement: alloc.f64(cap) }
    const f64 = () => alloc.f64(cap)
    this.pass = { dir: alloc.i32(cap), cur: f64(), deep: f64(), top: f64(), bot: f64() }
  }

  grow(cap: number): void {
    this.alloc.growColumns(this.out, cap)
    this.alloc.growColumns(this.pass, cap)
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
      const c0 = this.pass.dir[n - 1] !== this.pass.dir[0] ? 1 : 0
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
    const { direction, currentRetracement, deepestRetracement } = this.out
    if (k <= z) {
      direction[k] = 0
      currentRetracement[k] = 0
      deepestRetracement[k] = 0
      return
    }
    const src = k === 0 ? n - 1 : k - 1
    const { dir, cur, deep } = this.pass
    direction[k] = dir[src]!
    currentRetracement[k] = cur[src]!
    deepestRetracement[k] = deep[src]!
  }

  /** Recompute the unshifted pass for rows x … N-1 from the state after row x-1. */
  private forward(s: Series, x: number): void {
    const { n, high: H, low: L } = s
    const { highLow: hl, level: lv } = this.sw
    const { dir, cur, deep, top, bot } = this.pass
    const before = x > 0
    const leg = { top: before ? top[x - 1]! : 0, bottom: before ? bot[x - 1]! : 0, prevDir: before ? dir[x - 1]! : 0, prevDeep: before ? deep[x - 1]! : 0 }
    const step = this.step
    for (let i = x; i < n; i++) {
      dir[i] = retracementRow(step, leg, i, n, hl[i]!, lv[i]!, L[i]!, H[i]!)
      cur[i] = step[0]!
      deep[i] = step[1]!
      top[i] = leg.top
      bot[i] = leg.bottom
    }
  }
}
