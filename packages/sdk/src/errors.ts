/**
 * The error envelope every SMC Trading API error response carries.
 * @example
 * const res = await fetch('http://localhost:8000/v1/market-data/NOPE')
 * if (!res.ok) console.log(((await res.json()) as ErrorEnvelope).error.code) // 'INVALID_SYMBOL'
 */
export interface ErrorEnvelope {
  error: {
    code: string
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
  override readonly name = 'SMCApiError'
  constructor(
    readonly status: number,
    readonly code: string,
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
    return new SMCApiError(response.status, `HTTP_${response.status}`, response.statusText || 'Request failed', {}, requestId)
  }
}
