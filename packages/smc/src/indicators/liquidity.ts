import { f64Columns } from '../internal/columns'
import { NextCrossing } from '../internal/next-crossing'
import { candleCount, checkSwings } from '../internal/validate'
import type { SwingHighsLows } from './swing-highs-lows'
import type { Candles } from '../types'

/** Liquidity pools (clusters of equal-ish swing highs or lows), one row per candle; NaN where none. */
export interface Liquidity {
  /** 1 = buy-side (swing highs), -1 = sell-side (swing lows). */
  liquidity: Float64Array
  /** Mean level of the clustered swings (float32-rounded in parity mode). */
  level: Float64Array
  /** Row of the last swing in the cluster. */
  end: Float64Array
  /** Row of the candle that swept the pool; 0 = never in parity mode, NaN with `parity: false`. */
  swept: Float64Array
}

export interface LiquidityOptions {
  /**
   * Cluster tolerance as a fraction of the WHOLE series' high-low range (default 0.01). Note the
   * range is global, so in a batch it depends on data after each row (reference behaviour).
   */
  rangePercent?: number
  /**
   * `true` (default): bit-exact with smartmoneyconcepts v0.0.27 — all four columns are float32 and
   * a never-swept pool has Swept 0.
   * `false`: Level is the exact float64 mean, and a never-swept pool has Swept NaN.
   */
  parity?: boolean
}

/**
 * Liquidity: two or more swing highs (or lows) within ±pip of the first one, where
 * pip = (max high − min low of the series) × rangePercent, form a pool. Swings are collected until
 * price sweeps the pool (a high ≥ first level + pip for highs; a low ≤ first level − pip for lows);
 * each swing joins at most one pool.
 *
 * @example
 * const swings = swingHighsLows(candles, { swingLength: 5 })
 * const liq = liquidity(candles, swings, { rangePercent: 0.01 })
 * // liq.liquidity[i] === 1: buy-side pool starting at swing i, level liq.level[i], swept at liq.swept[i]
 */
export function liquidity(candles: Candles, swings: SwingHighsLows, options: LiquidityOptions = {}): Liquidity {
  const rangePercent = options.rangePercent ?? 0.01
  const parity = options.parity ?? true
  const n = candleCount(candles)
  checkSwings(swings, n)
  const { high: H, low: L } = candles
  const { highLow: hl, level: lv } = swings
  const out: Liquidity = f64Columns(['liquidity', 'level', 'end', 'swept'], n, Number.NaN)
  const { liquidity: liqOut, level: levelOut, end: endOut, swept: sweptOut } = out
  if (n === 0) return out

  // pandas max()/min() skip NaN.
  let maxH = Number.NEGATIVE_INFINITY
  let minL = Number.POSITIVE_INFINITY
  for (let i = 0; i < n; i++) {
    if (H[i]! > maxH) maxH = H[i]!
    if (L[i]! < minL) minL = L[i]!
  }
  const pip = (maxH - minL) * rangePercent

  const rows = new Int32Array(n)
  const used = new Uint8Array(n)
  const store = parity ? Math.fround : (x: number) => x
  for (const side of [1, -1] as const) {
    let count = 0
    for (let i = 0; i < n; i++) if (hl[i] === side) rows[count++] = i
    if (count === 0) continue
    const sweep = side === 1 ? new NextCrossing(H, 'up') : new NextCrossing(L, 'down')
    for (let a = 0; a < count; a++) {
      const i = rows[a]!
      if (used[i]) continue
      const lvl = lv[i]!
      const lo = lvl - pip
      const hi = lvl + pip
      const sweptRow = side === 1 ? sweep.inclusive(i + 1, hi) : sweep.inclusive(i + 1, lo)
      // Swings at or after the sweep cannot join: the pool is gone by then.
      const stop = sweptRow < 0 ? n : sweptRow
      let sum = lvl
      let members = 1
      let end = i
      for (let b = a + 1; b < count; b++) {
        const j = rows[b]!
        if (j >= stop) break
        if (used[j]) continue
        const v = lv[j]!
        if (v >= lo && v <= hi) {
          sum += v
          members++
          end = j
          used[j] = 1
        }
      }
      if (members < 2) continue
      liqOut[i] = side
      levelOut[i] = store(sum / members)
      endOut[i] = store(end)
      sweptOut[i] = sweptRow < 0 ? (parity ? 0 : Number.NaN) : store(sweptRow)
    }
  }
  return out
}
