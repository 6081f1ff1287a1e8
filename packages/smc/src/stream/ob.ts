import type { OrderBlocks, OrderBlocksOptions } from '../indicators/ob'
import { obCandle } from '../internal/ob-candle'
import { tableCapacity, type ColumnAlloc, type Series } from './columns'
import { CrossingWatch } from './crossing-watch'
import { BEAR, BULL, ObRecords } from './ob-records'
import type { SwingTracker } from './swings'

// Watch kinds (id = record * 3 + kind).
const MIT = 0
const RESET = 1
const LOW_BREAK = 2

/**
 * Streaming `ob`.
 *
 * In the batch's bullish pass, swing high s produces at most one OB: at the first row i in
 * s+1 … next swing high (inclusive) whose close exceeds H[s]. That "formation" only depends on s,
 * the bound (the next swing high) and prices, and the OB's lifecycle (mitigation from i+1, then
 * reset) only on the OB itself. So each swing carries a formation scan; the found OB is a record
 * whose mitigation / reset are crossing watches advanced as rows arrive, and which counts only
 * while i ≤ bound. Only the last swings move (R can shift forward, which moves the previous
 * swing's bound and replaces R's own formation), everything else is final. Bearish mirrors.
 *
 * A row's output combines the valid bullish and bearish records on it exactly as the batch's two
 * passes over shared arrays do (in parity mode a bearish OB on the row of a mitigated bullish one
 * inherits its breaker state and MitigatedIndex), recomputed whenever either changes.
 */
export class ObStream {
  private readonly closeMitigation: boolean
  private readonly parity: boolean
  /** The batch's columns, on every row pushed so far. */
  readonly out: OrderBlocks
  /** Valid bullish / bearish record on each row, -1 if none. */
  private bullAt: Int32Array
  private bearAt: Int32Array
  private bodyLow: Float64Array
  private bodyHigh: Float64Array

  /** Records (found OBs). */
  private readonly recs: ObRecords

  // Formations (one per swing of the frame that can trigger an OB): the first fmCount rows.
  // fmBound is Infinity until the next swing bounds it; fmBoundFinal and fmDead are 0 / 1.
  private fmCount = 0
  private fmS: Int32Array
  private fmSide: Int32Array
  private fmScanned: Int32Array
  private fmI: Int32Array
  private fmBound: Float64Array
  private fmBoundFinal: Int32Array
  private fmRec: Int32Array
  private fmDead: Int32Array
  private open: number[] = []
  /** Per side: formation of the last final swing, and of R. */
  private lastFinal = [-1, -1]
  private rForm = [-1, -1]
  private finalDone = 0

  // Mitigation (wick or body), bullish reset, bearish reset / low break.
  private readonly bullMit = new CrossingWatch(false, true)
  private readonly bearMit = new CrossingWatch(true, true)
  private readonly highUp = new CrossingWatch(true, true)
  private readonly lowDown = new CrossingWatch(false, true)
  private readonly hits: number[] = []
  /** [row, top, bottom] of the OB being recorded (reused: no allocation per record). */
  private readonly picked = new Float64Array(3)

  constructor(
    private readonly sw: SwingTracker,
    options: OrderBlocksOptions,
    cap: number,
    private readonly alloc: ColumnAlloc,
  ) {
    this.closeMitigation = options.closeMitigation ?? false
    this.parity = options.parity ?? true
    this.out = alloc.columns(['ob', 'top', 'bottom', 'obVolume', 'mitigatedIndex', 'percentage'], cap, Number.NaN)
    this.bullAt = alloc.i32(cap, -1)
    this.bearAt = alloc.i32(cap, -1)
    this.bodyLow = alloc.f64(this.closeMitigation ? cap : 0)
    this.bodyHigh = alloc.f64(this.closeMitigation ? cap : 0)
    this.recs = new ObRecords(alloc)
    this.fmS = alloc.i32(0)
    this.fmSide = alloc.i32(0)
    this.fmScanned = alloc.i32(0)
    this.fmI = alloc.i32(0)
    this.fmBound = alloc.f64(0)
    this.fmBoundFinal = alloc.i32(0)
    this.fmRec = alloc.i32(0)
    this.fmDead = alloc.i32(0)
  }

