import type { RunMetrics } from '../backtest/types'
import type { ExecutionStatus, TaskType } from '../store/repositories/executions'

// The executions API's bodies as served (seed 004 mapped onto /v1: snake_case, ISO 8601 times,
// numbers as JSON numbers). Paginated lists carry `count` (the total matching, not the page length)
// and `next`/`previous` relative links that keep every filter.

/** One execution in a list. */
export interface ExecutionSummaryJson {
  execution_id: number
  task_type: TaskType
  task_id: string
  execution_number: number
  strategy: string
  status: ExecutionStatus
  /** Percent, 0–100 (two decimals). */
  progress: number
  processed: number
  total: number
  started_at: string | null
  completed_at: string | null
  error_message: string | null
  created_at: string
}

export interface ExecutionListJson {
  executions: ExecutionSummaryJson[]
  count: number
  next: string | null
  previous: string | null
}

/** The latest metrics checkpoint: the run's RunMetrics, its sequence and when it was written. */
export interface CheckpointJson extends RunMetrics {
  sequence: number
  created_at: string
}

/** GET /v1/executions/{id}/status (seed 004 fields plus processed and total). */
export interface ExecutionStatusJson {
  execution_id: number
  task_type: TaskType
  task_id: string
  execution_number: number
  status: ExecutionStatus
  progress: number
  processed: number
  total: number
  started_at: string | null
  completed_at: string | null
  error_message: string | null
  has_checkpoint: boolean
  checkpoint: CheckpointJson | null
}

/** What every per-execution body starts with. */
export interface ExecutionRefJson {
  execution_id: number
  task_type: TaskType
  task_id: string
}

export interface ExecutionEventJson {
  sequence: number
  event_type: string
  /** The run's strategy (seed 004's field). */
  strategy_type: string
  /** The market time the event belongs to. */
  timestamp: string
  /** The event's data (RunEvent.data). */
  event: Record<string, unknown>
  created_at: string
}

export interface EventsJson extends ExecutionRefJson {
  events: ExecutionEventJson[]
  count: number
  next: string | null
  previous: string | null
}

export interface TradeJson {
  sequence: number
  trade: {
    symbol: string
    direction: 'long' | 'short'
    entry_time: string
    entry_price: number
    exit_time: string
    exit_price: number
    quantity: number
    fees: number
    pnl: number
    exit_reason: string
  }
  created_at: string
}

export interface TradesJson extends ExecutionRefJson {
  trades: TradeJson[]
  count: number
  next: string | null
  previous: string | null
}

export interface EquityPointJson {
  sequence: number
  timestamp: string
  equity: number
  balance: number
  drawdown_pct: number
}

export interface EquityJson extends ExecutionRefJson {
  equity_curve: EquityPointJson[]
  count: number
  next: string | null
  previous: string | null
  /** The downsampling step (seconds); null when `max_points` was not given or not exceeded. */
  granularity_seconds: number | null
}

/** GET /v1/executions/{id}/metrics/latest */
export interface LatestMetricsJson extends ExecutionRefJson {
  has_checkpoint: boolean
  checkpoint: CheckpointJson | null
}

/** A backtest task: its spec (times as ISO) and its executions by number. */
export interface BacktestTaskJson {
  task_id: string
  task_type: 'backtest'
  strategy: string
  params: Record<string, unknown>
  symbol: string
  interval: string
  start_time: string
  end_time: string
  initial_balance: number
  taker_fee_bps: number
  maker_fee_bps: number
  slippage_bps: number
  created_at: string
  executions: ExecutionSummaryJson[]
}

export interface BacktestTaskListJson {
  tasks: BacktestTaskJson[]
  count: number
  next: string | null
  previous: string | null
}
