import type { OrderBlocks } from '../indicators/ob'
import { obPercentage, obVolume } from '../internal/ob-candle'

export const BULL = 0
export const BEAR = 1

/**
 * The order blocks the streaming `ob` has found (records), one array per field, and how the valid
 * ones combine into an output row exactly as the batch's two passes over shared arrays do.
 */
export class ObRecords {
  /** BULL or BEAR. */
  side: number[] = []
  /** The OB candle's row, its top and bottom (float32), volume and percentage. */
  c: number[] = []
  top: number[] = []
  bot: number[] = []
  vol: number[] = []
  pct: number[] = []
  /** Rows of its mitigation, reset (after mitigation) and, bearish in parity mode, low break; -1 if none yet. */
  m: number[] = []
  r: number[] = []
  lb: number[] = []
  /** Counts now (formed within its swing's bound); dead: never will again. */
  valid: boolean[] = []
  dead: boolean[] = []

  /** A new record: OB candle `c`, its edges, and the breakout on row `i` (volumes of rows i-2 … i). */
  add(side: number, c: number, top: number, bottom: number, V: Float64Array, i: number): number {
    const rec = this.c.length
    this.side.push(side)
    this.c.push(c)
    this.top.push(top)
    this.bot.push(bottom)
    this.vol.push(obVolume(V, i))
    this.pct.push(obPercentage(V, i, side === BULL))
    this.m.push(-1)
    this.r.push(-1)
    this.lb.push(-1)
    this.valid.push(false)
    this.dead.push(false)
    return rec
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
