import type { FvgOptions, FvgResult } from '../indicators/fvg'
import type { ColumnAlloc } from './columns'
import type { Series } from './columns'
import { CrossingWatch } from './crossing-watch'

/**
 * Streaming `fvg`: detection of row i needs row i+1 only, joining merges row i-1 into row i right
 * after detecting row i, and a gap's mitigation is the first later row touching its far edge,
 * found as rows arrive. Every row is final once the next one is pushed; O(log k) per candle.
 */
export class FvgStream {
  private readonly join: boolean
  private readonly never: number
  /** The batch's columns, on every row pushed so far. */
  readonly out: FvgResult
  // Bullish gaps are mitigated by low <= Top, bearish ones by high >= Bottom.
  private readonly bull = new CrossingWatch(false, false)
  private readonly bear = new CrossingWatch(true, false)

  constructor(
    options: FvgOptions,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    this.join = options.joinConsecutive ?? false
    this.never = (options.parity ?? true) ? 0 : Number.NaN
    this.out = alloc.columns(['fvg', 'top', 'bottom', 'mitigatedIndex'], cap, Number.NaN)
  }

  grow(cap: number): void {
    this.alloc.growColumns(this.out, cap, Number.NaN)
  }

  push(s: Series): void {
    const j = s.n - 1
    if (j < 2) return
    const { high: H, low: L } = s
    const { fvg: dir, top, bottom, mitigatedIndex: mit } = this.out
    const hj = H[j]!
    const lj = L[j]!
    let g: number
    while ((g = this.bull.pop(lj, j)) >= 0) mit[g] = j
    while ((g = this.bear.pop(hj, j)) >= 0) mit[g] = j

    // Detect row i = j-1 (it needs row j), as the batch loop does.
    const i = j - 1
    const c = s.close[i]!
    const o = s.open[i]!
    const d = (+(c > o) & +(H[i - 1]! < lj)) - (+(c < o) & +(L[i - 1]! > hj))
    if (d !== 0) {
      dir[i] = d
      top[i] = d === 1 ? lj : L[i - 1]!
      bottom[i] = d === 1 ? H[i - 1]! : hj
      mit[i] = this.never
      if (this.join && dir[i - 1] === d) {
        if (top[i - 1]! > top[i]!) top[i] = top[i - 1]!
        if (bottom[i - 1]! < bottom[i]!) bottom[i] = bottom[i - 1]!
        dir[i - 1] = top[i - 1] = bottom[i - 1] = mit[i - 1] = Number.NaN
      }
    }
    // Row j-2 is final now; its mitigation search starts at j.
    g = j - 2
    const dg = dir[g]!
    if (dg === 1) {
      const m = this.bull.add(g, top[g]!, j, L, j + 1)
      if (m >= 0) mit[g] = m
    } else if (dg === -1) {
      const m = this.bear.add(g, bottom[g]!, j, H, j + 1)
      if (m >= 0) mit[g] = m
    }
  }
}
