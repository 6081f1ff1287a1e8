import type { Candles } from '@smc-trading/smc'
import { bollinger, rsi, sma } from '../analytics/indicators'
import { smcTrendSeries } from './smc-trend'

/** Lags (in candles) of the log-return features. */
export const RETURN_LAGS = [1, 3, 6, 12] as const
export const RSI_PERIOD = 14
export const BOLLINGER_PERIOD = 20
export const BOLLINGER_K = 2
export const VOLUME_PERIOD = 20
/** Candles on each side of an SMC swing for the trend feature. */
export const DEFAULT_SWING_LENGTH = 5

/** The model's inputs, in column order. */
export const FEATURE_NAMES = [
  ...RETURN_LAGS.map((k) => `log_return_${k}` as const),
  `rsi_${RSI_PERIOD}`,
  `bollinger_pct_b_${BOLLINGER_PERIOD}`,
  `volume_ratio_${VOLUME_PERIOD}`,
  'smc_trend',
] as const
export type FeatureName = (typeof FEATURE_NAMES)[number]
export const FEATURE_COUNT = FEATURE_NAMES.length

/** Row-major features: row `t` (one per candle) holds `d` values, NaN where history is too short. */
export interface FeatureMatrix {
  readonly names: readonly string[]
  readonly rows: number
  readonly d: number
  readonly values: Float64Array
}

/** Whether every feature of row `t` is defined. */
export function rowComplete(m: FeatureMatrix, t: number): boolean {
  const o = t * m.d
  for (let j = 0; j < m.d; j++) {
    const v = m.values[o + j]!
    if (v !== v) return false
  }
  return true
}

/**
 * Causal features of every candle `t` (closed candles, ascending), each computed from candles
 * `≤ t` only:
 * - `log_return_k` = ln(close[t] / close[t−k]) for k ∈ {1, 3, 6, 12};
 * - `rsi_14`: Wilder's RSI of the closes (0 … 100);
 * - `bollinger_pct_b_20` = (close − lower) / (upper − lower) of Bollinger(20, 2σ population);
 *   0.5 when the band has zero width (20 equal closes);
 * - `volume_ratio_20` = volume[t] / SMA20(volume)[t] (the average includes t); 1 when that average is 0;
 * - `smc_trend`: +1 / −1 / 0, see {@link smcTrendSeries}.
 *
 * Rows before enough history are NaN (the caller skips them).
 *
 * @example
 * const f = computeFeatures(cols)
 * f.values[t * f.d + FEATURE_NAMES.indexOf('rsi_14')]
 */
export function computeFeatures(candles: Candles, swingLength = DEFAULT_SWING_LENGTH): FeatureMatrix {
  const n = candles.time.length
  const d = FEATURE_COUNT
  const values = new Float64Array(n * d).fill(Number.NaN)
  const C = candles.close
  const V = candles.volume
  const r = rsi(C, RSI_PERIOD)
  const bb = bollinger(C, BOLLINGER_PERIOD, BOLLINGER_K)
  const vAvg = sma(V, VOLUME_PERIOD)
  const trend = smcTrendSeries(candles, swingLength)
  const L = RETURN_LAGS.length
  for (let t = 0; t < n; t++) {
    const o = t * d
    const c = C[t]!
    for (let j = 0; j < L; j++) {
      const k = RETURN_LAGS[j]!
      if (t >= k && c > 0 && C[t - k]! > 0) values[o + j] = Math.log(c / C[t - k]!)
    }
    values[o + L] = r[t]!
    const up = bb.upper[t]!
    const lo = bb.lower[t]!
    if (up === up && lo === lo) values[o + L + 1] = up > lo ? (c - lo) / (up - lo) : 0.5
    const avg = vAvg[t]!
    if (avg === avg) values[o + L + 2] = avg > 0 ? V[t]! / avg : 1
    values[o + L + 3] = trend[t]!
  }
  return { names: FEATURE_NAMES, rows: n, d, values }
}
