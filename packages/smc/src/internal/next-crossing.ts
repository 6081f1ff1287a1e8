/**
 * "First index j ≥ from where values[j] crosses a threshold" queries over a static column, the
 * building block of every break / mitigation / sweep search.
 *
 * Breaks usually happen within a few bars, so each query first probes a short linear window;
 * only queries that run past it (never-mitigated zones, far breaks) fall back to a max-segment tree,
 * built lazily on first need. Worst case O(log n) per query instead of O(n), which keeps the
 * indicators O(n log n) even when most levels are never broken.
 *
 * NaN values never satisfy a condition (as a pandas comparison with NaN is False).
 */
const PROBE = 32

export class NextCrossing {
  private tree: Float64Array | undefined
  private size = 0
  private readonly n: number

  /**
   * @param values the column to search (not copied: do not mutate it while this object is in use)
   * @param direction `'up'` answers "values[j] > x" (or ≥), `'down'` answers "values[j] < x" (or ≤)
   */
  constructor(
    private readonly values: ArrayLike<number>,
    private readonly direction: 'up' | 'down',
  ) {
    this.n = values.length
  }

  /** First j ≥ from with values[j] > x ('up') or values[j] < x ('down'); -1 if none. */
  strict(from: number, x: number): number {
    return this.find(from, x, true)
  }

  /** First j ≥ from with values[j] ≥ x ('up') or values[j] ≤ x ('down'); -1 if none. */
  inclusive(from: number, x: number): number {
    return this.find(from, x, false)
  }

  private find(from: number, x: number, strict: boolean): number {
    const n = this.n
    if (from < 0) from = 0
    if (from >= n || Number.isNaN(x)) return -1
    const v = this.values
    const up = this.direction === 'up'
    const probeEnd = Math.min(n, from + PROBE)
    for (let j = from; j < probeEnd; j++) {
      const y = v[j]!
      if (up ? (strict ? y > x : y >= x) : strict ? y < x : y <= x) return j
    }
    if (probeEnd >= n) return -1
    // The tree stores values negated for 'down', so a single "max ≥/> threshold" descent serves both.
    const thr = up ? x : -x
    // Tree padding and NaN leaves are -Infinity, which "≥ -Infinity" would accept: scan instead.
    if (thr === Number.NEGATIVE_INFINITY && !strict) {
      for (let j = probeEnd; j < n; j++) if (v[j] === v[j]) return j
      return -1
    }
    const t = this.tree ?? this.build()
    const size = this.size
    let node = probeEnd + size
    if (!(strict ? t[node]! > thr : t[node]! >= thr)) {
      for (;;) {
        // Climb while we are a right child; then step to the right sibling, which covers the
        // range immediately after everything examined so far.
        while (node & 1) node >>= 1
        if (node === 0) return -1
        node++
        if (strict ? t[node]! > thr : t[node]! >= thr) break
      }
      while (node < size) {
        const l = t[2 * node]!
        node = (strict ? l > thr : l >= thr) ? 2 * node : 2 * node + 1
      }
    }
    const j = node - size
    return j < n ? j : -1
  }

  private build(): Float64Array {
    const n = this.n
    let size = 1
    while (size < n) size <<= 1
    const t = new Float64Array(2 * size).fill(Number.NEGATIVE_INFINITY)
    const v = this.values
    const sign = this.direction === 'up' ? 1 : -1
    for (let j = 0; j < n; j++) {
      const y = v[j]!
      // NaN must never match: store it as -Infinity so it neither satisfies nor hides a sibling.
      t[size + j] = y === y ? sign * y : Number.NEGATIVE_INFINITY
    }
    for (let k = size - 1; k >= 1; k--) {
      const l = t[2 * k]!
      const r = t[2 * k + 1]!
      t[k] = l >= r ? l : r
    }
    this.size = size
    this.tree = t
    return t
  }
}
