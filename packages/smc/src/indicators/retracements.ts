import { retracementRow } from '../internal/retracement-step'
import { candleCount, checkSwings } from '../internal/validate'
import type { SwingHighsLows } from './swing-highs-lows'
import type { Candles } from '../types'

/** Retracements, one row per candle. */
export interface Retracements {
  /** 1 = last swing was a high, -1 = a low, 0 = warm-up. */
  direction: Int32Array
  /** Retracement of the current leg in percent, Python-rounded to 0.1 (may be < 0 or > 100). */
  currentRetracement: Float64Array
  /** Deepest `currentRetracement` since the leg began. */
  deepestRetracement: Float64Array
}

/**
 * Retracement of price into the latest swing leg, in percent.
 *
 * Bit-exact with smartmoneyconcepts v0.0.27, whose quirks are part of the output: every column is
 * shifted down by one row (row i shows what was computed on row i-1, so it never uses the current
 * bar); a swing-high row that follows a down-leg reads 0; rows up to the third direction change
 * are zeroed as warm-up. No `parity: false` variant is offered: there is no unambiguous "clean"
 * reading of these rules, and the shift makes the output free of same-bar look-ahead already.
 *
 * @example
 * const swings = swingHighsLows(candles, { swingLength: 5 })
 * const { direction, currentRetracement, deepestRetracement } = retracements(candles, swings)
 */
export function retracements(candles: Candles, swings: SwingHighsLows): Retracements {
  const n = candleCount(candles)
  checkSwings(swings, n)
  const { high: H, low: L } = candles
  const { highLow: hl, level: lv } = swings
  const direction = new Int32Array(n)
  const current = new Float64Array(n)
  const deepest = new Float64Array(n)
  if (n === 0) return { direction, currentRetracement: current, deepestRetracement: deepest }

  const leg = { top: 0, bottom: 0, prevDir: 0, prevDeep: 0 }
  const step = new Float64Array(2)
  for (let i = 0; i < n; i++) {
    const dir = retracementRow(step, leg, i, n, hl[i]!, lv[i]!, L[i]!, H[i]!)
    // np.roll(…, 1): row i lands on i+1, and the last row wraps to row 0.
    const k = i + 1 === n ? 0 : i + 1
    direction[k] = dir
    current[k] = step[0]!
    deepest[k] = step[1]!
  }

  // Warm-up: zero every row until the third direction change (comparing pre-zeroing values).
  let changes = 0
  for (let i = 0; i + 1 < n; i++) {
    if (direction[i] !== direction[i + 1]) changes++
    direction[i] = 0
    current[i] = 0
    deepest[i] = 0
    if (changes === 3) {
      direction[i + 1] = 0
      current[i + 1] = 0
      deepest[i + 1] = 0
      break
    }
  }
  return { direction, currentRetracement: current, deepestRetracement: deepest }
}
