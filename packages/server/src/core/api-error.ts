import type { ContentfulStatusCode } from 'hono/utils/http-status'

/**
 * Every failure a client can see: a stable SCREAMING_SNAKE code, an HTTP status and details.
 * Thrown anywhere below the API layer, rendered as the contract's error envelope by one handler.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** The contract's error envelope (HTTP responses, and refusals written before any HTTP framework). */
  envelope(requestId: string, timestamp: string): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, details: this.details, timestamp, request_id: requestId } }
  }
}

export const invalidSymbol = (symbol: string, known: readonly string[]): ApiError =>
  new ApiError(400, 'INVALID_SYMBOL', `Unknown trading symbol "${symbol}"`, { symbol, available: known })
