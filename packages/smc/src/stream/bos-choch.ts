import type { BosChoch, BosChochOptions } from '../indicators/bos-choch'
import { tableCapacity, type ColumnAlloc, type Series } from './columns'
import { CrossingWatch } from './crossing-watch'
import type { SwingTracker } from './swings'

/** Pattern of four alternating swings a, b, c, d (oldest first): [direction, kind (0 BOS, 1 CHOCH)] or direction 0. */
function pattern(t1: number, t2: number, t3: number, t4: number, v1: number, v2: number, v3: number, v4: number): number {
  if (t1 === -1 && t2 === 1 && t3 === -1 && t4 === 1) {
    if (v1 < v3 && v3 < v2 && v2 < v4) return 1 // bullish BOS
    if (v4 > v2 && v2 > v1 && v1 > v3) return 2 // bullish CHOCH
  } else if (t1 === 1 && t2 === -1 && t3 === 1 && t4 === -1) {
    if (v1 > v3 && v3 > v2 && v2 > v4) return -1
    if (v4 < v2 && v2 < v1 && v1 < v3) return -2
  }
  return 0
}

/** {@link pattern} of the four swings of the frame ending at swing `e`. */
function patternAt(sw: SwingTracker, e: number): number {
  return pattern(sw.typeAt(e - 3), sw.typeAt(e - 2), sw.typeAt(e - 1), sw.typeAt(e), sw.levelAt(e - 3), sw.levelAt(e - 2), sw.levelAt(e - 1), sw.levelAt(e))
}

/** A break search for a signal of the moving tail, continued across pushes while its inputs stay the same. */
interface TailSearch {
  p: number
  from: number
  dir: number
  level: number
  scanned: number
  found: number
  used: boolean
}

/**
 * Streaming `bosChoch`.
 *
 * The signal of a window of four consecutive swings sits on the row p of its second swing; the
 * window is final once its fourth swing is (the last two windows end on the moving R / artificial
 * A and are re-evaluated on every push). A signal's break is the first row from `from` on whose
 * source crosses its level: once found it never changes, so final signals that are still unbroken
 * wait in crossing watches.
 *
 * Which signals survive follows the batch's stack: s survives iff it is broken and every later
 * broken signal broke strictly later. For the final signals that stack is maintained
 * incrementally (a newly broken older signal breaks at the newest row, the maximum, so only the
 * stack top can be affected); the ≤ 2 tail signals are then applied on top of it each push and
 * undone on the next.
 */
export class BosChochStream {
  private readonly closeBreak: boolean
  private readonly parity: boolean
  /** The batch's columns, on every row pushed so far. */
  readonly out: BosChoch

  // Final signals in row order (the first sCount rows).
  private sRow: Int32Array
  private sDir: Int32Array
  private sKind: Int32Array
  private sLevel: Float64Array
  private sBroken: Int32Array
  private sCount = 0
  /** Surviving (broken, not superseded) final signals, bottom to top; break rows strictly increase. */
  private stack: number[] = []
  private maxBrokenOrder = -1
  /** Final swings already turned into windows. */
  private windowsDone = 0
  private readonly upWatch = new CrossingWatch(true, true)
  private readonly downWatch = new CrossingWatch(false, true)
  private readonly hits: number[] = []
  private readonly tail: TailSearch[] = []
  // Undo log of the tail's effect on the outputs.
  private poppedFinal: number[] = []
  private tailRows: number[] = []
  // Scratch of step 4 (see push).
  private readonly tRow: number[] = []
  private readonly tSig: number[] = []
  private readonly tLevel: number[] = []
  private readonly tBroken: number[] = []
  private readonly tailAlive: number[] = []

  constructor(
    private readonly sw: SwingTracker,
    options: BosChochOptions,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    this.closeBreak = options.closeBreak ?? true
    this.parity = options.parity ?? true
    this.out = alloc.columns(['bos', 'choch', 'level', 'brokenIndex'], cap, Number.NaN)
    this.sRow = alloc.i32(0)
    this.sDir = alloc.i32(0)
    this.sKind = alloc.i32(0)
    this.sLevel = alloc.f64(0)
    this.sBroken = alloc.i32(0)
  }

  grow(cap: number): void {
    this.alloc.growColumns(this.out, cap, Number.NaN)
  }

