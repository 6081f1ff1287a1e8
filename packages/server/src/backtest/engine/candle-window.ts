import type { Candle, CandleColumns } from '../../market'
import type { CandleContext, StrategyAccount } from '../../strategies/types'

/** The first `n` rows of a column: the typed-array constructor costs half of `subarray` (no species lookup). */
const head = (a: Float64Array, n: number): Float64Array => new Float64Array(a.buffer, a.byteOffset, n)

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
    return (this.#time ??= head(this.all.time, this.n))
  }
  get open(): Float64Array {
    return (this.#open ??= head(this.all.open, this.n))
  }
  get high(): Float64Array {
    return (this.#high ??= head(this.all.high, this.n))
  }
  get low(): Float64Array {
    return (this.#low ??= head(this.all.low, this.n))
  }
  get close(): Float64Array {
    return (this.#close ??= head(this.all.close, this.n))
  }
  get volume(): Float64Array {
    return (this.#volume ??= head(this.all.volume, this.n))
  }
}

/**
 * The decisions' context, moved from candle to candle (`at`): the candle and the account are the
 * engine's objects, rewritten for every candle, so a decision allocates nothing; the window of
 * closed candles is made only when the strategy reads `candles` (the built-ins read `candle`).
 */
export class DecisionContext implements CandleContext {
  readonly #all: CandleColumns
  #candles?: CandleWindow
  index = -1

  constructor(
    all: CandleColumns,
    readonly candle: Readonly<Candle>,
    readonly account: StrategyAccount,
  ) {
    this.#all = all
  }

  /** The context of the decision at the close of candle `index`. */
  at(index: number): this {
    this.index = index
    this.#candles = undefined
    return this
  }

  get candles(): CandleWindow {
    return (this.#candles ??= new CandleWindow(this.#all, this.index + 1))
  }
}
