import type { ScanCandidate, ScanLevel } from '../scanner'
import type { EngineCommand, EngineState, EngineTrigger } from './states'

/** Plain-JSON shapes of the engine (snake_case, as served). Times are ISO 8601 strings. */

export type EngineMode = 'paper' | 'live'

/** What `start` takes. */
export interface StartEngineInput {
  owner: string
  /** A preset name the owner sees (built-in or their own). */
  preset: string
  /** `paper` (default); `live` is refused (LIVE_TRADING_UNAVAILABLE). */
  mode?: string
  /** Symbols to scan (1–50); default every enabled symbol of the market. */
  symbols?: string[]
}

/** Counters of the engine's current run (reset by `start` and by a reset to IDLE). */
export interface EngineCounters {
  /** Scans run; each begins a cycle. */
  cycles: number
  /** Scans that produced a candidate the engine took up. */
  candidates: number
  /** Signals confirmed (SIGNAL_WAIT → SIZING). */
  signals: number
  /** Setups dropped in SIGNAL_WAIT (no confirmation in time, or invalidated). */
  signals_expired: number
  orders_placed: number
  orders_denied: number
  positions_opened: number
  positions_closed: number
  /** Faults that sent the engine to ERROR. */
  errors: number
}

/** The candidate the cycle works on (from SCANNING on), and the levels built for it. */
export interface EngineCandidate {
  symbol: string
  direction: 'up' | 'down'
  rank: number
  score: number
  /** Close of the scan's last closed candle. */
  price: number
  scan_id: string
  /** Open time of the last closed candle the scan read. */
  candle_time: string
  atr: number | null
  volume_ratio: number | null
  levels: ScanLevel[]
  reasons: string[]
  /** The level whose break is the signal (set in LEVEL_BUILDING). */
  trigger_level: ScanLevel | null
  /** The opposite level: a close beyond it drops the setup (set in LEVEL_BUILDING). */
  invalidation_level: ScanLevel | null
}

/** The confirmed signal, its sizing (from SIZING on) and its order (from EXECUTION on). */
export interface EngineSignal {
  symbol: string
  direction: 'up' | 'down'
  side: 'long' | 'short'
  /** The trigger level's price. */
  level: number
  /** Close and volume ratio of the confirming candle. */
  close: number
  volume_ratio: number
  candle_time: string
  confirmed_at: string
  sizing: EngineSizing | null
  order: EngineOrder | null
}

export interface EngineSizing {
  /** Expected entry: the ask for a long, the bid for a short. */
  entry: number
  atr: number
  stop_atr_multiple: number
  stop_loss: number
  /** |entry − stop_loss|, after the stop is put on the tick grid. */
  stop_distance: number
  take_profit_r: number
  take_profit: number
  equity: number
  risk_per_trade: number
  /** risk_per_trade × equity. */
  risk_amount: number
  /** risk_amount / stop_distance, before the lot. */
  raw_quantity: number
  /** On the instrument's lot (positionSize); capped by what the free balance buys when `capped`. */
  quantity: number
  lot_size: number
  capped: boolean
}

export interface EngineOrder {
  order_id: string
  status: string
  filled_quantity: number
  average_price: number | null
  submitted_at: string
}

export interface EnginePositionSummary {
  open: number
  /** Null before the engine ever started (no paper account yet). */
  equity: number | null
  balance: number | null
  realized_pnl: number | null
  unrealized_pnl: number | null
  items: { symbol: string; side: string; quantity: number; entry_price: number; current_price: number; unrealized_pnl: number }[]
}

/** `GET /v1/engine/status`. */
export interface EngineStatus {
  owner: string
  state: EngineState
  previous_state: EngineState | null
  preset: string | null
  mode: EngineMode
  symbols: string[]
  /** When the current state was entered; null for an engine never started. */
  since: string | null
  started_at: string | null
  updated_at: string | null
  /** The synthetic user id the engine trades under (`engine:<owner>`). */
  user_id: string
  paper_account_id: string | null
  /** Commands valid now (those that change the state). */
  commands: EngineCommand[]
  counters: EngineCounters
  candidate: EngineCandidate | null
  signal: EngineSignal | null
  last_scan: { scan_id: string; at: string; candle_time: string | null; total_scanned: number; passed_filters: number } | null
  last_error: { message: string; at: string } | null
  positions: EnginePositionSummary
}

/** One row of `GET /v1/engine/transitions` (newest first). */
export interface EngineTransitionView {
  id: number
  from: EngineState
  to: EngineState
  command: EngineCommand | null
  trigger: EngineTrigger
  reason: string
  details: Record<string, unknown>
  at: string
}

/** What a command returns. */
export interface EngineCommandResult {
  command: EngineCommand
  /** False for the idempotent same-state command (no transition recorded). */
  changed: boolean
  previous_state: EngineState
  state: EngineState
  message: string
  timestamp: string
  status: EngineStatus
}

/** `GET /v1/engine/commands`. */
export interface EngineCommandsView {
  commands: EngineCommand[]
  current_state: EngineState
  timestamp: string
}

export type EngineEventKind = 'engine_update' | 'signal' | 'scan_result'
export type EngineEventSink = (kind: EngineEventKind, data: Record<string, unknown>, owner: string) => void

/** Seed 003's resource health: healthy, or why not. */
export interface ResourceHealthIssue {
  metric: 'event_loop_delay' | 'memory' | 'engine_errors'
  severity: 'warning' | 'error'
  value: number
  threshold: number
  message: string
}

export interface ResourceHealth {
  status: 'healthy' | 'warning' | 'error'
  issues: ResourceHealthIssue[]
  /** Event-loop delay since the previous reading (perf_hooks.monitorEventLoopDelay), ms. */
  event_loop_delay_ms: { mean: number; p50: number; p99: number; max: number }
  /** Resident set size, MiB. */
  memory_used_mb: number
  heap_used_mb: number
  /** RSS as a percent of the machine's memory. */
  memory_percent: number
  /** Transitions into ERROR in the last hour (the owner's engine, or every engine). */
  engine_errors_last_hour: number
  engines: { total: number; running: number }
  thresholds: HealthThresholds
  timestamp: string
}

export interface HealthThresholds {
  event_loop_p99_warning_ms: number
  event_loop_p99_error_ms: number
  memory_warning_mb: number
  memory_error_mb: number
  errors_per_hour_warning: number
  errors_per_hour_error: number
}

/** The cycle's working context, persisted with the engine (internal; not served as is). */
export interface EngineContext {
  counters: EngineCounters
  candidate: EngineCandidate | null
  signal: EngineSignal | null
  last_scan: EngineStatus['last_scan'] & { boundary: number } | null
  last_error: { message: string; at: string } | null
  /** Candle open time (ms) of the last signal taken per symbol: a breakout is traded once. */
  taken: Record<string, number>
  /** Realized PnL (quote) of the account when the current position opened. */
  realized_at_entry: number | null
}

export type { ScanCandidate }
