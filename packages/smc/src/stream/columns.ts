// Growable columns for the streaming engine: capacity doubles, the unused tail holds the fill value.

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

/** The candles pushed so far, one growable column each (capacity ≥ n). */
export class Series {
  n = 0
  cap: number
  time: Float64Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array

  constructor(cap: number) {
    this.cap = cap
    this.time = new Float64Array(cap)
    this.open = new Float64Array(cap)
    this.high = new Float64Array(cap)
    this.low = new Float64Array(cap)
    this.close = new Float64Array(cap)
    this.volume = new Float64Array(cap)
  }

  grow(cap: number): void {
    this.cap = cap
    this.time = growF64(this.time, cap)
    this.open = growF64(this.open, cap)
    this.high = growF64(this.high, cap)
    this.low = growF64(this.low, cap)
    this.close = growF64(this.close, cap)
    this.volume = growF64(this.volume, cap)
  }
}
