/**
 * Every stable code a client can see, in the HTTP error envelope or a WebSocket error frame.
 * api/errors.ts maps each to its HTTP status; the contract's ErrorCode enum lists the same codes (a
 * test keeps the three equal). MARKET_CLOSED, EXCHANGE_API_ERROR and SYSTEM_OVERLOAD are seed 000's
 * codes for market sources that stop or fail (CSV replay, live exchange data).
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNSUPPORTED_API_VERSION',
  'INVALID_SYMBOL',
  'INVALID_ORDER_TYPE',
  'INVALID_ORDER_SIZE',
  'INVALID_PRICE',
  'INSUFFICIENT_BALANCE',
  'POSITION_LIMIT_EXCEEDED',
  'DAILY_LOSS_LIMIT_EXCEEDED',
  'MAX_DRAWDOWN_EXCEEDED',
  'STALE_PRICE',
  'RISK_LOCKED',
  'TRADING_PAUSED',
  'ORDER_NOT_CANCELLABLE',
  'ORDER_NOT_FOUND',
  'POSITION_NOT_FOUND',
  'NOT_FOUND',
  'IDEMPOTENCY_CONFLICT',
  'PRESET_IN_USE',
  'LIVE_TRADING_UNAVAILABLE',
  'PRESET_NOT_FOUND',
  'STRATEGY_NOT_FOUND',
  'INSUFFICIENT_HISTORY',
  'INVALID_STATE_TRANSITION',
  'CONCURRENT_RUN_LIMIT',
  'STRATEGY_ACCOUNT_LIMIT',
  'CYCLE_IN_PROGRESS',
  'SCHEDULER_ALREADY_PAUSED',
  'SCHEDULER_NOT_PAUSED',
  'PRESET_MISMATCH',
  'MODEL_UNAVAILABLE',
  'UNSUPPORTED_MEDIA_TYPE',
  'AUTHENTICATION_FAILED',
  'AUTHENTICATION_REQUIRED',
  'TOKEN_EXPIRED',
  'INSUFFICIENT_PERMISSIONS',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'HEADERS_TOO_LARGE',
  'MESSAGE_TOO_LARGE',
  'INVALID_MESSAGE',
  'INVALID_CHANNEL',
  'SUBSCRIPTION_LIMIT_EXCEEDED',
  'CONNECTION_LIMIT_EXCEEDED',
  'RATE_LIMIT_EXCEEDED',
  'MARKET_CLOSED',
  'EXCHANGE_API_ERROR',
  'SYSTEM_OVERLOAD',
  'INTERNAL_ERROR',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * A failure with a stable code, a message and structured details; no transport, no status. Domain
 * checks return it as a value (a denial) or throw it; the API and WebSocket layers render it.
 *
 * @example
 * throw new DomainError('ORDER_NOT_FOUND', `Order ${id} not found`, { order_id: id })
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'DomainError'
  }

  /**
   * A refusal returned as a value (a denial) rather than thrown, built without capturing a stack:
   * its code and details say what happened, and the capture costs more than the check that refused
   * (a backtest whose equity fell under the minimum notional was refused on every signal, and the
   * captures were a tenth of its run).
   *
   * @example
   * return DomainError.denial('INSUFFICIENT_BALANCE', 'Insufficient balance to execute trade', { required, available })
   */
  static denial(code: ErrorCode, message: string, details: Record<string, unknown> = {}): DomainError {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      return new DomainError(code, message, details)
    } finally {
      Error.stackTraceLimit = limit
    }
  }

  /** The contract's error envelope (HTTP responses, and refusals written before any HTTP framework). */
  envelope(requestId: string, timestamp: string): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, details: this.details, timestamp, request_id: requestId } }
  }
}

export const invalidSymbol = (symbol: string, known: readonly string[]): DomainError =>
  new DomainError('INVALID_SYMBOL', `Unknown trading symbol "${symbol}"`, { symbol, available: known })
