import { f64Columns } from '../internal/columns'
import type { CausalSwing, PremiumDiscount, PremiumDiscountPoint } from './types'

/** The equilibrium band, checked: a fraction of the range in [0, 1). */
export function checkBand(band: number): number {
  if (!(band >= 0 && band < 1)) throw new RangeError(`equilibriumBand must be in [0, 1), got ${band}`)
  return band
}

/** One candle's values from the dealing range `hi` / `lo` (NaN when either is missing) and its close. */
export function premiumDiscountPoint(out: PremiumDiscountPoint, hi: number, lo: number, close: number, band: number): PremiumDiscountPoint {
  if (!(hi > lo)) {
    out.rangeHigh = out.rangeLow = out.equilibrium = out.position = out.zone = Number.NaN
    return out
  }
  const position = (close - lo) / (hi - lo)
  out.rangeHigh = hi
  out.rangeLow = lo
  out.equilibrium = (hi + lo) / 2
  out.position = position
  out.zone = position > 0.5 + band / 2 ? 1 : position < 0.5 - band / 2 ? -1 : 0
  return out
}

/**
 * Premium / discount per candle: the dealing range is the latest swing high and swing low confirmed
 * at or before the candle (`swings` ordered by confirmedAt), the position that of its `close`.
 */
export function premiumDiscount(close: ArrayLike<number>, swings: readonly CausalSwing[], equilibriumBand = 0.05): PremiumDiscount {
  const band = checkBand(equilibriumBand)
  const n = close.length
  const out = f64Columns(['rangeHigh', 'rangeLow', 'equilibrium', 'position', 'zone'], n, Number.NaN)
  const p: PremiumDiscountPoint = { rangeHigh: 0, rangeLow: 0, equilibrium: 0, position: 0, zone: 0 }
  let hi = Number.NaN
  let lo = Number.NaN
  let k = 0
  for (let t = 0; t < n; t++) {
    for (; k < swings.length && swings[k]!.confirmedAt <= t; k++) {
      if (swings[k]!.type === 1) hi = swings[k]!.level
      else lo = swings[k]!.level
    }
    premiumDiscountPoint(p, hi, lo, close[t]!, band)
    out.rangeHigh[t] = p.rangeHigh
    out.rangeLow[t] = p.rangeLow
    out.equilibrium[t] = p.equilibrium
    out.position[t] = p.position
    out.zone[t] = p.zone
  }
  return out
}