  push(s: Series): void {
    const n = s.n
    const j = n - 1
    const up = this.closeBreak ? s.close : s.high
    const down = this.closeBreak ? s.close : s.low

    // 1. Undo last push's tail.
    // (Lengths are reset only when set: truncating an array is a runtime call, even an empty one.)
    if (this.poppedFinal.length > 0) {
      for (const k of this.poppedFinal) this.writeAlive(k)
      this.poppedFinal.length = 0
    }
    if (this.tailRows.length > 0) {
      for (const row of this.tailRows) this.out.bos[row] = this.out.choch[row] = this.out.level[row] = this.out.brokenIndex[row] = Number.NaN
      this.tailRows.length = 0
    }

    // 2. Unbroken final signals broken by the newest row, in signal order.
    const hits = this.hits
    if (hits.length > 0) hits.length = 0
    let id: number
    while ((id = this.upWatch.pop(up[j]!, j)) >= 0) hits.push(id)
    while ((id = this.downWatch.pop(down[j]!, j)) >= 0) hits.push(id)
    if (hits.length > 1) hits.sort((a, b) => a - b)
    for (const k of hits) this.breakPending(k, j)

    // 3. Windows that became final (their fourth swing is final).
    const sw = this.sw
    const f = sw.fCount
    for (; this.windowsDone < f; this.windowsDone++) {
      const e = this.windowsDone
      if (e < 3) continue
      const sig = pattern(sw.fType[e - 3]!, sw.fType[e - 2]!, sw.fType[e - 1]!, sw.fType[e]!, sw.fLevel[e - 3]!, sw.fLevel[e - 2]!, sw.fLevel[e - 1]!, sw.fLevel[e]!)
      if (sig === 0) continue
      const p = sw.fRow[e - 2]!
      const dir = sig > 0 ? 1 : -1
      const level = this.parity ? Math.fround(sw.fLevel[e - 2]!) : sw.fLevel[e - 2]!
      const from = this.parity ? p + 2 : sw.fRow[e]!
      const k = this.appendSignal(p, dir, sig === 1 || sig === -1 ? 0 : 1, level)
      // The break from the tail search that followed this window, if there was one (-2: none).
      let b = this.search(e, s, false)
      if (b === -2) b = dir === 1 ? this.upWatch.add(k, level, from, up, n) : this.downWatch.add(k, level, from, down, n)
      else if (b < 0) (dir === 1 ? this.upWatch : this.downWatch).add(k, level, n, dir === 1 ? up : down, n)
      if (b >= 0) this.appendBroken(k, b)
    }

    // 4. Tail windows (ending on R, and on A in parity mode): evaluate, search, apply.
    this.tailWindows(s, f)
  }

  /**
   * Step 4 of push, apart: in a function this size the engine inlines the swing accessors and the
   * pattern test, which in push it did not (each call boxed its numbers: ≈ 120 bytes per candle).
   */
  private tailWindows(s: Series, f: number): void {
    const sw = this.sw
    for (const t of this.tail) t.used = false
    const cnt = sw.count
    let tailTop = this.stack.length
    // The tail's signals (at most two), in scratch arrays reused across pushes: tn of them, and
    // the an indices of those kept alive.
    const { tRow, tSig, tLevel, tBroken, tailAlive } = this
    let tn = 0
    let an = 0
    for (let e = Math.max(f, 3); e < cnt; e++) {
      const sig = patternAt(sw, e)
      // Searched even when the pattern does not fire now: it may fire after R or A moves.
      const b = this.search(e, s, true)
      if (sig === 0) continue
      const t = tn++
      tRow[t] = sw.rowAt(e - 2)
      tSig[t] = sig
      tLevel[t] = this.windowLevel(e)
      tBroken[t] = b
      if (b < 0) continue
      while (an > 0 && tBroken[tailAlive[an - 1]!]! >= b) an--
      if (an === 0) {
        while (tailTop > 0 && this.sBroken[this.stack[tailTop - 1]!]! >= b) {
          tailTop--
          const k = this.stack[tailTop]!
          this.poppedFinal.push(k)
          this.clearAlive(k)
        }
      }
      tailAlive[an++] = t
    }
    const tail = this.tail
    let kept = 0
    for (const t of tail) if (t.used) tail[kept++] = t
    if (kept !== tail.length) tail.length = kept
    for (let t = 0; t < tn; t++) {
      const b = tBroken[t]!
      if (b < 0) continue
      const row = tRow[t]!
      let alive = false
      for (let a = 0; a < an; a++) if (tailAlive[a] === t) alive = true
      if (this.parity || alive) {
        this.out.brokenIndex[row] = b
        this.tailRows.push(row)
      }
      if (alive) {
        const sig = tSig[t]!
        if (sig === 1 || sig === -1) this.out.bos[row] = sig
        else this.out.choch[row] = sig / 2
        this.out.level[row] = tLevel[t]!
        if (!this.tailRows.includes(row)) this.tailRows.push(row)
      }
    }
  }

