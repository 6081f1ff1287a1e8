import type { BosChoch, BosChochOptions } from '../indicators/bos-choch'
import type { FvgOptions, FvgResult } from '../indicators/fvg'
import type { Liquidity, LiquidityOptions } from '../indicators/liquidity'
import type { OrderBlocks, OrderBlocksOptions } from '../indicators/ob'
import type { PreviousHighLowOptions, PreviousHighLowResult } from '../indicators/previous-high-low'
import type { Retracements } from '../indicators/retracements'
import type { SessionsOptions, SessionsResult } from '../indicators/sessions'
import type { SwingHighsLows, SwingHighsLowsOptions } from '../indicators/swing-highs-lows'
import type { Candles } from '../types'
import type { ColumnPool } from './column-pool'

/** One candle for {@link SmcStream.push}; `time` is epoch milliseconds (naive clock time, as in `Candles`). */
export interface StreamCandle {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/**
 * Options of {@link createSmcStream}: the batch functions' options, per indicator. `false`
 * disables an indicator (its accessor then throws); `true` or omitted means the batch defaults,
 * except `sessions`, which needs a session name and is off unless given.
 */
export interface SmcStreamOptions {
  /** 'parity' (default): the batch functions' values on each prefix. For 'causal' see `createSmcStream({ mode: 'causal' })`. */
  mode?: 'parity'
  /** The swing frame shared by bosChoch, ob, liquidity and retracements (`swingLength` default 50, as the batch). */
  swings?: SwingHighsLowsOptions
  fvg?: FvgOptions | boolean
  bosChoch?: BosChochOptions | boolean
  ob?: OrderBlocksOptions | boolean
  liquidity?: LiquidityOptions | boolean
  retracements?: boolean
  /** One time frame or several (accessor index = position); default `{ timeFrame: '1D' }`. */
  previousHighLow?: PreviousHighLowOptions | readonly PreviousHighLowOptions[] | boolean
  /** One session or several (accessor index = position); none by default. */
  sessions?: SessionsOptions | readonly SessionsOptions[]
  /** Rows to allocate up front (grows by doubling). Default 1024. */
  initialCapacity?: number
  /**
   * Take the columns from this pool and give them back on `release()` (see {@link ColumnPool}): for
   * a thread that runs many streams of the same length one after another. Results are unchanged.
   */
  pool?: ColumnPool
  /**
   * Keep the candles in these columns instead of a copy (all Float64Array, as long as `time`): for a
   * caller that already holds, in columns, the candles it will push in order — a backtest —
   * so they are not held twice. Push i writes the candle into row i (the same values when it
   * is row i of these columns); the stream reads rows below its length only. Past their length
   * the stream continues in columns of its own. Not with `window`.
   */
  storage?: Candles
  /**
   * Bound memory for endless streams: once `2 × window` candles are held, the next push first drops
   * the oldest, keeping the latest `window`. The indicators are then those of the batch functions
   * on the candles held (`candles()`), exactly as without a window; row 0 is candle number
   * `dropped` of everything pushed. A trim re-runs the kept candles (amortised O(1) per push, a
   * pause of about `window` pushes when it happens). Default: keep everything.
   */
  window?: number
}

/** Every enabled indicator's columns for the current prefix (views, see {@link SmcStream}). */
export interface SmcStreamResult {
  length: number
  swings: SwingHighsLows
  fvg?: FvgResult
  bosChoch?: BosChoch
  ob?: OrderBlocks
  liquidity?: Liquidity
  retracements?: Retracements
  previousHighLow: PreviousHighLowResult[]
  sessions: SessionsResult[]
}

/**
 * Incremental SMC engine. After every `push`, each accessor returns exactly what the batch
 * function returns on the candles pushed so far (same columns, same typed-array types, bit for
 * bit). The returned arrays are views into internal buffers: valid until the next `push`; copy
 * them (`.slice()`) to keep them.
 */
export interface SmcStream {
  /** Candles held (pushed so far, less those a `window` dropped). */
  readonly length: number
  /** Candles dropped from the front by the `window` (0 without one): row `i` is candle `dropped + i` pushed. */
  readonly dropped: number
  /**
   * Append one candle. Times must strictly increase and prices/volume must be finite; a rejected
   * candle throws RangeError and leaves the stream unchanged. Amortised O(1) (a new extreme of the
   * whole series rebuilds liquidity, which depends on the global range).
   */
  push(candle: StreamCandle): this
  /** The candles pushed so far, columnar. */
  candles(): Candles
  swings(): SwingHighsLows
  fvg(): FvgResult
  bosChoch(): BosChoch
  ob(): OrderBlocks
  liquidity(): Liquidity
  retracements(): Retracements
  /** Result of the `index`-th `previousHighLow` configuration (default 0). */
  previousHighLow(index?: number): PreviousHighLowResult
  /** Result of the `index`-th `sessions` configuration (default 0). */
  sessions(index?: number): SessionsResult
  /** All enabled indicators at once. */
  result(): SmcStreamResult
  /**
   * Done with the stream: its columns go back to `options.pool` (with no pool, nothing happens but
   * this). Every view it returned is then invalid (the memory serves another stream) and `push`
   * throws.
   */
  release(): void
}
