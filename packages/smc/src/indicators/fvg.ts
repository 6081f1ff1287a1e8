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
 * Runs in O(n log n): the reference rescans the rest of the series for every gap (O(n²)).
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

  for (let i = 1; i < n - 1; i++) {
    const c = C[i]!
    const o = O[i]!
    if (c > o) {
      if (H[i - 1]! < L[i + 1]!) {
        dir[i] = 1
        top[i] = L[i + 1]!
        bottom[i] = H[i - 1]!
      }
    } else if (c < o) {
      if (L[i - 1]! > H[i + 1]!) {
        dir[i] = -1
        top[i] = L[i - 1]!
        bottom[i] = H[i + 1]!
      }
    }
  }

  if (joinConsecutive) {
    // Sequential on purpose: each merge feeds the next, so a run collapses onto its last row.
    for (let i = 0; i < n - 1; i++) {
      const d = dir[i]!
      if (d === d && d === dir[i + 1]) {
        if (top[i]! > top[i + 1]!) top[i + 1] = top[i]!
        if (bottom[i]! < bottom[i + 1]!) bottom[i + 1] = bottom[i]!
        dir[i] = top[i] = bottom[i] = Number.NaN
      }
    }
  }

  // Mitigation = "first j >= i+2 with low[j] <= top" (bullish) / "high[j] >= bottom" (bearish).
  // Sweeping right to left, a stack holds the strict running minima of low (maxima of high) seen
  // from the current start: the first row at or below a threshold is always one of those minima,
  // so each query is a binary search instead of a linear rescan.
  const never = parity ? 0 : Number.NaN
  const lowStack = new Int32Array(n)
  const highStack = new Int32Array(n)
  let lowTop = 0 // stack sizes; element [size-1] is the nearest row
  let highTop = 0
  for (let s = n - 1; s >= 2; s--) {
    const ls = L[s]!
    while (lowTop > 0 && L[lowStack[lowTop - 1]!]! >= ls) lowTop--
    lowStack[lowTop++] = s
    const hs = H[s]!
    while (highTop > 0 && H[highStack[highTop - 1]!]! <= hs) highTop--
    highStack[highTop++] = s

    const i = s - 2
    const d = dir[i]!
    if (d === 1) {
      // Stack values decrease from the top (nearest, highest low) to the bottom (farthest, lowest).
      // Want the nearest entry with low <= t: the topmost index k with L[stack[k]] <= t.
      const t = top[i]!
      let lo = 0
      let hi = lowTop - 1
      let found = -1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (L[lowStack[mid]!]! <= t) {
          found = mid
          lo = mid + 1
        } else hi = mid - 1
      }
      mit[i] = found < 0 ? never : lowStack[found]!
    } else if (d === -1) {
      const b = bottom[i]!
      let lo = 0
      let hi = highTop - 1
      let found = -1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (H[highStack[mid]!]! >= b) {
          found = mid
          lo = mid + 1
        } else hi = mid - 1
      }
      mit[i] = found < 0 ? never : highStack[found]!
    }
  }
  // A gap on row n-2 has no j >= i+2 to search; the loop above never reaches it.
  if (n >= 3 && dir[n - 2] === dir[n - 2]) mit[n - 2] = never

  return { fvg: dir, top, bottom, mitigatedIndex: mit }
}
