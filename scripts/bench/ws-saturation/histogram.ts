// Latency histogram with 50 µs buckets up to 500 ms: cheap to fill per frame in the load
// generator, and mergeable across client processes (summing buckets).

export const BUCKET_US = 50
export const BUCKETS = 10_000

/** Sparse form for IPC: [bucket, count, bucket, count, …]. */
export function sparse(h: Uint32Array): number[] {
  const out: number[] = []
  for (let i = 0; i < h.length; i++) if (h[i]) out.push(i, h[i]!)
  return out
}

/** Percentile `p` (0–100) in ms of merged sparse histograms plus `over` samples past the last bucket. */
export function percentile(parts: { hist: number[]; over: number }[], p: number): number {
  const h = new Float64Array(BUCKETS)
  let n = 0
  for (const part of parts) {
    for (let i = 0; i < part.hist.length; i += 2) h[part.hist[i]!]! += part.hist[i + 1]!
    n += part.hist.reduce((a, v, i) => (i % 2 ? a + v : a), 0) + part.over
  }
  if (n === 0) return NaN
  const rank = Math.ceil((p / 100) * n)
  let seen = 0
  for (let i = 0; i < BUCKETS; i++) {
    seen += h[i]!
    if (seen >= rank) return ((i + 1) * BUCKET_US) / 1000
  }
  return Infinity
}
