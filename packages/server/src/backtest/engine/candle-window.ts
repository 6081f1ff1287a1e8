import type { CandleColumns } from '../../market'

/**
 * The candles a strategy sees when candle `n − 1` closes: each column a view of the first `n` rows
 * (nothing after them, so no look-ahead), made when the strategy first reads it. A strategy reads a
 * few columns at its index; six views per candle were most of the allocation of a run's decisions.
 */
export class CandleWindow implements CandleColumns {
  #time?: Float64Array
  #open?: Float64Array
  #high?: Float64Array
  #low?: Float64Array
  #close?: Float64Array
  #volume?: Float64Array

  constructor(
    private readonly all: CandleColumns,
    private readonly n: number,
  ) {}

  get time(): Float64Array {
    return (this.#time ??= this.all.time.subarray(0, this.n))
  }
  get open(): Float64Array {
    return (this.#open ??= this.all.open.subarray(0, this.n))
  }
  get high(): Float64Array {
    return (this.#high ??= this.all.high.subarray(0, this.n))
  }
  get low(): Float64Array {
    return (this.#low ??= this.all.low.subarray(0, this.n))
  }
  get close(): Float64Array {
    return (this.#close ??= this.all.close.subarray(0, this.n))
  }
  get volume(): Float64Array {
    return (this.#volume ??= this.all.volume.subarray(0, this.n))
  }
}
