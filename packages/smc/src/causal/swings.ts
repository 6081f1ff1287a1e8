import { candleCount } from '../internal/validate'
import type { Candles } from '../types'
import type { CausalSwing } from './types'

/** The swing length, checked (same rule as the parity swings). */
export function checkSwingLength(swingLength: number): number {
  if (!Number.isInteger(swingLength) || swingLength < 1) {
    throw new RangeError(`swingLength must be a positive integer, got ${swingLength}`)
  }
  return swingLength
}

/**
 * Causal pivots: row i is a swing high when its high is above every high of the w rows after it and
 * not below any of the w rows before it (the first of equal highs to the right wins), a swing low
 * mirrored; an outside candle can be both (the high comes first). Known at row i + w, so a pivot
 * needs w candles on each side and the last w rows are never pivots yet. Consecutive pivots of one
 * type are all kept (collapsing them, as the parity swings do, would rewrite the past).
 */
export function causalSwings(candles: Pick<Candles, 'high' | 'low' | 'open' | 'close'>, swingLength = 50): CausalSwing[] {
  const w = checkSwingLength(swingLength)
  const n = candleCount(candles as Candles)
  const { high: H, low: L } = candles
  const out: CausalSwing[] = []
  for (let i = w; i + w < n; i++) {
    const h = H[i]!
    let isHigh = true
    for (let d = 1; isHigh && d <= w; d++) isHigh = H[i + d]! < h && H[i - d]! <= h
    if (isHigh) out.push({ index: i, type: 1, level: h, confirmedAt: i + w })
    const l = L[i]!
    let isLow = true
    for (let d = 1; isLow && d <= w; d++) isLow = L[i + d]! > l && L[i - d]! >= l
    if (isLow) out.push({ index: i, type: -1, level: l, confirmedAt: i + w })
  }
  return out
}
