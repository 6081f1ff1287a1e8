import { tableCapacity, type ColumnAlloc, type Series } from './columns'

/**
 * Streaming swing frame (same columns as `swingHighsLows` on the prefix).
 *
 * A row's candidacy only depends on its window i-w+1 … i+w, so it is decided once, w rows later.
 * Consecutive candidates of one type collapse to the earliest most extreme one: every run but
 * the last is final, and the last run's representative R can still move forward while the run
 * grows. In parity mode row 0 and row N-1 are artificial swings opposite to the first / last one;
 * row 0 is fixed by the first run's type, the last row A moves with every push.
 *
 * The swing sequence seen downstream is therefore: final swings (`fRow/fType/fLevel`, never
 * change again), then R (if any swing exists), then A (parity only).
 */
export class SwingTracker {
  readonly w: number
  readonly parity: boolean
  private readonly firstCandidate: number
  highLow: Float64Array
  level: Float64Array

  /** Final swings in row order (parity: row 0 first): the first `fCount` rows of fRow / fType / fLevel. */
  fRow: Int32Array
  fType: Int32Array
  fLevel: Float64Array
  fCount = 0
  /** Provisional representative of the last run: row, type (0 = no swing yet), level. */
  rRow = -1
  rType = 0
  rLevel = Number.NaN
  /** Artificial last swing (parity): row N-1, type -rType. */
  aRow = -1
  aType = 0
  aLevel = Number.NaN

  // What the last push changed.
  /** Lowest frame row whose value changed (Infinity if none). */
  changedFrom = Infinity
  /** R's previous row when R moved within its run, else -1. */
  movedFrom = -1
  /** A new run started: R is new (the previous R, if any, became final). */
  newRun = false

  constructor(
    swingLength: number,
    parity: boolean,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    if (!Number.isInteger(swingLength) || swingLength < 1) {
      throw new RangeError(`swingLength must be a positive integer, got ${swingLength}`)
    }
    this.w = swingLength
    this.parity = parity
    this.firstCandidate = parity ? 2 * swingLength - 1 : swingLength - 1
    this.highLow = alloc.f64(cap, Number.NaN)
    this.level = alloc.f64(cap, Number.NaN)
    this.fRow = alloc.i32(0)
    this.fType = alloc.i32(0)
    this.fLevel = alloc.f64(0)
  }

  grow(cap: number): void {
    this.highLow = this.alloc.growF64(this.highLow, cap, Number.NaN)
    this.level = this.alloc.growF64(this.level, cap, Number.NaN)
  }

  /** Number of swings in the frame (final + R + A). */
  get count(): number {
    return this.fCount + (this.rType === 0 ? 0 : this.parity ? 2 : 1)
  }

  /** Row / type / level of the k-th swing of the frame (k < count). */
  rowAt(k: number): number {
    const f = this.fCount
    return k < f ? this.fRow[k]! : k === f ? this.rRow : this.aRow
  }

  typeAt(k: number): number {
    const f = this.fCount
    return k < f ? this.fType[k]! : k === f ? this.rType : this.aType
  }

  levelAt(k: number): number {
    const f = this.fCount
    return k < f ? this.fLevel[k]! : k === f ? this.rLevel : this.aLevel
  }

  push(s: Series): void {
    const { n, high: H, low: L } = s
    const { highLow: hl, level: lv, w } = this
    let changed = Infinity
    this.movedFrom = -1
    this.newRun = false

    // The previous artificial last row becomes an ordinary row again (real swings are ≤ N-1-w).
    if (this.aRow >= 0) {
      hl[this.aRow] = lv[this.aRow] = Number.NaN
      changed = this.aRow
      this.aRow = -1
    }

    const i = n - 1 - w
    if (i >= this.firstCandidate) {
      const h = H[i]!
      let isHigh = H[i + w]! <= h
      for (let d = 1; isHigh && d < w; d++) isHigh = H[i + d]! <= h && H[i - d]! <= h
      let kind = 0
      if (isHigh) kind = 1
      else {
        const l = L[i]!
        let isLow = L[i + w]! >= l
        for (let d = 1; isLow && d < w; d++) isLow = L[i + d]! >= l && L[i - d]! >= l
        if (isLow) kind = -1
      }
      if (kind !== 0) {
        const v = kind === 1 ? H[i]! : L[i]!
        if (this.rType === 0) {
          if (this.parity) {
            const t0 = -kind
            const v0 = t0 === 1 ? H[0]! : L[0]!
            this.appendFinal(0, t0, v0)
            hl[0] = t0
            lv[0] = v0
            changed = 0
          }
          this.newRun = true
          this.setR(i, kind, v)
          if (i < changed) changed = i
        } else if (kind === this.rType) {
          if (kind === 1 ? v > this.rLevel : v < this.rLevel) {
            const old = this.rRow
            hl[old] = lv[old] = Number.NaN
            this.movedFrom = old
            if (old < changed) changed = old
            this.setR(i, kind, v)
          }
        } else {
          this.appendFinal(this.rRow, this.rType, this.rLevel)
          this.newRun = true
          this.setR(i, kind, v)
          if (i < changed) changed = i
        }
      }
    }

    if (this.parity && this.rType !== 0) {
      const a = n - 1
      const t = -this.rType
      this.aRow = a
      this.aType = t
      this.aLevel = t === 1 ? H[a]! : L[a]!
      hl[a] = t
      lv[a] = this.aLevel
      if (a < changed) changed = a
    }
    this.changedFrom = changed
  }

  private appendFinal(row: number, type: number, level: number): void {
    const k = this.fCount
    if (k === this.fRow.length) {
      const cap = tableCapacity(k)
      this.fRow = this.alloc.growI32(this.fRow, cap)
      this.fType = this.alloc.growI32(this.fType, cap)
      this.fLevel = this.alloc.growF64(this.fLevel, cap)
    }
    this.fRow[k] = row
    this.fType[k] = type
    this.fLevel[k] = level
    this.fCount = k + 1
  }

  private setR(row: number, type: number, v: number): void {
    this.rRow = row
    this.rType = type
    this.rLevel = v
    this.highLow[row] = type
    this.level[row] = v
  }
}
