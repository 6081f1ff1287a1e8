import type { ErrorCode } from '../core'
import type { StrategyDefinition } from '../strategies/types'

/*
 * The runner's public shapes: plain JSON, snake_case, times as ISO strings, money as numbers in the
 * quote currency. The API layer returns them as they are.
 */

/** Codes the runner raises (in the closed list: STRATEGY_ACCOUNT_LIMIT 400, CYCLE_IN_PROGRESS 409, SCHEDULER_* 400, STRATEGY_NOT_FOUND 400). */
export const RUNNER_ERRORS = {
  STRATEGY_ACCOUNT_LIMIT: 'STRATEGY_ACCOUNT_LIMIT',
  CYCLE_IN_PROGRESS: 'CYCLE_IN_PROGRESS',
  SCHEDULER_ALREADY_PAUSED: 'SCHEDULER_ALREADY_PAUSED',
  SCHEDULER_NOT_PAUSED: 'SCHEDULER_NOT_PAUSED',
  STRATEGY_NOT_FOUND: 'STRATEGY_NOT_FOUND',
} as const satisfies Record<string, ErrorCode>

/** What the runner needs of the strategy registry (the default one wraps `strategies/`). */
export interface StrategyCatalog {
  /** The definition of a built-in, or undefined. */
  definition(name: string): StrategyDefinition | undefined
  /** Known strategy names (for error details). */
  names(): string[]
  /**
   * Parameters validated against the strategy's schema, defaults filled in; throws a DomainError
   * (VALIDATION_FAILED) whose `details.field` names the parameter.
   */
  parse(name: string, input: unknown): { risk_fraction: number } & Record<string, unknown>
}

/** `POST /v1/strategy-accounts` body. */
export interface CreateStrategyAccountInput {
  name: string
  strategy: string
  params?: Record<string, unknown>
  symbols: string[]
  /** Candle interval the strategy runs on; default `1h`. */
  interval?: string
  /** Quote currency; default the paper trading initial balance. */
  initial_balance?: number
}

/** `PATCH /v1/strategy-accounts/{account_id}` body: any subset. */
export interface PatchStrategyAccountInput {
  name?: string
  /** Merged over the current parameters, then validated as a whole. */
  params?: Record<string, unknown>
  active?: boolean
  symbols?: string[]
}

/** A strategy account with its paper account's figures. */
export interface StrategyAccountView {
  account_id: string
  owner_id: string
  name: string
  strategy: string
  params: Record<string, unknown>
  symbols: string[]
  interval: string
  active: boolean
  /** The paper account it trades through (the ledger's account id). */
  paper_account_id: string
  currency: string
  initial_balance: number
  balance: number
  equity: number
  realized_pnl: number
  unrealized_pnl: number
  commission_paid: number
  open_positions: number
  created_at: string
  updated_at: string
}

export type DecisionActionView = 'BUY' | 'SELL' | 'HOLD' | 'CLOSE'

/** One decision of one account for one symbol in one cycle. */
export interface DecisionView {
  decision_id: string
  account_id: string
  cycle_id: string
  symbol: string
  action: DecisionActionView
  /** In [0, 1]. */
  confidence: number
  reasoning: string
  /** The indicator values the decision used (null where not defined yet). */
  indicators: Record<string, number | null>
  /** Open time of the closed candle decided on; null when there was none. */
  candle_time: string | null
  /** The order the decision placed (the entry, or the close), or null. */
  order_id: string | null
  /** Why the decision failed (the strategy threw) or its order was denied, or null. */
  error: { code: string; message: string } | null
  created_at: string
}

/** One row of the leaderboard. Figures from analytics' computePerformance over the account's round trips. */
export interface LeaderboardEntry {
  rank: number
  account_id: string
  owner_id: string
  name: string
  strategy: string
  active: boolean
  initial_balance: number
  balance: number
  equity: number
  /** Σ pnl of the closed round trips (net of their fees). */
  total_pnl: number
  unrealized_pnl: number
  /** total_pnl / initial_balance × 100. */
  roi_percentage: number
  total_trades: number
  winning_trades: number
  losing_trades: number
  win_rate: number
  sharpe_ratio: number | null
  /** Percent (5.2 = 5.2 %), ≥ 0. */
  max_drawdown: number
}

export type CycleStatus = 'success' | 'partial' | 'failed'
export type CycleTrigger = 'schedule' | 'manual'

/** One finished cycle: what `cycle_complete` carries and stats list. */
export interface CycleRecord {
  cycle_id: string
  trigger: CycleTrigger
  status: CycleStatus
  started_at: string
  completed_at: string
  duration_seconds: number
  accounts_processed: number
  accounts_failed: number
  decisions: number
  orders_placed: number
  orders_denied: number
  positions_opened: number
  positions_closed: number
  /** Per failed account: its id and the first error. */
  errors: { account_id: string; symbol: string | null; message: string }[]
}

/** `GET /v1/scheduler/status`. */
export interface SchedulerStatus {
  /** Enabled and not paused: cycles run on schedule. */
  is_running: boolean
  is_paused: boolean
  enabled: boolean
  cycle_in_progress: boolean
  current_cycle_id: string | null
  interval_minutes: number
  total_executions: number
  total_errors: number
  last_execution_at: string | null
  last_execution_duration_seconds: number | null
  last_execution_status: CycleStatus | null
  next_run_at: string | null
  paused_at: string | null
}

/** `GET /v1/scheduler/stats`. */
export interface SchedulerStats {
  total_executions: number
  successful_executions: number
  partial_executions: number
  failed_executions: number
  /** successful / total × 100 (partial cycles are not successes); 0 without cycles. */
  success_rate: number
  /** Accounts that failed, summed over the cycles. */
  total_errors: number
  average_duration_seconds: number
  min_duration_seconds: number | null
  max_duration_seconds: number | null
  /** Newest first. */
  last_10_executions: CycleRecord[]
}

/** `GET /v1/scheduler/next-run`. */
export interface SchedulerNextRun {
  /** null while paused or disabled. */
  next_run_at: string | null
  seconds_until_next_run: number | null
  interval_minutes: number
}

/** Kinds the runner emits through `onEvent`. */
export type RunnerEventKind = 'cycle_start' | 'cycle_complete' | 'strategy_event'

/**
 * Where the runner's events go: cycle events carry `ownerId` null (every subscriber of `cycles`),
 * strategy events the owner of the account (that user's `strategies` channel only).
 */
export type RunnerEventSink = (kind: RunnerEventKind, data: Record<string, unknown>, ownerId: string | null) => void
