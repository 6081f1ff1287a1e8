import { candleCount } from '../internal/validate'
import type { Candles } from '../types'
import type { CausalBreak, CausalSwing } from './types'

/** The checked swing list of a causal call: ordered by confirmedAt, every one known within the candles. */
export function checkCausalSwings(swings: readonly CausalSwing[], n: number): void {
  if (!Array.isArray(swings)) throw new RangeError("swings: mode 'causal' takes the causal swing list (swingHighsLows(candles, { mode: 'causal' }))")
  let last = -1
  for (const s of swings) {
    if (!(s.confirmedAt >= last && s.confirmedAt < n && s.index >= 0 && s.index <= s.confirmedAt)) {
      throw new RangeError('swings: causal swings must be ordered by confirmedAt, each within the candles and confirmed at or after its row')
    }
    last = s.confirmedAt
  }
}

/**
 * Causal structure breaks: at each candle the latest confirmed swing high (low) is broken once the
 * close (or the high / low without `closeBreak`) goes beyond it; each swing breaks at most once. A
 * break against the direction of the previous break is a CHOCH, otherwise a BOS (the first break is
 * a BOS). Swings confirmed at a candle count from that candle on; bullish breaks are checked first.
 */
export function causalBreaks(candles: Candles, swings: readonly CausalSwing[], closeBreak = true): CausalBreak[] {
  const n = candleCount(candles)
  checkCausalSwings(swings, n)
  const up = closeBreak ? candles.close : candles.high
  const down = closeBreak ? candles.close : candles.low
  const out: CausalBreak[] = []
  let hi: CausalSwing | undefined
  let lo: CausalSwing | undefined
  let hiBroken = false
  let loBroken = false
  let trend = 0
  let k = 0
  for (let t = 0; t < n; t++) {
    for (; k < swings.length && swings[k]!.confirmedAt === t; k++) {
      const s = swings[k]!
      if (s.type === 1) {
        hi = s
        hiBroken = false
      } else {
        lo = s
        loBroken = false
      }
    }
    if (hi && !hiBroken && up[t]! > hi.level) {
      hiBroken = true
      out.push({ kind: trend === -1 ? 'choch' : 'bos', direction: 1, level: hi.level, swingIndex: hi.index, confirmedAt: t })
      trend = 1
    }
    if (lo && !loBroken && down[t]! < lo.level) {
      loBroken = true
      out.push({ kind: trend === 1 ? 'choch' : 'bos', direction: -1, level: lo.level, swingIndex: lo.index, confirmedAt: t })
      trend = -1
    }
  }
  return out
}