  grow(cap: number): void {
    this.alloc.growColumns(this.out, cap, Number.NaN)
    this.bullAt = this.alloc.growI32(this.bullAt, cap, -1)
    this.bearAt = this.alloc.growI32(this.bearAt, cap, -1)
    if (this.closeMitigation) {
      this.bodyLow = this.alloc.growF64(this.bodyLow, cap)
      this.bodyHigh = this.alloc.growF64(this.bodyHigh, cap)
    }
  }

  push(s: Series): void {
    const n = s.n
    const j = n - 1
    if (this.closeMitigation) {
      const o = s.open[j]!
      const c = s.close[j]!
      this.bodyLow[j] = o < c ? o : c
      this.bodyHigh[j] = o > c ? o : c
    }
    const xl = this.closeMitigation ? this.bodyLow : s.low
    const xh = this.closeMitigation ? this.bodyHigh : s.high

    // 1. Lifecycle events on the newest row (collected first, then applied).
    const hits = this.hits
    if (hits.length > 0) hits.length = 0
    let id: number
    while ((id = this.bullMit.pop(xl[j]!, j)) >= 0) hits.push(id)
    while ((id = this.bearMit.pop(xh[j]!, j)) >= 0) hits.push(id)
    while ((id = this.highUp.pop(s.high[j]!, j)) >= 0) hits.push(id)
    while ((id = this.lowDown.pop(s.low[j]!, j)) >= 0) hits.push(id)
    for (const h of hits) {
      const rec = (h / 3) | 0
      if (this.recs.dead[rec]) continue
      const kind = h - rec * 3
      if (kind === MIT) this.onMitigated(rec, j, s)
      else {
        if (kind === RESET) this.recs.r[rec] = j
        else this.recs.lb[rec] = j
        if (this.recs.valid[rec]) this.refresh(this.recs.c[rec]!)
      }
    }

    // 2. Open formation scans on the newest row.
    if (this.open.length > 0) {
      const C = s.close
      let w = 0
      for (const fm of this.open) {
        if (this.fmDead[fm] || this.fmI[fm]! >= 0) continue
        if (this.fmScanned[fm]! < j) {
          this.fmScanned[fm] = j
          const lv = this.fmSide[fm] === BULL ? s.high[this.fmS[fm]!]! : s.low[this.fmS[fm]!]!
          if (this.fmSide[fm] === BULL ? C[j]! > lv : C[j]! < lv) {
            this.createRecord(fm, j, s)
            continue
          }
        }
        if (this.fmBoundFinal[fm] && this.fmScanned[fm]! >= this.fmBound[fm]!) continue
        this.open[w++] = fm
      }
      if (w !== this.open.length) this.open.length = w
    }

    // 3. Swing changes: swings that became final, then the new / moved R.
    const sw = this.sw
    const f = sw.fCount
    for (; this.finalDone < f; this.finalDone++) {
      const k = this.finalDone
      const row = sw.fRow[k]!
      const side = sw.fType[k] === 1 ? BULL : BEAR
      const r = this.rForm[side]!
      if (r >= 0 && this.fmS[r] === row) {
        // R became final: the previous swing's bound (R's row) is final now.
        const prev = this.lastFinal[side]!
        if (prev >= 0) this.setBound(prev, row, true)
        this.lastFinal[side] = r
        this.rForm[side] = -1
      } else {
        // The artificial row 0.
        const prev = this.lastFinal[side]!
        if (prev >= 0) this.setBound(prev, row, true)
        this.lastFinal[side] = this.newFormation(row, side, s)
      }
    }
    if (sw.newRun || sw.movedFrom >= 0) {
      const side = sw.rType === 1 ? BULL : BEAR
      const old = this.rForm[side]!
      if (old >= 0) this.destroyFormation(old)
      const prev = this.lastFinal[side]!
      if (prev >= 0) this.setBound(prev, sw.rRow, false)
      this.rForm[side] = this.newFormation(sw.rRow, side, s)
    }
  }

