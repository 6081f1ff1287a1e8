/**
 * Typed-array memory that finished streams hand back (`SmcStream.release()`) for the next stream of
 * the same thread to take instead of fresh memory. Fresh memory is paid for in page faults as it is
 * first written, which on some virtual machines costs about 3 ms per MB: a fifth of a million-candle
 * backtest's time for the ≈ 150 MB of columns its stream keeps. A process that runs many streams of
 * the same length (a backtest worker) skips that cost after its first run.
 *
 * Buffers are matched by exact size (a stream's columns are exactly its capacity long, and callers
 * may read a column's whole buffer); at most `maxBytes` are kept, the rest left to the collector.
 *
 * @example
 * import { ColumnPool, createSmcStream } from '@smc-trading/smc'
 * const pool = new ColumnPool()
 * const stream = createSmcStream({ initialCapacity: candles.length, pool })
 * for (const c of candles) stream.push(c)
 * stream.release() // its columns go back to the pool; the stream and its views are dead
 */
export class ColumnPool {
  private readonly free = new Map<number, ArrayBuffer[]>()
  private held = 0

  constructor(
    /** Most bytes kept between streams (default 512 MiB). */
    readonly maxBytes = 512 * 2 ** 20,
  ) {}

  /** Bytes held for reuse. */
  get bytes(): number {
    return this.held
  }

  /** A kept buffer of exactly `byteLength` bytes (its contents are whatever it last held), or undefined. */
  take(byteLength: number): ArrayBuffer | undefined {
    const buffer = this.free.get(byteLength)?.pop()
    if (buffer) this.held -= byteLength
    return buffer
  }

  /** Keep `buffer` for a later `take` (dropped when the pool is full). Nothing may use it afterwards. */
  give(buffer: ArrayBuffer): void {
    const size = buffer.byteLength
    if (size === 0 || this.held + size > this.maxBytes) return
    let list = this.free.get(size)
    if (!list) this.free.set(size, (list = []))
    list.push(buffer)
    this.held += size
  }

  /** Drop everything kept. */
  clear(): void {
    this.free.clear()
    this.held = 0
  }
}
