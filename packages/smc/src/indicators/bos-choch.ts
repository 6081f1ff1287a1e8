import { f64Columns } from '../internal/columns'
import { NextCrossing } from '../internal/next-crossing'
import { candleCount, checkSwings } from '../internal/validate'
import type { SwingHighsLows } from './swing-highs-lows'
import { causalBreaks } from '../causal/structure'
import type { CausalBreak, CausalSwing } from '../causal/types'
import type { Candles } from '../types'

/** Break of structure / change of character, one row per candle; NaN where there is none. */
export interface BosChoch {
  /** 1 = bullish BOS, -1 = bearish BOS. */
  bos: Float64Array
  /** 1 = bullish CHOCH, -1 = bearish CHOCH. */
  choch: Float64Array
  /** The broken swing level (float32-rounded in parity mode). */
  level: Float64Array
  /** Row of the candle that broke the level. */
  brokenIndex: Float64Array
}

export interface BosChochOptions {
  /** Break on the close (default) rather than on the high (bullish) / low (bearish). */
  closeBreak?: boolean
  /**
   * `true` (default): bit-exact with smartmoneyconcepts v0.0.27, quirks included:
   * - levels are stored as float32 and compared as such;
   * - the break search starts 2 rows after the signal row, before the 4th swing that confirms the
   *   pattern exists (look-ahead);
   * - when a newer break supersedes an older signal, the older row loses BOS/CHOCH/Level but keeps
   *   its BrokenIndex (rows like `NaN, NaN, NaN, 153`).
   *
   * `false`: levels are exact float64; the break search starts at the row of the swing that
   * completes the pattern (inclusive); a superseded signal is cleared entirely.
   */
  parity?: boolean
}

/**
 * Break of structure (BOS) and change of character (CHOCH) from a swing frame.
 *
 * For each run of four alternating swings a, b, c, d (oldest first) the signal sits on the row of
 * swing b with level b: bullish BOS when a < c < b < d (low, high, low, high), bullish CHOCH when
 * d > b > a > c; bearish mirrors on (high, low, high, low). A signal is kept only if a later close
 * (or high/low) breaks its level, and an older signal whose break comes at or after a newer
 * signal's break is dropped.
 *
 * @example
 * const swings = swingHighsLows(candles, { swingLength: 5 })
 * const { bos, choch, level, brokenIndex } = bosChoch(candles, swings, { closeBreak: true })
 * // bos[i] === 1: bullish BOS at row i, level[i] broken by candle brokenIndex[i]
 * // No look-ahead: each break is known at its candle (confirmedAt), see smcCausal.
 * const breaks = bosChoch(candles, swingHighsLows(candles, { swingLength: 5, mode: 'causal' }), { mode: 'causal' })
 */
export function bosChoch(candles: Candles, swings: readonly CausalSwing[], options: BosChochOptions & { mode: 'causal' }): CausalBreak[]
export function bosChoch(candles: Candles, swings: SwingHighsLows, options?: BosChochOptions & { mode?: 'parity' }): BosChoch
export function bosChoch(
  candles: Candles,
  swings: SwingHighsLows | readonly CausalSwing[],
  options: BosChochOptions & { mode?: 'parity' | 'causal' } = {},
): BosChoch | CausalBreak[] {
  if (options.mode === 'causal') return causalBreaks(candles, swings as readonly CausalSwing[], options.closeBreak ?? true)
  if (Array.isArray(swings)) throw new RangeError("swings: a causal swing list needs mode: 'causal'")
  const closeBreak = options.closeBreak ?? true
  const parity = options.parity ?? true
  const n = candleCount(candles)
  checkSwings(swings as SwingHighsLows, n)
  const { highLow: hl, level: lv } = swings as SwingHighsLows
  const out: BosChoch = f64Columns(['bos', 'choch', 'level', 'brokenIndex'], n, Number.NaN)
  const { bos: bosOut, choch: chochOut, level: levelOut, brokenIndex: brokenOut } = out

  // Signals in row order; for each: row, direction (+1/-1), kind (0 = BOS, 1 = CHOCH), level and
  // the first row the break search may look at.
  const sigRow = new Int32Array(n)
  const sigDir = new Int8Array(n)
  const sigKind = new Int8Array(n)
  const sigLevel = new Float64Array(n)
  const sigFrom = new Int32Array(n)
  let sigCount = 0

  // Sliding window over the last four swings (t = type, v = level, r = row), oldest first.
  let t1 = 0, t2 = 0, t3 = 0
  let v1 = 0, v2 = 0, v3 = 0
  let r2 = 0
  let r3 = 0
  let seen = 0
  for (let i = 0; i < n; i++) {
    const t4 = hl[i]!
    if (t4 !== t4) continue
    const v4 = lv[i]!
    if (++seen >= 4) {
      // a = v1, b = v2, c = v3, d = v4; the signal row is the row of b.
      let dir = 0
      let kind = 0
      // BOS and CHOCH exclude each other (a < c vs a > c), so one check order is as good as another.
      if (t1 === -1 && t2 === 1 && t3 === -1 && t4 === 1) {
        if (v1 < v3 && v3 < v2 && v2 < v4) {
          dir = 1
        } else if (v4 > v2 && v2 > v1 && v1 > v3) {
          dir = 1
          kind = 1
        }
      } else if (t1 === 1 && t2 === -1 && t3 === 1 && t4 === -1) {
        if (v1 > v3 && v3 > v2 && v2 > v4) {
          dir = -1
        } else if (v4 < v2 && v2 < v1 && v1 < v3) {
          dir = -1
          kind = 1
        }
      }
      if (dir !== 0) {
        sigRow[sigCount] = r2
        sigDir[sigCount] = dir
        sigKind[sigCount] = kind
        sigLevel[sigCount] = parity ? Math.fround(v2) : v2
        sigFrom[sigCount] = parity ? r2 + 2 : i
        sigCount++
      }
    }
    t1 = t2
    t2 = t3
    t3 = t4
    v1 = v2
    v2 = v3
    v3 = v4
    r2 = r3
    r3 = i
  }
  if (sigCount === 0) return out

  const up = new NextCrossing(closeBreak ? candles.close : candles.high, 'up')
  const down = new NextCrossing(closeBreak ? candles.close : candles.low, 'down')
  const broken = new Int32Array(sigCount)
  const alive = new Uint8Array(sigCount)
  // Broken, still-alive signals. Each break at j removes every earlier one broken at ≥ j and then
  // joins, so the stack's break rows strictly increase: clearing is popping from the top.
  const stack = new Int32Array(sigCount)
  let top = 0
  for (let s = 0; s < sigCount; s++) {
    const j = sigDir[s] === 1 ? up.strict(sigFrom[s]!, sigLevel[s]!) : down.strict(sigFrom[s]!, sigLevel[s]!)
    if (j < 0) continue
    broken[s] = j
    while (top > 0 && broken[stack[top - 1]!]! >= j) {
      // Parity keeps broken[] of the superseded signal: it is printed with NaN BOS/CHOCH/Level.
      if (!parity) broken[stack[top - 1]!] = 0
      top--
    }
    stack[top++] = s
  }
  for (let k = 0; k < top; k++) alive[stack[k]!] = 1

  for (let s = 0; s < sigCount; s++) {
    const row = sigRow[s]!
    if (broken[s] !== 0) brokenOut[row] = broken[s]!
    if (alive[s] === 0) continue
    if (sigKind[s] === 0) bosOut[row] = sigDir[s]!
    else chochOut[row] = sigDir[s]!
    levelOut[row] = sigLevel[s]!
  }
  return out
}
