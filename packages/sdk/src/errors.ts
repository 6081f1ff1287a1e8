import type { components } from './generated/api'

/**
 * Every stable code the server emits (the contract's closed `ErrorCode` list), so a `switch` over
 * it can be exhaustive.
 * @example
 * const retryable = (code: ErrorCode) => code === 'RATE_LIMIT_EXCEEDED' || code === 'SYSTEM_OVERLOAD'
 */
export type ErrorCode = components['schemas']['ErrorCode']

/**
 * What an {@link SMCApiError} can carry: a server {@link ErrorCode}, or one the client sets itself —
 * `NETWORK_ERROR` and `TIMEOUT` (no answer), `UNEXPECTED_RESPONSE` (an answer outside the envelope,
 * e.g. from a proxy; the status is on the error).
 * @example
 * function describe(e: SMCApiError): string {
 *   switch (e.code) {
 *     case 'INSUFFICIENT_BALANCE': return 'top up'
 *     case 'NETWORK_ERROR': case 'TIMEOUT': return 'retry later'
 *     default: return e.message
 *   }
 * }
 */
export type SMCErrorCode = ErrorCode | 'NETWORK_ERROR' | 'TIMEOUT' | 'UNEXPECTED_RESPONSE'

/**
 * The error envelope every SMC Trading API error response carries.
 * @example
 * const res = await fetch('http://localhost:8000/v1/market-data/NOPE')
 * if (!res.ok) console.log(((await res.json()) as ErrorEnvelope).error.code) // 'INVALID_SYMBOL'
 */
export interface ErrorEnvelope {
  error: {
    code: ErrorCode
    message: string
    details: Record<string, unknown>
    timestamp: string
    request_id: string
  }
}

/**
 * An API error: the HTTP status plus the envelope's stable code, message, details and request id.
 * Network failures and timeouts are SMCApiErrors too, with status 0 and code NETWORK_ERROR or TIMEOUT.
 *
 * @example
 * try {
 *   await client.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 100 })
 * } catch (e) {
 *   if (e instanceof SMCApiError && e.code === 'INSUFFICIENT_BALANCE') console.log(e.details)
 * }
 */
export class SMCApiError extends Error {
  override readonly name: string = 'SMCApiError'
  constructor(
    readonly status: number,
    readonly code: SMCErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }

  /** Build from a response and its parsed body (the envelope when the server sent one). */
  static fromResponse(response: Response, body: unknown): SMCApiError {
    const env = body as Partial<ErrorEnvelope> | undefined
    const e = env?.error
    const requestId = e?.request_id ?? response.headers.get('x-request-id') ?? undefined
    if (e && typeof e.code === 'string')
      return new SMCApiError(response.status, e.code, e.message ?? response.statusText, e.details ?? {}, requestId)
    return new SMCApiError(response.status, 'UNEXPECTED_RESPONSE', response.statusText || `HTTP ${response.status}`, {}, requestId)
  }
}

/**
 * `submitAndWait` gave up waiting: the order is still live (not filled, cancelled, rejected or
 * expired). Carries the order id and the last state read, so the caller can cancel or keep watching.
 * An `SMCApiError` with status 0 and code `TIMEOUT`.
 * @example
 * try {
 *   await client.submitAndWait(order, { timeoutMs: 5_000 })
 * } catch (e) {
 *   if (e instanceof OrderWaitTimeoutError) await client.cancelOrder(e.orderId)
 * }
 */
export class OrderWaitTimeoutError extends SMCApiError {
  override readonly name = 'OrderWaitTimeoutError'
  readonly orderId: string

  constructor(
    /** The order as last read. */
    readonly order: { order_id: string; status: string },
    timeoutMs: number,
  ) {
    super(0, 'TIMEOUT', `Order ${order.order_id} is still ${order.status} after ${timeoutMs} ms`, { order_id: order.order_id, status: order.status, timeout_ms: timeoutMs })
    this.orderId = order.order_id
  }
}
