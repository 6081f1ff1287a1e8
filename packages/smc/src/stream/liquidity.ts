import type { Liquidity, LiquidityOptions } from '../indicators/liquidity'
import { NextCrossing } from '../internal/next-crossing'
import type { ColumnAlloc, Series } from './columns'
import { CrossingWatch } from './crossing-watch'
import type { SwingTracker } from './swings'

/**
 * Streaming `liquidity`.
 *
 * With the tolerance pip fixed, the batch's grouping is online: swings are offered in row order
 * to the open pools of their side, the earliest pool that accepts a swing (level within ±pip of
 * its first swing, and the swing comes before the pool's sweep) takes it, otherwise the swing
 * opens a pool of its own whose sweep is a crossing watch. R and A (the moving tail) are offered
 * tentatively on every push and undone on the next.
 *
 * pip is (max high − min low) × rangePercent over the whole prefix, so a new extreme changes
 * every pool: the state is then rebuilt by offering the final swings again (O(N); the
 * range of a price series expands rarely, ~250 times over the 24k EURUSD candles) from
 * block-maximum queries over the prefix.
 */
export class LiquidityStream {
  private readonly rangePercent: number
  private readonly parity: boolean
  /** The batch's columns, on every row pushed so far. */
  readonly out: Liquidity

  private maxH = -Infinity
  private minL = Infinity
  private pip = 0
  // Pools, by id.
  private pRow: number[] = []
  private pSide: number[] = []
  private pLo: number[] = []
  private pHi: number[] = []
  private pSum: number[] = []
  private pCount: number[] = []
  private pEnd: number[] = []
  private pSwept: number[] = []
  /** Open pools per side (0 = highs, 1 = lows), oldest first. */
  private open: number[][] = [[], []]
  private readonly sweeps = [new CrossingWatch(true, false), new CrossingWatch(false, false)]
  private finalDone = 0
  private tailTouched: number[] = []

  constructor(
    private readonly sw: SwingTracker,
    options: LiquidityOptions,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    this.rangePercent = options.rangePercent ?? 0.01
    this.parity = options.parity ?? true
    this.out = alloc.columns(['liquidity', 'level', 'end', 'swept'], cap, Number.NaN)
  }

  grow(cap: number): void {
    this.alloc.growColumns(this.out, cap, Number.NaN)
  }

  push(s: Series): void {
    const j = s.n - 1
    for (const p of this.tailTouched) this.write(p, this.pSum[p]!, this.pCount[p]!, this.pEnd[p]!)
    this.tailTouched.length = 0

    const h = s.high[j]!
    const l = s.low[j]!
    let expanded = false
    if (h > this.maxH) {
      this.maxH = h
      expanded = true
    }
    if (l < this.minL) {
      this.minL = l
      expanded = true
    }
    const sw = this.sw
    if (expanded) {
      this.pip = (this.maxH - this.minL) * this.rangePercent
      this.rebuild(s)
    } else {
      this.sweepRow(s, j)
      for (; this.finalDone < sw.fCount; this.finalDone++) this.offerFinal(this.finalDone, s)
    }

    // Tail: R (it bounds every later swing of its side, so closed pools can be dropped) and A.
    if (sw.rType !== 0) this.offerTail(sw.rType === 1 ? 0 : 1, sw.rRow, sw.rLevel, true)
    if (sw.aType !== 0) this.offerTail(sw.aType === 1 ? 0 : 1, sw.aRow, sw.aLevel, false)
  }

  private sweepRow(s: Series, j: number): void {
    let p: number
    for (let side = 0; side < 2; side++) {
      const v = side === 0 ? s.high[j]! : s.low[j]!
      while ((p = this.sweeps[side]!.pop(v, j)) >= 0) {
        this.pSwept[p] = j
        if (this.pCount[p]! >= 2) this.write(p, this.pSum[p]!, this.pCount[p]!, this.pEnd[p]!)
      }
    }
  }

