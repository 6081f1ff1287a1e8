/** The points a downsampling keeps, and the time step it used. */
export interface Downsampled {
  /** Indices into the input, ascending. */
  indices: number[]
  /** The bucket width in seconds; null when nothing was dropped (the input fit in `maxPoints`). */
  granularitySeconds: number | null
}

/**
 * Thin a time series to at most `maxPoints` of its own points (no averaging: every kept point is an
 * original one, values untouched) spaced by a fixed time step, always keeping the last point.
 *
 * The step is a whole multiple of the series' own spacing (its smallest positive gap, at least one
 * second): the smallest multiple w with span / w < maxPoints, so the buckets [t_last − (k+1)·w,
 * t_last − k·w) counted back from the last point are at most `maxPoints`. Each bucket keeps its
 * newest point. One-minute candles over two days (2,880 points) to 100 points: w = 29 minutes, 100
 * points, the last one included. Gaps in the series leave buckets empty (fewer points).
 *
 * @param times epoch ms, ascending (ties allowed)
 */
export function downsample(times: ArrayLike<number>, maxPoints: number): Downsampled {
  const n = times.length
  if (n <= maxPoints) return { indices: Array.from({ length: n }, (_, i) => i), granularitySeconds: null }
  const first = times[0]!
  const last = times[n - 1]!
  let gap = Infinity
  for (let i = 1; i < n; i++) {
    const d = times[i]! - times[i - 1]!
    if (d > 0 && d < gap) gap = d
  }
  const unit = Math.max(1000, Number.isFinite(gap) ? gap : 1000)
  const span = last - first
  const width = (Math.floor(span / (unit * maxPoints)) + 1) * unit
  const kept: number[] = []
  let bucket = -1
  for (let i = n - 1; i >= 0; i--) {
    const b = Math.floor((last - times[i]!) / width)
    if (b !== bucket) {
      kept.push(i)
      bucket = b
    }
  }
  kept.reverse()
  return { indices: kept, granularitySeconds: width / 1000 }
}
