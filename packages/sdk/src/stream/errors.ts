import type { StreamErrorData } from './types'

/**
 * A stream failure: an `error` frame from the server (its stable `code`, `message`, `details`), or
 * a client-side condition (`STREAM_CLOSED`, `CONNECTION_LOST`, `OVERFLOW`, `PROTOCOL_ERROR`).
 *
 * @example
 * try {
 *   await stream.subscribe('market_data', 'NOPE')
 * } catch (e) {
 *   if (e instanceof SMCStreamError && e.code === 'INVALID_SYMBOL') console.log(e.details.available_symbols)
 * }
 */
export class SMCStreamError extends Error {
  override readonly name = 'SMCStreamError'
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly requestId?: string,
  ) {
    super(message)
  }

  /** From the data of a server `error` frame. */
  static fromFrame(data: StreamErrorData): SMCStreamError {
    return new SMCStreamError(data.code, data.message, data.details, data.request_id)
  }
}

/** `e` if it is an Error, else an Error with its text (for values thrown by user code). */
export const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)))
