import { MinHeap } from '../internal/min-heap'
import { causalGaps, type CausalZones } from '../causal/zones'
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
 * One forward pass with open gaps in heaps, O(n log n) worst case (the reference rescans the
 * rest of the series for every gap, O(n²)).
 *
 * @example
 * const r = fvg(candles)                            // parity defaults
 * const joined = fvg(candles, { joinConsecutive: true })
 * for (let i = 0; i < r.fvg.length; i++) if (r.fvg[i] === 1) console.log(i, r.bottom[i], r.top[i])
 * // Causal: each gap known at i+1, with its tested / mitigated / invalidated candles as events.
 * const { zones, zoneEvents } = fvg(candles, { mode: 'causal' })
 */
export function fvg(candles: Pick<Candles, 'open' | 'high' | 'low' | 'close'>, options: { mode: 'causal' }): CausalZones
export function fvg(candles: Pick<Candles, 'open' | 'high' | 'low' | 'close'>, options?: FvgOptions & { mode?: 'parity' }): FvgResult
export function fvg(
  candles: Pick<Candles, 'open' | 'high' | 'low' | 'close'>,
  options: FvgOptions & { mode?: 'parity' | 'causal' } = {},
): FvgResult | CausalZones {
  if (options.mode === 'causal') return causalGaps(candles)
  const { joinConsecutive = false, parity = true } = options
  const { open: O, high: H, low: L, close: C } = candles
  const n = C.length
  const dir = new Float64Array(n).fill(Number.NaN)
  const top = new Float64Array(n).fill(Number.NaN)
  const bottom = new Float64Array(n).fill(Number.NaN)
  const mit = new Float64Array(n).fill(Number.NaN)
  const never = parity ? 0 : Number.NaN
  // Open gaps wait in two heaps keyed so that the root is the first to be mitigated: bullish by
  // highest Top (mitigated once low <= Top: keyed -Top), bearish by lowest Bottom (once high >= Bottom).
  // Most gaps close within a few dozen candles, so the heaps stay tiny; worst case O(n log n).
  const bull = new MinHeap(64)
  const bear = new MinHeap(64)

  // One forward pass over the current row j. The reference joins in a separate sequential loop
  // ("if FVG[i] == FVG[i+1], merge i into i+1"); merging row j-2 into j-1 right after detecting
  // j-1 is the same, and leaves row j-2 final, so it starts waiting for mitigation at j = i+2.
  // Candle direction is a coin flip, so detection is branch-free arithmetic on 0/1 values
  // (a mispredicted branch per candle costs more than the rest of the loop).
  let hPrev = n > 0 ? H[0]! : 0
  let lPrev = n > 0 ? L[0]! : 0
  let hCur = n > 1 ? H[1]! : 0
  let lCur = n > 1 ? L[1]! : 0
  let dLast = 0 // direction detected on row j-2 (after any merge), 0 = none
  for (let j = 2; j < n; j++) {
    const i = j - 1 // detect row i, which needs row i+1 = j
    const hj = H[j]!
    const lj = L[j]!
    const c = C[i]!
    const o = O[i]!
    const d = (+(c > o) & +(hPrev < lj)) - (+(c < o) & +(lPrev > hj))
    if (d !== 0) {
      dir[i] = d
      top[i] = d === 1 ? lj : lPrev
      bottom[i] = d === 1 ? hPrev : hj
      if (joinConsecutive && dLast === d) {
        if (top[i - 1]! > top[i]!) top[i] = top[i - 1]!
        if (bottom[i - 1]! < bottom[i]!) bottom[i] = bottom[i - 1]!
        dir[i - 1] = top[i - 1] = bottom[i - 1] = Number.NaN
      }
    }
    // Row j-2 is final now: from j on it can be mitigated.
    const g = j - 2
    const dg = dir[g]!
    if (dg === 1) bull.push(g, -top[g]!)
    else if (dg === -1) bear.push(g, bottom[g]!)
    while (bull.size > 0 && -bull.rootKey() >= lj) mit[bull.pop()] = j
    while (bear.size > 0 && bear.rootKey() <= hj) mit[bear.pop()] = j
    dLast = d
    hPrev = hCur
    lPrev = lCur
    hCur = hj
    lCur = lj
  }

  // Still open at the end, or on row n-2 (nothing from i+2 on to search).
  for (let i = 1; i < n - 1; i++) if (dir[i] === dir[i] && mit[i] !== mit[i]) mit[i] = never

  return { fvg: dir, top, bottom, mitigatedIndex: mit }
}
