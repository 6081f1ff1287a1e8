// Growable columns for the streaming engine: capacity doubles, the unused tail holds the fill value.
import { f64Columns } from '../internal/columns'
import type { Candles } from '../types'

export { f64Columns }

export function growF64(a: Float64Array, cap: number, fill = 0): Float64Array {
  const b = new Float64Array(cap)
  if (fill !== 0) b.fill(fill, a.length)
  b.set(a)
  return b
}

export function growI32(a: Int32Array, cap: number, fill = 0): Int32Array {
  const b = new Int32Array(cap)
  if (fill !== 0) b.fill(fill, a.length)
  b.set(a)
  return b
}

type Column = Float64Array | Int32Array
/** An object of columns only (an indicator's result, say). */
type Columns<T> = { [K in keyof T]: Column }

/** Grow every column of `cols` to `cap` rows, in place: new Float64 rows hold `fill`, new Int32 rows 0. */
export function growColumns<T extends Columns<T>>(cols: T, cap: number, fill = 0): void {
  const all = cols as Record<string, Column>
  for (const k of Object.keys(all)) {
    const c = all[k]!
    all[k] = c instanceof Int32Array ? growI32(c, cap) : growF64(c, cap, fill)
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

export function createSeries(cap: number): Series {
  return { n: 0, cap, ...f64Columns(CANDLE_COLUMNS, cap) }
}

export function growSeries(s: Series, cap: number): void {
  s.cap = cap
  for (const k of CANDLE_COLUMNS) s[k] = growF64(s[k], cap)
}

/** The candles held, columnar (views, valid until the series grows). */
export function viewCandles(s: Series): Candles {
  const views = {} as Candles
  for (const k of CANDLE_COLUMNS) views[k] = s[k].subarray(0, s.n)
  return views
}
