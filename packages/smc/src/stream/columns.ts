// Growable columns for the streaming engine: capacity doubles, the unused tail holds the fill value.
import type { Candles } from '../types'
import type { ColumnPool } from './column-pool'

export function growF64(a: Float64Array, cap: number, fill = 0): Float64Array {
  const b = new Float64Array(cap)
  if (fill !== 0) b.fill(fill, a.length)
  b.set(a)
  return b
}

/**
 * The next capacity of a record table (one row per swing, signal, order block…) that is full at
 * `count` rows: doubling from 256. Such tables live in typed columns from the stream's allocator:
 * JS arrays of a million-candle stream's 100,000 swings are large objects, and every growth of one
 * left its old copy (hundreds of KB) in the large-object space until a full collection — about
 * 60 MB of garbage per such run, besides twice the memory per number (booleans included).
 */
export const tableCapacity = (count: number): number => (count < 256 ? 256 : count * 2)

type Column = Float64Array | Int32Array
/** An object of columns only (an indicator's result, say). */
type Columns<T> = { [K in keyof T]: Column }

/**
 * Allocates one stream's columns: fresh typed arrays, or buffers from a ColumnPool, in which case it
 * remembers what it handed out so that `release` gives it back (and a column replaced by growth goes
 * back at once). Reused memory is filled as fresh memory would read (zeros, or the fill value).
 */
export class ColumnAlloc {
  private readonly lent = new Set<ArrayBuffer>()

  constructor(private readonly pool?: ColumnPool) {}

  f64(n: number, fill = 0): Float64Array {
    const reused = this.take(n * 8)
    if (!reused) return this.lend(fill === 0 ? new Float64Array(n) : new Float64Array(n).fill(fill))
    return this.lend(new Float64Array(reused).fill(fill))
  }

  i32(n: number, fill = 0): Int32Array {
    const reused = this.take(n * 4)
    if (!reused) return this.lend(fill === 0 ? new Int32Array(n) : new Int32Array(n).fill(fill))
    return this.lend(new Int32Array(reused).fill(fill))
  }

  columns<K extends string>(names: readonly K[], n: number, fill = 0): Record<K, Float64Array> {
    const cols = {} as Record<K, Float64Array>
    for (const k of names) cols[k] = this.f64(n, fill)
    return cols
  }

  /** `a` copied into a column of `cap` rows (the new rows hold `fill`); `a` goes back to the pool. */
  growF64(a: Float64Array, cap: number, fill = 0): Float64Array {
    const b = this.f64(cap, fill)
    b.set(a)
    this.giveBack(a)
    return b
  }

  growI32(a: Int32Array, cap: number, fill = 0): Int32Array {
    const b = this.i32(cap, fill)
    b.set(a)
    this.giveBack(a)
    return b
  }

  /** Grow every column of `cols` to `cap` rows, in place: new Float64 rows hold `fill`, new Int32 rows 0. */
  growColumns<T extends Columns<T>>(cols: T, cap: number, fill = 0): void {
    const all = cols as Record<string, Column>
    for (const k of Object.keys(all)) {
      const c = all[k]!
      all[k] = c instanceof Int32Array ? this.growI32(c, cap) : this.growF64(c, cap, fill)
    }
  }

  /** Give every column handed out back to the pool: none of them may be used afterwards. */
  release(): void {
    if (!this.pool) return
    for (const b of this.lent) this.pool.give(b)
    this.lent.clear()
  }

  private take(byteLength: number): ArrayBuffer | undefined {
    return this.pool?.take(byteLength)
  }

  private lend<A extends Column>(a: A): A {
    if (this.pool) this.lent.add(a.buffer as ArrayBuffer)
    return a
  }

  private giveBack(a: Column): void {
    if (!this.pool || !this.lent.delete(a.buffer as ArrayBuffer)) return
    this.pool.give(a.buffer as ArrayBuffer)
  }
}

/** Views of the first `n` rows of every column (valid until the columns grow). */
export function viewColumns<T extends Columns<T>>(cols: T, n: number): T {
  const all = cols as Record<string, Column>
  const views: Record<string, Column> = {}
  for (const k of Object.keys(all)) views[k] = all[k]!.subarray(0, n)
  return views as T
}

const CANDLE_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const

/** The candles pushed so far, one growable column each (capacity `cap` ≥ `n`). */
export interface Series extends Candles {
  n: number
  cap: number
}

export function createSeries(cap: number, alloc: ColumnAlloc): Series {
  return { n: 0, cap, ...alloc.columns(CANDLE_COLUMNS, cap) }
}

/** A series kept in the caller's columns (SmcStreamOptions.storage): row i is rewritten by push i. */
export function seriesIn(storage: Candles): Series {
  const cap = storage.time.length
  for (const k of CANDLE_COLUMNS) {
    const c = storage[k]
    if (!(c instanceof Float64Array) || c.length !== cap) throw new RangeError(`createSmcStream: storage.${k} must be a Float64Array as long as storage.time`)
  }
  if (cap < 1) throw new RangeError('createSmcStream: storage must hold at least one row')
  return { n: 0, cap, time: storage.time, open: storage.open, high: storage.high, low: storage.low, close: storage.close, volume: storage.volume }
}

export function growSeries(s: Series, cap: number, alloc: ColumnAlloc): void {
  s.cap = cap
  for (const k of CANDLE_COLUMNS) s[k] = alloc.growF64(s[k], cap)
}

/** The candles held, columnar (views, valid until the series grows). */
export function viewCandles(s: Series): Candles {
  const views = {} as Candles
  for (const k of CANDLE_COLUMNS) views[k] = s[k].subarray(0, s.n)
  return views
}