  /** A new final signal (unbroken so far); returns its index. */
  private appendSignal(row: number, dir: number, kind: number, level: number): number {
    const k = this.sCount
    if (k === this.sRow.length) {
      const cap = tableCapacity(k)
      const { alloc } = this
      this.sRow = alloc.growI32(this.sRow, cap)
      this.sDir = alloc.growI32(this.sDir, cap)
      this.sKind = alloc.growI32(this.sKind, cap)
      this.sLevel = alloc.growF64(this.sLevel, cap)
      this.sBroken = alloc.growI32(this.sBroken, cap)
    }
    this.sRow[k] = row
    this.sDir[k] = dir
    this.sKind[k] = kind
    this.sLevel[k] = level
    this.sBroken[k] = 0
    this.sCount = k + 1
    return k
  }

  /** A final signal broken only now, at the newest row j (≥ every known break). */
  private breakPending(k: number, j: number): void {
    this.sBroken[k] = j
    if (this.parity) this.out.brokenIndex[this.sRow[k]!] = j
    const st = this.stack
    // At most the top can share break row j (break rows strictly increase up the stack).
    if (st.length > 0) {
      const top = st[st.length - 1]!
      if (top < k && this.sBroken[top] === j) {
        st.pop()
        this.clearAlive(top)
      }
    }
    if (k > this.maxBrokenOrder) {
      st.push(k)
      this.writeAlive(k)
      this.maxBrokenOrder = k
    }
  }

  /** A newly final signal (the last in order) that is already broken at row b. */
  private appendBroken(k: number, b: number): void {
    this.sBroken[k] = b
    if (this.parity) this.out.brokenIndex[this.sRow[k]!] = b
    const st = this.stack
    while (st.length > 0 && this.sBroken[st[st.length - 1]!]! >= b) this.clearAlive(st.pop()!)
    st.push(k)
    this.writeAlive(k)
    this.maxBrokenOrder = k
  }

  private writeAlive(k: number): void {
    const row = this.sRow[k]!
    if (this.sKind[k] === 0) this.out.bos[row] = this.sDir[k]!
    else this.out.choch[row] = this.sDir[k]!
    this.out.level[row] = this.sLevel[k]!
    if (!this.parity) this.out.brokenIndex[row] = this.sBroken[k]!
  }

  private clearAlive(k: number): void {
    const row = this.sRow[k]!
    this.out.bos[row] = this.out.choch[row] = this.out.level[row] = Number.NaN
    if (!this.parity) this.out.brokenIndex[row] = Number.NaN
  }

  /** The level of the window of four swings ending at swing `e`: its second swing's (float32 in parity mode). */
  private windowLevel(e: number): number {
    const v = this.sw.levelAt(e - 2)
    return this.parity ? Math.fround(v) : v
  }

  /**
   * The break of the window ending at swing `e`: the first row ≥ its `from` (up to the newest)
   * whose source crosses its level, or -1; continued across pushes while the window's inputs stay
   * the same. Without a search of that window yet, `create` starts one; otherwise -2 is returned.
   * (Arguments are swing indices, not prices: a price passed to a call the engine does not inline
   * is boxed, and this runs on every push.)
   */
  private search(e: number, s: Series, create: boolean): number {
    const sw = this.sw
    const p = sw.rowAt(e - 2)
    const from = this.parity ? p + 2 : sw.rowAt(e)
    const dir = sw.typeAt(e - 2)
    const level = this.windowLevel(e)
    let t: TailSearch | undefined
    for (const x of this.tail)
      if (x.p === p && x.from === from && x.dir === dir && x.level === level) {
        t = x
        break
      }
    if (!t) {
      if (!create) return -2
      t = { p, from, dir, level, scanned: from - 1, found: -1, used: true }
      this.tail.push(t)
    }
    t.used = true
    if (t.found < 0 && t.scanned < s.n - 1) {
      const src = dir === 1 ? (this.closeBreak ? s.close : s.high) : this.closeBreak ? s.close : s.low
      for (let j = t.scanned + 1; j < s.n; j++) {
        if (dir === 1 ? src[j]! > level : src[j]! < level) {
          t.found = j
          break
        }
      }
      t.scanned = s.n - 1
    }
    return t.found
  }
}
