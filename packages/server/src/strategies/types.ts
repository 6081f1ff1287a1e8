import type { Candles, ColumnPool, StreamCandle } from '@smc-trading/smc'
import type { z } from 'zod'
import type { Random } from '../core'
import type { Instrument, Interval } from '../market'

// The strategy layer: pure code shared by backtests and the live strategy runner. A strategy sees
// closed candles only, one at a time, and answers with an intent; it never does I/O, never reads a
// clock, and draws randomness only from the injected seeded source — so a run replays exactly.

/** The account as the strategy sees it at a candle's close. */
export interface StrategyAccount {
  /** Equity (balance + unrealized PnL), quote currency. */
  equity: number
  /** Balance free for new margin. */
  available: number
  /** The open position in the strategy's symbol, or null. */
  position: { side: 'long' | 'short'; quantity: number; entry_price: number } | null
}

/**
 * What a strategy receives each time a candle closes. It is valid during the call: a backtest
 * rewrites the same context, candle and account for the next candle, so a strategy copies what it
 * keeps.
 */
export interface CandleContext {
  /** Every closed candle so far (the newest last), as columns; never the forming one. */
  candles: Candles
  /** Index of the candle that just closed (`candles.close.length - 1`). */
  index: number
  /**
   * The candle that just closed (row `index` of `candles`) as plain numbers: what a strategy that
   * feeds streaming indicators reads, without the columns' views (six per candle were a large part
   * of a backtest's allocation). See {@link candleAt}.
   */
  candle: Readonly<StreamCandle>
  account: StrategyAccount
}

/**
 * Row `i` of `c` as the `candle` of a {@link CandleContext}.
 *
 * @example
 * instance.onCandle({ candles, index: i, candle: candleAt(candles, i), account })
 */
export function candleAt(c: Candles, i: number): StreamCandle {
  return { time: c.time[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! }
}

/** Options an entry carries beyond its direction. */
export interface OpenIntent {
  action: 'open'
  side: 'long' | 'short'
  /** `market` fills at the next candle's open; `limit` rests at `price`. */
  type: 'market' | 'limit'
  price?: number
  /** Protective stop (required: sizing is by risk to the stop). */
  stop_loss: number
  take_profit: number | null
  reason: string
  /** In [0, 1]. */
  confidence: number
}

export interface CloseIntent {
  action: 'close'
  reason: string
  confidence: number
}

export interface HoldIntent {
  action: 'hold'
  reason: string
  confidence: number
}

export type Intent = OpenIntent | CloseIntent | HoldIntent

/** A strategy instance: its own incremental state (streaming indicators, SMC engine) and decisions. */
export interface StrategyInstance {
  /** Called once per closed candle, in order. */
  onCandle(ctx: CandleContext): Intent
  /**
   * The run is over: give back what the instance holds (an SMC stream's columns go to the setup's
   * `columns` pool). Called at most once; the instance is not used afterwards.
   */
  dispose?(): void
}

/** Everything fixed for one run. */
export interface StrategySetup {
  symbol: string
  interval: Interval
  instrument: Instrument
  random: Random
  /**
   * Where an SMC stream takes its columns from (a backtest thread's pool, see ColumnPool), giving
   * them back in `dispose()`. Never changes a decision.
   */
  columns?: ColumnPool
  /**
   * The run's candles in columns, when it holds them all up front (a backtest): where a strategy's
   * SMC stream may keep the candles it is shown instead of a copy (SmcStreamOptions.storage; pushing
   * row i rewrites row i with the same values), which also sizes its columns for the whole run (they
   * never double). Rows at or after the current index are the future:
   * reading them is look-ahead, which the no-look-ahead tests hold every built-in to.
   */
  storage?: Candles
}

/**
 * A built-in strategy: a name, a description, a zod schema of its parameters (defaults, bounds —
 * listed by GET /v1/strategies so clients can build forms) and a factory.
 */
export interface StrategyDefinition<P extends { risk_fraction: number } = { risk_fraction: number } & Record<string, unknown>> {
  name: string
  description: string
  params: z.ZodType<P>
  create(params: P, setup: StrategySetup): StrategyInstance
  /**
   * Closed candles the strategy reads before its first decision can be anything but hold (its
   * indicators' warm-up with these params). A backtest over fewer is refused (INSUFFICIENT_HISTORY)
   * rather than run to an empty result. Absent: none beyond the backtest's own minimum.
   */
  warmup?(params: P): number
}
