import type { DomainError } from '../core'
import type { ProtectionsConfig, RiskEventRow, RiskLockRow, RiskSeverity, TradingControlRow } from '../store'

/** Stored rows (their shape belongs to the store's repositories). */
export type { ProtectionsConfig, RiskEventRow, RiskLockRow, TradingControlRow }

/** An open position as risk sees it. Money in atoms (1e-8 quote), quantities in lots. */
export interface PositionExposure {
  symbol: string
  side: 'long' | 'short'
  lots: number
  /** 10^quantityPrecision of the instrument: base units = lots / qtyScale. */
  qtyScale: number
  /** Marked value (atoms, positive). */
  value: number
  unrealized: number
}

/** An account's state at one instant, marked to the last prices. */
export interface Portfolio {
  accountId: string
  userId: string
  now: number
  balance: number
  equity: number
  /** Σ marked values of the open positions (1× margin). */
  exposure: number
  positions: PositionExposure[]
  /** Highest equity mark so far (including now). */
  peakEquity: number
  /** Equity at the last 00:00 UTC, or at opening when the account is younger. */
  dayStartEquity: number
}

/** What an order would do to its symbol's position, for the pre-trade checks. */
export interface OrderImpact {
  symbol: string
  side: 'buy' | 'sell'
  qtyScale: number
  /** Signed lots now (long > 0) and after the whole order. */
  currentLots: number
  resultingLots: number
  /** Whether the order adds exposure (grows the position or reverses it). */
  increasesExposure: boolean
  /** Margin the added exposure needs plus the estimated commission (atoms). */
  requiredMargin: number
}

/** The limits in force for an account. Sizes in base units, losses in quote currency. */
export interface EffectiveLimits {
  maxPositionSize: number
  maxDailyLoss: number
  maxDrawdown: number
  stopLossPercent: number | null
  positionLimits: Record<string, number>
  /** The account's protections (each null when off). */
  protections: ProtectionsConfig
  updatedAt: number | null
}

export type Severity = RiskSeverity

/** The contract's RiskEvent. */
export interface RiskEventView {
  id: string
  type: string
  severity: Severity
  message: string
  symbol: string | null
  details: Record<string, unknown>
  timestamp: string
  resolved: boolean
  resolved_at: string | null
}

/** The pause in force for an account. */
export interface TradingPause {
  scope: 'global' | 'account' | 'market'
  /** The symbol of a market pause. */
  symbol?: string
  reason: string | null
  pausedAt: number
  /** When it lifts by itself (null: until resumed). */
  resumeAt: number | null
}

/** A pre-trade denial: a DomainError returned as a value, never thrown. */
export type RiskDenial = DomainError

/** A change of an account's limits (the contract's body): an omitted field keeps its value, null resets it. */
export interface LimitsUpdate {
  max_position_size?: number | null
  max_daily_loss?: number | null
  max_drawdown?: number | null
  stop_loss_percent?: number | null
  position_limits?: Record<string, number>
  /** Protections present replace the account's (null turns one off). */
  protections?: Partial<ProtectionsConfig>
}

/** Which of an account's risk events to list (times in ms; `limit` defaults to 100). */
export interface RiskEventQuery {
  severity?: Severity
  since?: number
  until?: number
  resolved?: boolean
  limit?: number
}
