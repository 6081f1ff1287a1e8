import { NextCrossing } from '../internal/next-crossing'
import { obCandle, obPercentage, obVolume } from '../internal/ob-candle'
import { candleCount, checkSwings } from '../internal/validate'
import type { SwingHighsLows } from './swing-highs-lows'
import { causalBreaks } from '../causal/structure'
import type { CausalSwing } from '../causal/types'
import { causalOrderBlocks, type CausalZones } from '../causal/zones'
import type { Candles } from '../types'

/** Order blocks, one row per candle (the OB candle); NaN where there is none. */
export interface OrderBlocks {
  /** 1 = bullish, -1 = bearish. */
  ob: Float64Array
  /** float32-rounded in parity mode. For a bullish OB formed right after its swing, top < bottom (reference quirk). */
  top: Float64Array
  bottom: Float64Array
  /** Volume of the breakout candle and the two before it (float32). */
  obVolume: Float64Array
  /** Row at which the OB was mitigated; 0 = never in parity mode, NaN with `parity: false`. */
  mitigatedIndex: Float64Array
  /** min/max of the two volume legs × 100 (float32); 100 when volume is zero. */
  percentage: Float64Array
}

export interface OrderBlocksOptions {
  /** Mitigate on the candle body (min/max of open and close) instead of the wick. Default false. */
  closeMitigation?: boolean
  /**
   * `true` (default): bit-exact with smartmoneyconcepts v0.0.27, quirks included: a never-mitigated
   * OB has MitigatedIndex 0; a bullish OB records the row BEFORE the mitigating candle; a bearish OB
   * on the same row as a bullish one inherits the bullish breaker state and MitigatedIndex.
   *
   * `false`: never mitigated = NaN; both directions record the mitigating candle's row; the bearish
   * pass starts from a clean state (if both directions land on one row, the bearish OB is shown).
   */
  parity?: boolean
}

/**
 * Order blocks. When a close breaks above the last swing high (each swing used once), the candle
 * with the lowest low between the swing and the breakout becomes a bullish OB (bearish: mirrored).
 * An OB is mitigated when price trades through its bottom (bullish) / top (bearish), becoming a
 * breaker, and disappears once price then trades beyond its other edge.
 *
 * @example
 * const swings = swingHighsLows(candles, { swingLength: 5 })
 * const obs = ob(candles, swings, { closeMitigation: false })
 * // obs.ob[i] === 1: bullish OB on candle i spanning obs.bottom[i] … obs.top[i]
 * // Causal: order blocks formed by each structure break, their breakers and lifecycle events.
 * const { zones, zoneEvents } = ob(candles, swingHighsLows(candles, { swingLength: 5, mode: 'causal' }), { mode: 'causal' })
 */
