import { isoTime } from '../core'
import type { Interval } from '../market'

// The records one run (a backtest, later a live strategy run) produces. The engine emits them into
// a RunSink in order; the executions store persists them (gapless sequences per kind) and serves
// seed 004's executions API; the report renders them.

/** A backtest as requested (times in ms; fees and slippage default to paper trading's). */
export interface BacktestSpec {
  strategy: string
  /** Validated against the strategy's parameter schema (defaults filled in). */
  params: Record<string, unknown>
  symbol: string
  interval: Interval
  start_time: number
  end_time: number
  initial_balance: number
  taker_fee_bps: number
  maker_fee_bps: number
  slippage_bps: number
}

export type RunEventType = 'status_changed' | 'strategy_signal' | 'order_placed' | 'trade_executed' | 'position_closed' | 'checkpoint' | 'error_occurred'

/** One event; `time` is the market time (ms) it belongs to. */
export interface RunEvent {
  event_type: RunEventType
  time: number
  data: Record<string, unknown>
}

/** A closed round trip. */
export interface RunTrade {
  symbol: string
  direction: 'long' | 'short'
  entry_time: number
  entry_price: number
  exit_time: number
  exit_price: number
  quantity: number
  fees: number
  pnl: number
  /** Backtests end with END_OF_DATA; live runs also see MANUAL and EMERGENCY_STOP closes. */
  exit_reason: 'TAKE_PROFIT' | 'STOP_LOSS' | 'SIGNAL' | 'END_OF_DATA' | 'MANUAL' | 'EMERGENCY_STOP'
}

/**
 * A closed round trip as a `position_closed` event's data: its times as the contract's date-time
 * strings, as GET …/trades reports them (the record keeps epoch ms).
 */
export const tradeEventData = (t: RunTrade, extra: Record<string, unknown>): Record<string, unknown> => ({
  ...extra,
  ...t,
  entry_time: isoTime(t.entry_time),
  exit_time: isoTime(t.exit_time),
})

/** Account value at a candle's close. */
export interface EquityPoint {
  time: number
  equity: number
  balance: number
  /** Drawdown from the running peak, in percent (≥ 0). */
  drawdown_pct: number
}

/** Performance so far (the analytics module's figures). */
export interface RunMetrics {
  processed: number
  total: number
  total_return_pct: number
  total_pnl: number
  realized_pnl: number
  unrealized_pnl: number
  total_trades: number
  winning_trades: number
  losing_trades: number
  win_rate: number
  max_drawdown_pct: number
  sharpe_ratio: number | null
  sortino_ratio: number | null
  profit_factor: number | null
  average_win: number | null
  average_loss: number | null
  exposure_pct: number
}

/**
 * Where a run writes; called in order, synchronously. The engine may reuse an object it passed (an
 * equity point, an event's data) once the call returned: a sink copies what it keeps.
 */
export interface RunSink {
  event(e: RunEvent): void
  trade(t: RunTrade): void
  equity(p: EquityPoint): void
  checkpoint(m: RunMetrics): void
}
