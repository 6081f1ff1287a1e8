import { MinHeap } from '../internal/min-heap'

/**
 * Pending "first row j ≥ from where values[j] crosses a threshold" searches, resolved as rows
 * arrive: the streaming counterpart of `NextCrossing`. Rows already pushed are scanned when the
 * watch is added; if none crosses, the watch waits in a min-heap keyed so that the root is the
 * first to be crossed ('up': lowest threshold, 'down': highest), and each new row pops the
 * crossed ones in O(log k) each (O(1) when nothing crosses).
 *
 * A watch that is not resolved by its initial scan waits in a staging list until the first row
 * it may fire on arrives, so adds and pops may be interleaved freely within one push.
 */
export class CrossingWatch {
  private readonly heap = new MinHeap(16)
  private readonly sign: number
  private stagedKeys: number[] = []
  private stagedIds: number[] = []
  private stagedFrom: number[] = []

  constructor(
    up: boolean,
    private readonly strict: boolean,
  ) {
    this.sign = up ? 1 : -1
  }

  /**
   * First j in from … n-1 where values[j] crosses `threshold` ('up': > or ≥, 'down': < or ≤);
   * otherwise registers watch `id` for rows ≥ max(from, n) and returns -1. A NaN threshold never
   * crosses (and is not registered).
   */
  add(id: number, threshold: number, from: number, values: Float64Array, n: number): number {
    if (threshold !== threshold) return -1
    const sg = this.sign
    const t = sg * threshold
    const strict = this.strict
    for (let j = from < 0 ? 0 : from; j < n; j++) {
      const y = sg * values[j]!
      if (strict ? y > t : y >= t) return j
    }
    this.stagedKeys.push(t)
    this.stagedIds.push(id)
    this.stagedFrom.push(from > n ? from : n)
    return -1
  }

  /** One watch crossed by `value`, the value of row `row` (the newest row), or -1. Call until -1. */
  pop(value: number, row: number): number {
    if (this.stagedIds.length > 0) this.flush(row)
    if (this.heap.size === 0) return -1
    const y = this.sign * value
    const t = this.heap.rootKey()
    if (this.strict ? !(y > t) : !(y >= t)) return -1
    return this.heap.pop()
  }

  /** Watches still waiting (heap and staging). */
  get pending(): number {
    return this.heap.size + this.stagedIds.length
  }

  clear(): void {
    this.heap.clear()
    this.stagedKeys.length = this.stagedIds.length = this.stagedFrom.length = 0
  }

  private flush(row: number): void {
    const keys = this.stagedKeys
    const ids = this.stagedIds
    const from = this.stagedFrom
    let w = 0
    for (let k = 0; k < ids.length; k++) {
      if (from[k]! <= row) this.heap.push(ids[k]!, keys[k]!)
      else {
        keys[w] = keys[k]!
        ids[w] = ids[k]!
        from[w++] = from[k]!
      }
    }
    if (w !== ids.length) keys.length = ids.length = from.length = w
  }
}