export function ob(candles: Candles, swings: readonly CausalSwing[], options: OrderBlocksOptions & { mode: 'causal'; closeBreak?: boolean }): CausalZones
export function ob(candles: Candles, swings: SwingHighsLows, options?: OrderBlocksOptions & { mode?: 'parity' }): OrderBlocks
export function ob(
  candles: Candles,
  swings: SwingHighsLows | readonly CausalSwing[],
  options: OrderBlocksOptions & { mode?: 'parity' | 'causal'; closeBreak?: boolean } = {},
): OrderBlocks | CausalZones {
  if (options.mode === 'causal') {
    const breaks = causalBreaks(candles, swings as readonly CausalSwing[], options.closeBreak ?? true)
    return causalOrderBlocks(candles, breaks, options.closeMitigation ?? false)
  }
  if (Array.isArray(swings)) throw new RangeError("swings: a causal swing list needs mode: 'causal'")
  const closeMitigation = options.closeMitigation ?? false
  const parity = options.parity ?? true
  const n = candleCount(candles)
  checkSwings(swings as SwingHighsLows, n)
  if (candles.volume.length !== n) throw new RangeError('candles: volume must have one value per candle')
  const hl = (swings as SwingHighsLows).highLow
  const { open: O, high: H, low: L, close: C, volume: V } = candles

  // Shared by both passes, as in the reference: the bearish pass sees the bullish breaker/mit state.
  const dir = new Int8Array(n)
  const top = new Float64Array(n)
  const bottom = new Float64Array(n)
  const vol = new Float64Array(n)
  const pct = new Float64Array(n)
  const mit = new Float64Array(n)
  const breaker = new Uint8Array(n)

  const highUp = new NextCrossing(H, 'up')
  const lowDown = new NextCrossing(L, 'down')
  let bodyLowDown = lowDown
  let bodyHighUp = highUp
  if (closeMitigation) {
    const bodyLow = new Float64Array(n)
    const bodyHigh = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const o = O[i]!
      const c = C[i]!
      bodyLow[i] = o < c ? o : c
      bodyHigh[i] = o > c ? o : c
    }
    bodyLowDown = new NextCrossing(bodyLow, 'down')
    bodyHighUp = new NextCrossing(bodyHigh, 'up')
  }

  const picked = new Float64Array(3)
  const reset = (c: number): void => {
    dir[c] = 0
    top[c] = bottom[c] = vol[c] = pct[c] = mit[c] = 0
  }

  // ---- Bullish pass ----
  let s = -1
  let crossed = false
  for (let i = 0; i < n; i++) {
    if (s >= 0 && !crossed && C[i]! > H[s]!) {
      crossed = true
      obCandle(picked, true, s, i, H, L)
      const c = picked[0]!
      dir[c] = 1
      const tf = (top[c] = Math.fround(picked[1]!))
      const bf = (bottom[c] = Math.fround(picked[2]!))
      vol[c] = obVolume(V, i)
      pct[c] = obPercentage(V, i, true)
      // Independent lifecycle: mitigation (→ breaker) from i+1, then reset from the bar after.
      const m = bodyLowDown.strict(i + 1, bf)
      if (m >= 0) {
        breaker[c] = 1
        mit[c] = parity ? m - 1 : m
        if (highUp.strict(m + 1, tf) >= 0) reset(c)
      }
    }
    if (hl[i] === 1) {
      s = i
      crossed = false
    }
  }

  // ---- Bearish pass ----
  if (!parity) breaker.fill(0)
  s = -1
  crossed = false
  for (let i = 0; i < n; i++) {
    if (s >= 0 && !crossed && C[i]! < L[s]!) {
      crossed = true
      obCandle(picked, false, s, i, H, L)
      const c = picked[0]!
      dir[c] = -1
      const tf = (top[c] = Math.fround(picked[1]!))
      const bf = (bottom[c] = Math.fround(picked[2]!))
      vol[c] = obVolume(V, i)
      pct[c] = obPercentage(V, i, false)
      if (breaker[c]) {
        // Parity quirk: a bullish OB on this row already turned breaker, so this bearish OB skips
        // mitigation and keeps the bullish MitigatedIndex.
        if (lowDown.strict(i + 1, bf) >= 0) reset(c)
      } else {
        if (!parity) mit[c] = 0
        const m = bodyHighUp.strict(i + 1, tf)
        if (m >= 0) {
          breaker[c] = 1
          mit[c] = m
          if (lowDown.strict(m + 1, bf) >= 0) reset(c)
        }
      }
    }
    if (hl[i] === -1) {
      s = i
      crossed = false
    }
  }

  const obOut = new Float64Array(n).fill(Number.NaN)
  const topOut = new Float64Array(n).fill(Number.NaN)
  const bottomOut = new Float64Array(n).fill(Number.NaN)
  const volOut = new Float64Array(n).fill(Number.NaN)
  const mitOut = new Float64Array(n).fill(Number.NaN)
  const pctOut = new Float64Array(n).fill(Number.NaN)
  for (let c = 0; c < n; c++) {
    if (dir[c] === 0) continue
    obOut[c] = dir[c]!
    topOut[c] = top[c]!
    bottomOut[c] = bottom[c]!
    volOut[c] = vol[c]!
    mitOut[c] = !parity && mit[c] === 0 ? Number.NaN : mit[c]!
    pctOut[c] = pct[c]!
  }
  return { ob: obOut, top: topOut, bottom: bottomOut, obVolume: volOut, mitigatedIndex: mitOut, percentage: pctOut }
}
