/**
 * "First index j ≥ from where values[j] crosses a threshold" queries over a static column, the
 * building block of every break / mitigation / sweep search.
 *
 * Breaks usually happen within a few bars, so a query first scans linearly to the end of its
 * 32-row block. Only queries that run past it (never-mitigated zones, far breaks) use two levels of
 * block maxima (per 32 rows and per 1024 rows), built lazily in one O(n) pass on first need. A query
 * then costs at most ~32 + 32 + n/1024 + 32 + 32 comparisons instead of O(n). (A segment tree
 * gives O(log n) too, but building its 2·2^k nodes cost more than all the queries together here.)
 *
 * NaN values never satisfy a condition (as a pandas comparison with NaN is False).
 */
const SHIFT1 = 5 // 32 rows per block
const SHIFT2 = 10 // 1024 rows per group

export class NextCrossing {
  private block: Float64Array | undefined
  private group: Float64Array | undefined
  private readonly n: number
  private readonly sign: number

  /**
   * @param values the column to search (not copied: do not mutate it while this object is in use)
   * @param direction `'up'` answers "values[j] > x" (or ≥), `'down'` answers "values[j] < x" (or ≤)
   */
  constructor(
    private readonly values: ArrayLike<number>,
    direction: 'up' | 'down',
  ) {
    this.n = values.length
    this.sign = direction === 'up' ? 1 : -1
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
    if (from >= n || x !== x) return -1
    const v = this.values
    // Work in "up" space: for 'down', y < x ⇔ -y > -x (negation is exact).
    const sg = this.sign
    const t = sg * x
    const end0 = Math.min(n, ((from >> SHIFT1) + 1) << SHIFT1)
    for (let j = from; j < end0; j++) {
      const y = sg * v[j]!
      if (strict ? y > t : y >= t) return j
    }
    if (end0 >= n) return -1
    // Summaries hold -Infinity for all-NaN blocks, which "≥ -Infinity" would accept: scan instead.
    if (!strict && t === Number.NEGATIVE_INFINITY) {
      for (let j = end0; j < n; j++) if (v[j] === v[j]) return j
      return -1
    }
    const block = this.block ?? this.build()
    const group = this.group!
    const nBlocks = block.length
    let b = end0 >> SHIFT1
    // Remaining blocks of the current group, then whole groups, then descend. The next group is
    // derived from the starting block: the clamped end would map back to the current group.
    const nextGroup = (b >> (SHIFT2 - SHIFT1)) + 1
    const groupEnd = Math.min(nBlocks, nextGroup << (SHIFT2 - SHIFT1))
    for (; b < groupEnd; b++) if (strict ? block[b]! > t : block[b]! >= t) return this.scanBlock(b, t, strict)
    for (let g = nextGroup; g < group.length; g++) {
      if (!(strict ? group[g]! > t : group[g]! >= t)) continue
      const bEnd = Math.min(nBlocks, (g + 1) << (SHIFT2 - SHIFT1))
      for (b = g << (SHIFT2 - SHIFT1); b < bEnd; b++) if (strict ? block[b]! > t : block[b]! >= t) return this.scanBlock(b, t, strict)
    }
    return -1
  }

  /** The block's maximum satisfies the test, so some row in it does. */
  private scanBlock(b: number, t: number, strict: boolean): number {
    const v = this.values
    const sg = this.sign
    const end = Math.min(this.n, (b + 1) << SHIFT1)
    for (let j = b << SHIFT1; j < end; j++) {
      const y = sg * v[j]!
      if (strict ? y > t : y >= t) return j
    }
    return -1
  }

  private build(): Float64Array {
    const n = this.n
    const v = this.values
    const sg = this.sign
    const block = new Float64Array(((n - 1) >> SHIFT1) + 1)
    const group = new Float64Array(((n - 1) >> SHIFT2) + 1)
    for (let b = 0; b < block.length; b++) {
      const end = Math.min(n, (b + 1) << SHIFT1)
      let m = Number.NEGATIVE_INFINITY
      // NaN never compares greater, so it is skipped: it must neither match nor hide a match.
      for (let j = b << SHIFT1; j < end; j++) {
        const y = sg * v[j]!
        if (y > m) m = y
      }
      block[b] = m
    }
    for (let g = 0; g < group.length; g++) {
      const end = Math.min(block.length, (g + 1) << (SHIFT2 - SHIFT1))
      let m = Number.NEGATIVE_INFINITY
      for (let b = g << (SHIFT2 - SHIFT1); b < end; b++) if (block[b]! > m) m = block[b]!
      group[g] = m
    }
    this.group = group
    this.block = block
    return block
  }
}
