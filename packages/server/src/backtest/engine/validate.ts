import { DomainError } from '../../core'
import { isInterval, type CandleColumns } from '../../market'
import type { StrategyDefinition } from '../../strategies/types'
import type { BacktestSpec } from '../types'
import { intervalMs } from './sandbox'

/**
 * The most candles one backtest may cover: (end_time − start_time) / interval. 1,000,000 is the
 * market's largest column query (one read of the history, 48 MB of columns) — 694 days of 1m
 * candles; a run of them takes a few seconds.
 */
export const MAX_BACKTEST_CANDLES = 1_000_000

/** The fewest closed candles a run needs by default (indicator warm-up before the first decision). */
export const MIN_BACKTEST_CANDLES = 50

/** Bounds of the money fields (the paper engine's own: PAPER_INITIAL_BALANCE, PAPER_*_FEE_BPS). */
export const MAX_INITIAL_BALANCE = 10_000_000
export const MAX_FEE_BPS = 1000
export const MAX_SLIPPAGE_BPS = 1000

const invalid = (field: string, message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { field, ...details })

/**
 * Check a backtest request before any candle is read; throws a DomainError (400):
 * VALIDATION_FAILED with `details.field` for start_time ≥ end_time (`start_time`), a range of more
 * than {@link MAX_BACKTEST_CANDLES} candles (`end_time`), an unknown interval, or money fields out
 * of the paper engine's bounds.
 */
export function validateBacktestSpec(spec: BacktestSpec): void {
  if (!isInterval(spec.interval)) throw invalid('interval', `Unknown interval "${String(spec.interval)}"`, { value: spec.interval })
  for (const f of ['start_time', 'end_time'] as const)
    if (!Number.isSafeInteger(spec[f]) || spec[f] < 0) throw invalid(f, `${f} must be a time`, { value: spec[f] })
  if (!(spec.start_time < spec.end_time))
    throw invalid('start_time', 'start_time must be before end_time', { start_time: spec.start_time, end_time: spec.end_time })
  const candles = Math.ceil((spec.end_time - spec.start_time) / intervalMs(spec.interval))
  if (candles > MAX_BACKTEST_CANDLES)
    throw invalid('end_time', `The range covers ${candles} ${spec.interval} candles; at most ${MAX_BACKTEST_CANDLES} are allowed`, {
      candles,
      max_candles: MAX_BACKTEST_CANDLES,
    })
  validateTerms(spec)
}

/**
 * The terms a run needs whatever its candles: a known interval, an initial balance in
 * (0, {@link MAX_INITIAL_BALANCE}], fees in [0, {@link MAX_FEE_BPS}] and slippage in
 * [0, {@link MAX_SLIPPAGE_BPS}] basis points (VALIDATION_FAILED with the field). runBacktest checks them.
 */
export function validateTerms(spec: Pick<BacktestSpec, 'interval' | 'initial_balance' | 'taker_fee_bps' | 'maker_fee_bps' | 'slippage_bps'>): void {
  if (!isInterval(spec.interval)) throw invalid('interval', `Unknown interval "${String(spec.interval)}"`, { value: spec.interval })
  if (!(Number.isFinite(spec.initial_balance) && spec.initial_balance > 0 && spec.initial_balance <= MAX_INITIAL_BALANCE))
    throw invalid('initial_balance', `initial_balance must be in (0, ${MAX_INITIAL_BALANCE}]`, { value: spec.initial_balance })
  for (const [f, max] of [
    ['taker_fee_bps', MAX_FEE_BPS],
    ['maker_fee_bps', MAX_FEE_BPS],
    ['slippage_bps', MAX_SLIPPAGE_BPS],
  ] as const)
    if (!(Number.isFinite(spec[f]) && spec[f] >= 0 && spec[f] <= max)) throw invalid(f, `${f} must be in [0, ${max}]`, { value: spec[f] })
}

/**
 * The fewest candles a run of `strategy` with `params` accepts: {@link MIN_BACKTEST_CANDLES}, or its
 * warm-up and one decision after it when that is more (slow = 1,000 needs 1,002 candles).
 */
export function requiredCandles<P extends { risk_fraction: number }>(strategy: StrategyDefinition<P>, params: P): number {
  return Math.max(MIN_BACKTEST_CANDLES, (strategy.warmup?.(params) ?? 0) + 1)
}

/**
 * The candles read for a run are enough: at least `min` of them, else INSUFFICIENT_HISTORY (400);
 * at most `max`, else VALIDATION_FAILED on `end_time`.
 */
export function checkHistory(
  spec: Pick<BacktestSpec, 'symbol' | 'interval'>,
  candles: CandleColumns,
  min = MIN_BACKTEST_CANDLES,
  max = MAX_BACKTEST_CANDLES,
): void {
  const n = candles.time.length
  if (n < min)
    throw new DomainError(
      'INSUFFICIENT_HISTORY',
      `Only ${n} closed ${spec.interval} candles of ${spec.symbol} in the range; the strategy needs at least ${min}` +
        (min > MIN_BACKTEST_CANDLES ? ' with these params (its indicators warm up first)' : ''),
      { field: 'start_time', symbol: spec.symbol, interval: spec.interval, available: n, required: min },
    )
  if (n > max) throw invalid('end_time', `The range holds ${n} candles; at most ${max} are allowed`, { candles: n, max_candles: max })
}
