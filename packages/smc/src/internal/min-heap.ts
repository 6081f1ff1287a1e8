/**
 * Binary min-heap of integer ids by numeric key, growing on demand (a max-heap: negate the keys).
 * Shared by the batch `fvg` (open gaps) and the streaming crossing watches.
 */
export class MinHeap {
  size = 0
  private keys: Float64Array
  private ids: Int32Array

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity)
    this.ids = new Int32Array(capacity)
  }

  clear(): void {
    this.size = 0
  }

  /** The smallest key (size > 0). */
  rootKey(): number {
    return this.keys[0]!
  }

  push(id: number, key: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2)
      const ids = new Int32Array(this.size * 2)
      keys.set(this.keys)
      ids.set(this.ids)
      this.keys = keys
      this.ids = ids
    }
    const { keys, ids } = this
    let k = this.size++
    while (k > 0) {
      const parent = (k - 1) >> 1
      if (keys[parent]! <= key) break
      keys[k] = keys[parent]!
      ids[k] = ids[parent]!
      k = parent
    }
    keys[k] = key
    ids[k] = id
  }

  /** Remove the root; returns its id (size > 0). */
  pop(): number {
    const { keys, ids } = this
    const top = ids[0]!
    const n = --this.size
    const key = keys[n]!
    const id = ids[n]!
    let k = 0
    for (;;) {
      let c = 2 * k + 1
      if (c >= n) break
      if (c + 1 < n && keys[c + 1]! < keys[c]!) c++
      if (keys[c]! >= key) break
      keys[k] = keys[c]!
      ids[k] = ids[c]!
      k = c
    }
    keys[k] = key
    ids[k] = id
    return top
  }
}
