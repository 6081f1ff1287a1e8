/** The model's classes, in output order. */
export const DIRECTIONS = ['up', 'flat', 'down'] as const
export type Direction = (typeof DIRECTIONS)[number]
export const UP = 0
export const FLAT = 1
export const DOWN = 2

/** Share of training samples labelled flat: the flat band is this quantile of |forward return|. */
export const FLAT_SHARE = 1 / 3

/**
 * Forward log return over `h` candles: ln(close[t+h] / close[t]); NaN where t+h is past the end.
 *
 * @example
 * forwardReturns(close, 4)[t] // the label's raw value for candle t
 */
export function forwardReturns(close: Float64Array, h: number): Float64Array {
  const n = close.length
  const out = new Float64Array(n).fill(Number.NaN)
  for (let t = 0; t + h < n; t++) {
    const a = close[t]!
    const b = close[t + h]!
    if (a > 0 && b > 0) out[t] = Math.log(b / a)
  }
  return out
}

/**
 * The flat band τ from training returns: the {@link FLAT_SHARE} quantile of |r| (lower empirical
 * quantile), so about a third of the training samples are flat and the rest split by sign.
 *
 * @example
 * flatBand([0.01, -0.002, 0.004]) // 0.002
 */
export function flatBand(returns: ArrayLike<number>): number {
  const abs = Array.from(returns, (r) => Math.abs(r)).sort((a, b) => a - b)
  if (abs.length === 0) return 0
  return abs[Math.min(abs.length - 1, Math.floor(FLAT_SHARE * abs.length))]!
}

/**
 * The class of a forward log return: up when r > τ, down when r < −τ, flat otherwise.
 *
 * @example
 * directionOf(0.003, 0.001) // UP
 */
export function directionOf(r: number, band: number): number {
  return r > band ? UP : r < -band ? DOWN : FLAT
}
