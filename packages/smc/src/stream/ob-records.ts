import type { OrderBlocks } from '../indicators/ob'
import { obPercentage, obVolume } from '../internal/ob-candle'
import { tableCapacity, type ColumnAlloc } from './columns'

export const BULL = 0
export const BEAR = 1

/**
 * The order blocks the streaming `ob` has found (records), one typed column per field, and how the valid
 * ones combine into an output row exactly as the batch's two passes over shared arrays do.
 */
export class ObRecords {
  /** Records held: the first `count` rows of every column. */
  count = 0
  /** BULL or BEAR. */
  side: Int32Array
  /** The OB candle's row, its top and bottom (float32), volume and percentage. */
  c: Int32Array
  top: Float64Array
  bot: Float64Array
  vol: Float64Array
  pct: Float64Array
  /** Rows of its mitigation, reset (after mitigation) and, bearish in parity mode, low break; -1 if none yet. */
  m: Int32Array
  r: Int32Array
  lb: Int32Array
  /** 1 while it counts (formed within its swing's bound); dead 1: it never will again. */
  valid: Int32Array
  dead: Int32Array

  constructor(private readonly alloc: ColumnAlloc) {
    this.side = alloc.i32(0)
    this.c = alloc.i32(0)
    this.top = alloc.f64(0)
    this.bot = alloc.f64(0)
    this.vol = alloc.f64(0)
    this.pct = alloc.f64(0)
    this.m = alloc.i32(0)
    this.r = alloc.i32(0)
    this.lb = alloc.i32(0)
    this.valid = alloc.i32(0)
    this.dead = alloc.i32(0)
  }

  /** A new record: OB candle `c`, its edges, and the breakout on row `i` (volumes of rows i-2 … i). */
  add(side: number, c: number, top: number, bottom: number, V: Float64Array, i: number): number {
    const rec = this.count
    if (rec === this.c.length) this.grow(tableCapacity(rec))
    this.side[rec] = side
    this.c[rec] = c
    this.top[rec] = top
    this.bot[rec] = bottom
    this.vol[rec] = obVolume(V, i)
    this.pct[rec] = obPercentage(V, i, side === BULL)
    this.m[rec] = -1
    this.r[rec] = -1
    this.lb[rec] = -1
    this.valid[rec] = 0
    this.dead[rec] = 0
    this.count = rec + 1
    return rec
  }

  private grow(cap: number): void {
    const { alloc } = this
    this.side = alloc.growI32(this.side, cap)
    this.c = alloc.growI32(this.c, cap)
    this.top = alloc.growF64(this.top, cap)
    this.bot = alloc.growF64(this.bot, cap)
    this.vol = alloc.growF64(this.vol, cap)
    this.pct = alloc.growF64(this.pct, cap)
    this.m = alloc.growI32(this.m, cap)
    this.r = alloc.growI32(this.r, cap)
    this.lb = alloc.growI32(this.lb, cap)
    this.valid = alloc.growI32(this.valid, cap)
    this.dead = alloc.growI32(this.dead, cap)
  }

  /** Row c of `out` as the batch's two passes leave it, from its valid bullish (b) and bearish (r) records (-1: none). */
  writeRow(out: OrderBlocks, c: number, b: number, r: number, parity: boolean): void {
    let dir = 0
    let top = 0
    let bottom = 0
    let vol = 0
    let pct = 0
    let mit = 0
    let breaker = false
    if (b >= 0) {
      if (this.m[b]! >= 0) {
        breaker = true
        if (this.r[b]! < 0) {
          dir = 1
          mit = parity ? this.m[b]! - 1 : this.m[b]!
        }
      } else dir = 1
      if (dir === 1) {
        top = this.top[b]!
        bottom = this.bot[b]!
        vol = this.vol[b]!
        pct = this.pct[b]!
      }
    }
    if (r >= 0) {
      dir = -1
      top = this.top[r]!
      bottom = this.bot[r]!
      vol = this.vol[r]!
      pct = this.pct[r]!
      if (parity && breaker) {
        // Parity quirk: the bullish breaker state carries over; only the reset check runs.
        if (this.lb[r]! >= 0) dir = 0
      } else {
        mit = 0
        if (this.m[r]! >= 0) {
          mit = this.m[r]!
          if (this.r[r]! >= 0) dir = 0
        }
      }
    }
    if (dir === 0) {
      out.ob[c] = out.top[c] = out.bottom[c] = out.obVolume[c] = out.mitigatedIndex[c] = out.percentage[c] = Number.NaN
      return
    }
    out.ob[c] = dir
    out.top[c] = top
    out.bottom[c] = bottom
    out.obVolume[c] = vol
    out.mitigatedIndex[c] = !parity && mit === 0 ? Number.NaN : mit
    out.percentage[c] = pct
  }
}
