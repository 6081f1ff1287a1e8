import { NextCrossing } from '../internal/next-crossing'
import type { Candles } from '../types'

export interface FvgOptions {
  /**
   * Merge runs of same-direction gaps onto the run's last row, with the run's highest Top and
   * lowest Bottom (reference `join_consecutive`). Default false.
   */
  joinConsecutive?: boolean
  /**
   * true (default): reproduce the reference exactly, including `mitigatedIndex = 0` for a gap that
   * is never mitigated. false: a never-mitigated gap gets `mitigatedIndex = NaN` instead, so 0 can
   * only ever mean "mitigated by row 0" (which is impossible anyway, as the search starts at i+2).
   */
  parity?: boolean
}

/** Columns of {@link fvg}; all Float64Array of the input length, NaN where there is no gap. */
export interface FvgResult {
  /** 1 bullish gap, -1 bearish gap, NaN none. Reference column `FVG`. */
  fvg: Float64Array
  /** Upper edge of the gap. Reference column `Top`. */
  top: Float64Array
  /** Lower edge of the gap. Reference column `Bottom`. */
  bottom: Float64Array
  /**
   * Row of the first candle (from i+2 on) that touched the gap's far edge; 0 if never (parity),
   * NaN where there is no gap. Reference column `MitigatedIndex`.
   */
  mitigatedIndex: Float64Array
}

/**
 * Fair value gaps, with exact parity to `smartmoneyconcepts` v0.0.27 `smc.fvg`.
 *
 * Row i is a bullish gap when candle i closes up and `high[i-1] < low[i+1]` (Top = low[i+1],
 * Bottom = high[i-1]); bearish when it closes down and `low[i-1] > high[i+1]` (Top = low[i-1],
 * Bottom = high[i+1]). A bullish gap is mitigated by the first row j ≥ i+2 with `low[j] <= Top`,
 * a bearish one by the first j ≥ i+2 with `high[j] >= Bottom`.
 *
 * One forward pass; each mitigation search is a block-summary query (the reference rescans the
 * rest of the series for every gap, O(n²)).
 *
 * @example
 * const r = fvg(candles)                            // parity defaults
 * const joined = fvg(candles, { joinConsecutive: true })
 * for (let i = 0; i < r.fvg.length; i++) if (r.fvg[i] === 1) console.log(i, r.bottom[i], r.top[i])
 */
export function fvg(
  candles: Pick<Candles, 'open' | 'high' | 'low' | 'close'>,
  options: FvgOptions = {},
): FvgResult {
  const { joinConsecutive = false, parity = true } = options
  const { open: O, high: H, low: L, close: C } = candles
  const n = C.length
  const dir = new Float64Array(n).fill(Number.NaN)
  const top = new Float64Array(n).fill(Number.NaN)
  const bottom = new Float64Array(n).fill(Number.NaN)
  const mit = new Float64Array(n).fill(Number.NaN)
  const never = parity ? 0 : Number.NaN
  // Bullish: first j >= i+2 with low <= Top; bearish: first j >= i+2 with high >= Bottom.
  const downLow = new NextCrossing(L, 'down')
  const upHigh = new NextCrossing(H, 'up')
  const settle = (i: number) => {
    const d = dir[i]
    if (d === 1) {
      const j = downLow.inclusive(i + 2, top[i]!)
      mit[i] = j < 0 ? never : j
    } else if (d === -1) {
      const j = upHigh.inclusive(i + 2, bottom[i]!)
      mit[i] = j < 0 ? never : j
    }
  }

  // One forward pass. The reference joins in a separate sequential loop "if FVG[i] == FVG[i+1],
  // merge i into i+1"; merging row i-1 into row i right after detecting row i is the same thing,
  // and row i-1 is final from then on, so its mitigation can be settled immediately.
  for (let i = 1; i < n - 1; i++) {
    const c = C[i]!
    const o = O[i]!
    let d = 0
    if (c > o) {
      if (H[i - 1]! < L[i + 1]!) {
        d = dir[i] = 1
        top[i] = L[i + 1]!
        bottom[i] = H[i - 1]!
      }
    } else if (c < o) {
      if (L[i - 1]! > H[i + 1]!) {
        d = dir[i] = -1
        top[i] = L[i - 1]!
        bottom[i] = H[i + 1]!
      }
    }
    if (joinConsecutive && d !== 0 && dir[i - 1] === d) {
      if (top[i - 1]! > top[i]!) top[i] = top[i - 1]!
      if (bottom[i - 1]! < bottom[i]!) bottom[i] = bottom[i - 1]!
      dir[i - 1] = top[i - 1] = bottom[i - 1] = Number.NaN
    }
    settle(i - 1)
  }
  if (n >= 3) settle(n - 2)

  return { fvg: dir, top, bottom, mitigatedIndex: mit }
}