  private newFormation(row: number, side: number, s: Series): number {
    const fm = this.fmCount
    if (fm === this.fmS.length) this.growFormations(tableCapacity(fm))
    this.fmS[fm] = row
    this.fmSide[fm] = side
    this.fmScanned[fm] = row
    this.fmI[fm] = -1
    this.fmBound[fm] = Infinity
    this.fmBoundFinal[fm] = 0
    this.fmRec[fm] = -1
    this.fmDead[fm] = 0
    this.fmCount = fm + 1
    const C = s.close
    const lv = side === BULL ? s.high[row]! : s.low[row]!
    const n = s.n
    for (let i = row + 1; i < n; i++) {
      if (side === BULL ? C[i]! > lv : C[i]! < lv) {
        this.fmScanned[fm] = i
        this.createRecord(fm, i, s)
        return fm
      }
    }
    this.fmScanned[fm] = n - 1
    this.open.push(fm)
    return fm
  }

  private growFormations(cap: number): void {
    const { alloc } = this
    this.fmS = alloc.growI32(this.fmS, cap)
    this.fmSide = alloc.growI32(this.fmSide, cap)
    this.fmScanned = alloc.growI32(this.fmScanned, cap)
    this.fmI = alloc.growI32(this.fmI, cap)
    this.fmBound = alloc.growF64(this.fmBound, cap)
    this.fmBoundFinal = alloc.growI32(this.fmBoundFinal, cap)
    this.fmRec = alloc.growI32(this.fmRec, cap)
    this.fmDead = alloc.growI32(this.fmDead, cap)
  }

  private destroyFormation(fm: number): void {
    this.fmDead[fm] = 1
    const rec = this.fmRec[fm]!
    if (rec >= 0) {
      this.setValid(rec, false)
      this.recs.dead[rec] = 1
    }
  }

  private setBound(fm: number, bound: number, final: boolean): void {
    this.fmBound[fm] = bound
    this.fmBoundFinal[fm] = final ? 1 : 0
    const rec = this.fmRec[fm]!
    if (rec < 0) return
    const ok = this.fmI[fm]! <= bound
    this.setValid(rec, ok)
    if (final && !ok) this.recs.dead[rec] = 1
  }

  private createRecord(fm: number, i: number, s: Series): void {
    const side = this.fmSide[fm]!
    const sRow = this.fmS[fm]!
    const { high: H, low: L, n } = s
    this.fmI[fm] = i
    const picked = this.picked
    obCandle(picked, side === BULL, sRow, i, H, L)
    const top = Math.fround(picked[1]!)
    const bottom = Math.fround(picked[2]!)
    const rec = this.recs.add(side, picked[0]!, top, bottom, s.volume, i)
    this.fmRec[fm] = rec
    let m: number
    if (side === BULL) {
      m = this.bullMit.add(rec * 3 + MIT, bottom, i + 1, this.closeMitigation ? this.bodyLow : L, n)
    } else {
      m = this.bearMit.add(rec * 3 + MIT, top, i + 1, this.closeMitigation ? this.bodyHigh : H, n)
      if (this.parity) this.recs.lb[rec] = this.lowDown.add(rec * 3 + LOW_BREAK, bottom, i + 1, L, n)
    }
    if (m >= 0) this.onMitigated(rec, m, s)
    this.setValid(rec, i <= this.fmBound[fm]!)
  }

  private onMitigated(rec: number, m: number, s: Series): void {
    this.recs.m[rec] = m
    this.recs.r[rec] =
      this.recs.side[rec] === BULL
        ? this.highUp.add(rec * 3 + RESET, this.recs.top[rec]!, m + 1, s.high, s.n)
        : this.lowDown.add(rec * 3 + RESET, this.recs.bot[rec]!, m + 1, s.low, s.n)
    if (this.recs.valid[rec]) this.refresh(this.recs.c[rec]!)
  }

  private setValid(rec: number, valid: boolean): void {
    if (this.recs.valid[rec] === (valid ? 1 : 0)) return
    this.recs.valid[rec] = valid ? 1 : 0
    const at = this.recs.side[rec] === BULL ? this.bullAt : this.bearAt
    const c = this.recs.c[rec]!
    if (valid) at[c] = rec
    else if (at[c] === rec) at[c] = -1
    this.refresh(c)
  }

  /** Row c as the batch's two passes leave it. */
  private refresh(c: number): void {
    this.recs.writeRow(this.out, c, this.bullAt[c]!, this.bearAt[c]!, this.parity)
  }
}