  /** Earliest open pool of `side` accepting a swing at `row` with level v, or -1. */
  private acceptor(side: number, row: number, v: number, prune: boolean): number {
    const open = this.open[side]!
    let found = -1
    let w = 0
    let k = 0
    for (; k < open.length; k++) {
      const p = open[k]!
      const sweptAt = this.pSwept[p]!
      if (sweptAt >= 0 && row >= sweptAt) {
        // Swept before this swing: it can take no later swing either.
        if (!prune) open[w++] = p
        continue
      }
      open[w++] = p
      if (v >= this.pLo[p]! && v <= this.pHi[p]!) {
        found = p
        k++
        break
      }
    }
    for (; k < open.length; k++) open[w++] = open[k]!
    open.length = w
    return found
  }

  /**
   * Offer final swing k to the pools of its side. A swing no pool takes opens a pool; its sweep
   * comes from `static` (queries over the whole prefix, during a rebuild) or from the watch's
   * scan of the rows pushed so far.
   */
  private offerFinal(k: number, s: Series, statics?: readonly [NextCrossing, NextCrossing]): void {
    const sw = this.sw
    const row = sw.fRow[k]!
    const v = sw.fLevel[k]!
    const side = sw.fType[k] === 1 ? 0 : 1
    const p = this.acceptor(side, row, v, true)
    if (p >= 0) {
      this.pSum[p]! += v
      this.pCount[p]!++
      this.pEnd[p] = row
      this.write(p, this.pSum[p]!, this.pCount[p]!, row)
      return
    }
    const id = this.pRow.length
    const lo = v - this.pip
    const hi = v + this.pip
    const thr = side === 0 ? hi : lo
    const values = side === 0 ? s.high : s.low
    let swept: number
    if (statics) {
      swept = statics[side]!.inclusive(row + 1, thr)
      if (swept < 0) this.sweeps[side]!.add(id, thr, s.n, values, s.n)
    } else swept = this.sweeps[side]!.add(id, thr, row + 1, values, s.n)
    this.pRow.push(row)
    this.pSide.push(side)
    this.pLo.push(lo)
    this.pHi.push(hi)
    // Starting from 0 as the reference does: 0 + v is exactly v.
    this.pSum.push(v)
    this.pCount.push(1)
    this.pEnd.push(row)
    this.pSwept.push(swept)
    this.open[side]!.push(id)
  }

  private offerTail(side: number, row: number, v: number, prune: boolean): void {
    const p = this.acceptor(side, row, v, prune)
    if (p < 0) return
    this.write(p, this.pSum[p]! + v, this.pCount[p]! + 1, row)
    this.tailTouched.push(p)
  }

  private write(p: number, sum: number, count: number, end: number): void {
    const row = this.pRow[p]!
    if (count < 2) {
      this.out.liquidity[row] = this.out.level[row] = this.out.end[row] = this.out.swept[row] = Number.NaN
      return
    }
    const sweptAt = this.pSwept[p]!
    this.out.liquidity[row] = this.pSide[p] === 0 ? 1 : -1
    if (this.parity) {
      this.out.level[row] = Math.fround(sum / count)
      this.out.end[row] = Math.fround(end)
      this.out.swept[row] = sweptAt < 0 ? 0 : Math.fround(sweptAt)
    } else {
      this.out.level[row] = sum / count
      this.out.end[row] = end
      this.out.swept[row] = sweptAt < 0 ? Number.NaN : sweptAt
    }
  }

  /** New pip: forget every pool and replay the final swings over the rows. */
  private rebuild(s: Series): void {
    for (let p = 0; p < this.pRow.length; p++) {
      if (this.pCount[p]! < 2) continue
      const row = this.pRow[p]!
      this.out.liquidity[row] = this.out.level[row] = this.out.end[row] = this.out.swept[row] = Number.NaN
    }
    this.pRow.length = this.pSide.length = this.pLo.length = this.pHi.length = 0
    this.pSum.length = this.pCount.length = this.pEnd.length = this.pSwept.length = 0
    this.open[0]!.length = this.open[1]!.length = 0
    this.sweeps[0]!.clear()
    this.sweeps[1]!.clear()
    const sw = this.sw
    const f = sw.fCount
    if (f > 0) {
      // A pool's sweep is the first crossing in the whole prefix, so "swing j comes before the
      // sweep" is the same test whether the sweep is known in advance or found later.
      const n = s.n
      const statics = [new NextCrossing(s.high.subarray(0, n), 'up'), new NextCrossing(s.low.subarray(0, n), 'down')] as const
      for (let k = 0; k < f; k++) this.offerFinal(k, s, statics)
    }
    this.finalDone = f
  }
}
