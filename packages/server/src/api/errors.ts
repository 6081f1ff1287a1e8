import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import { DomainError, type ErrorCode } from '../core'
import type { AppEnv } from './types'

/** The one code → HTTP status table, for every route and for refusals before a WebSocket handshake. */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  UNSUPPORTED_API_VERSION: 400,
  INVALID_SYMBOL: 400,
  INVALID_ORDER_TYPE: 400,
  INVALID_ORDER_SIZE: 400,
  INVALID_PRICE: 400,
  INSUFFICIENT_BALANCE: 400,
  POSITION_LIMIT_EXCEEDED: 400,
  DAILY_LOSS_LIMIT_EXCEEDED: 400,
  MAX_DRAWDOWN_EXCEEDED: 400,
  STALE_PRICE: 400,
  RISK_LOCKED: 400,
  TRADING_PAUSED: 400,
  ORDER_NOT_CANCELLABLE: 400,
  INVALID_MESSAGE: 400,
  INVALID_CHANNEL: 400,
  AUTHENTICATION_FAILED: 401,
  AUTHENTICATION_REQUIRED: 401,
  TOKEN_EXPIRED: 401,
  INSUFFICIENT_PERMISSIONS: 403,
  ORDER_NOT_FOUND: 404,
  POSITION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  PRESET_IN_USE: 409,
  LIVE_TRADING_UNAVAILABLE: 400,
  PRESET_NOT_FOUND: 400,
  STRATEGY_NOT_FOUND: 400,
  INSUFFICIENT_HISTORY: 400,
  INVALID_STATE_TRANSITION: 400,
  CONCURRENT_RUN_LIMIT: 429,
  STRATEGY_ACCOUNT_LIMIT: 400,
  CYCLE_IN_PROGRESS: 409,
  SCHEDULER_ALREADY_PAUSED: 400,
  SCHEDULER_NOT_PAUSED: 400,
  PRESET_MISMATCH: 400,
  MODEL_UNAVAILABLE: 503,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  MESSAGE_TOO_LARGE: 413,
  SUBSCRIPTION_LIMIT_EXCEEDED: 429,
  CONNECTION_LIMIT_EXCEEDED: 429,
  RATE_LIMIT_EXCEEDED: 429,
  MARKET_CLOSED: 400,
  EXCHANGE_API_ERROR: 502,
  SYSTEM_OVERLOAD: 503,
  INTERNAL_ERROR: 500,
}

/** The HTTP status of a domain error. */
export const statusOf = (err: DomainError): ContentfulStatusCode => STATUS_OF[err.code]

const MAX_ECHO = 200
const MAX_ISSUES = 10
/** A client's text as echoed in an error: at most {@link MAX_ECHO} characters. */
export const cut = (text: string): string => (text.length <= MAX_ECHO ? text : `${text.slice(0, MAX_ECHO)}… (${text.length} characters)`)

/** Turn a zod failure into VALIDATION_FAILED with details naming each offending field. */
export function validationError(error: ZodError, target: string): DomainError {
  // Messages can quote the input (an unknown key, say): cut, so an error body stays small.
  const issues = error.issues.slice(0, MAX_ISSUES).map((i) => {
    // An unknown key is reported on the object holding it: name the key itself (the first of them).
    const path = i.code === 'unrecognized_keys' && i.keys.length > 0 ? [...i.path, i.keys[0]!] : i.path
    return { field: cut(path.length > 0 ? path.join('.') : target), message: cut(i.message), code: i.code }
  })
  const first = issues[0]
  return new DomainError('VALIDATION_FAILED', first ? `Invalid ${target} field "${first.field}": ${first.message}` : `Invalid ${target}`, {
    target,
    field: first?.field,
    issues,
  })
}

/** Hono's own exceptions by status, as the envelope's codes. */
const HTTP_EXCEPTIONS: Partial<Record<number, [ErrorCode, string]>> = {
  400: ['VALIDATION_FAILED', 'Malformed request'],
  401: ['AUTHENTICATION_FAILED', 'Authentication required'],
  404: ['NOT_FOUND', 'Not found'],
  413: ['PAYLOAD_TOO_LARGE', 'Request body too large'],
  // @hono/zod-openapi's media-type gate: a JSON-body route called without application/json.
  415: ['UNSUPPORTED_MEDIA_TYPE', 'The request body must be sent as application/json'],
}

/**
 * Normalise anything thrown into a DomainError; unexpected errors become INTERNAL_ERROR without
 * internals. `contentType` is the request's, named by an UNSUPPORTED_MEDIA_TYPE.
 */
export function toDomainError(err: unknown, contentType?: string): DomainError {
  if (err instanceof DomainError) return err
  if (err instanceof HTTPException) {
    const known = HTTP_EXCEPTIONS[err.status]
    if (known?.[0] === 'UNSUPPORTED_MEDIA_TYPE')
      return new DomainError(known[0], known[1], { expected: 'application/json', received: (contentType ?? '').slice(0, 200) || null })
    if (known) return new DomainError(known[0], err.message || known[1], err.status === 400 ? { target: 'body' } : {})
  }
  return new DomainError('INTERNAL_ERROR', 'An unexpected error occurred')
}

/** The contract's error envelope, with the status of its code. */
export function errorResponse(c: Context<AppEnv>, err: DomainError): Response {
  const status = statusOf(err)
  // Every 429 tells when to come back (the rate limiter sets its own; other limits say in details).
  if (status === 429 && !c.res.headers.has('Retry-After')) {
    const after = Number(err.details.retry_after)
    c.header('Retry-After', String(Number.isFinite(after) && after > 0 ? Math.ceil(after) : 1))
  }
  return c.json(err.envelope(c.get('requestId') ?? 'unknown', new Date().toISOString()), status)
}
