import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import { DomainError, type ErrorCode } from '../core'
import type { AppEnv } from './types'

/** The one code → HTTP status table, for every route and for refusals before a WebSocket handshake. */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  INVALID_SYMBOL: 400,
  INVALID_ORDER_TYPE: 400,
  INVALID_ORDER_SIZE: 400,
  INVALID_PRICE: 400,
  INSUFFICIENT_BALANCE: 400,
  POSITION_LIMIT_EXCEEDED: 400,
  DAILY_LOSS_LIMIT_EXCEEDED: 400,
  MAX_DRAWDOWN_EXCEEDED: 400,
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
  PAYLOAD_TOO_LARGE: 413,
  MESSAGE_TOO_LARGE: 413,
  SUBSCRIPTION_LIMIT_EXCEEDED: 429,
  CONNECTION_LIMIT_EXCEEDED: 429,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
}

/** The HTTP status of a domain error. */
export const statusOf = (err: DomainError): ContentfulStatusCode => STATUS_OF[err.code]

/** Turn a zod failure into VALIDATION_FAILED with details naming each offending field. */
export function validationError(error: ZodError, target: string): DomainError {
  const issues = error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.join('.') : target,
    message: i.message,
    code: i.code,
  }))
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
}

/** Normalise anything thrown into a DomainError; unexpected errors become INTERNAL_ERROR without internals. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err
  if (err instanceof HTTPException) {
    const known = HTTP_EXCEPTIONS[err.status]
    if (known) return new DomainError(known[0], err.message || known[1], err.status === 400 ? { target: 'body' } : {})
  }
  return new DomainError('INTERNAL_ERROR', 'An unexpected error occurred')
}

/** The contract's error envelope, with the status of its code. */
export function errorResponse(c: Context<AppEnv>, err: DomainError): Response {
  return c.json(err.envelope(c.get('requestId') ?? 'unknown', new Date().toISOString()), statusOf(err))
}
