// The order block of a breakout as the reference picks it, shared by the batch `ob` and the stream
// so the parity rules live in one place.

/**
 * The OB of swing row `s` broken by the close of row `i`: writes `[row, top, bottom]` (unrounded)
 * into `out`. Bullish: the candle of lowest low in s+1 … i-1 (the last of equal lows) spanning its
 * low … high, or, when i = s+1, the swing candle itself with top = its LOW and bottom = its HIGH
 * (reference quirk). Bearish: the candle of highest high in s+1 … i-1 (the last of equal highs),
 * or the swing candle itself.
 */
export function obCandle(out: Float64Array, bullish: boolean, s: number, i: number, H: Float64Array, L: Float64Array): void {
  let c: number
  if (i - s < 2) c = s
  else if (bullish) {
    c = s + 1
    for (let k = s + 2; k < i; k++) if (L[k]! <= L[c]!) c = k
  } else {
    c = s + 1
    for (let k = s + 2; k < i; k++) if (H[k]! >= H[c]!) c = k
  }
  const quirk = bullish && c === s
  out[0] = c
  out[1] = quirk ? L[c]! : H[c]!
  out[2] = quirk ? H[c]! : L[c]!
}

/** Volume of the breakout on row `i` and the two rows before it (float32). */
export function obVolume(V: Float64Array, i: number): number {
  return Math.fround(V[i]! + vAt(V, i - 1) + vAt(V, i - 2))
}

/**
 * min/max of the OB's two volume legs × 100 (float32); 100 when both are zero. The legs are row
 * i-2 and rows i-1 … i, in that order for a bullish OB and the other way round for a bearish one.
 */
export function obPercentage(V: Float64Array, i: number, bullish: boolean): number {
  const early = Math.fround(vAt(V, i - 2))
  const late = Math.fround(V[i]! + vAt(V, i - 1))
  return bullish ? percentage(early, late) : percentage(late, early)
}

const vAt = (V: Float64Array, k: number): number => (k >= 0 ? V[k]! : 0)

const percentage = (lowVol: number, highVol: number): number => {
  const mx = lowVol > highVol ? lowVol : highVol
  if (mx === 0) return 100
  const mn = lowVol < highVol ? lowVol : highVol
  // float32 / float32 then × 100 in float32: double-then-fround is exact for these operations.
  return Math.fround(Math.fround(mn / mx) * 100)
}
