import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ZodError } from 'zod'
import { ApiError } from '../core'
import type { AppEnv } from './types'

/** Turn a zod failure into VALIDATION_FAILED with details naming each offending field. */
export function validationError(error: ZodError, target: string): ApiError {
  const issues = error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.join('.') : target,
    message: i.message,
    code: i.code,
  }))
  const first = issues[0]
  return new ApiError(400, 'VALIDATION_FAILED', first ? `Invalid ${target} field "${first.field}": ${first.message}` : `Invalid ${target}`, {
    target,
    field: first?.field,
    issues,
  })
}

/** Normalise anything thrown into an ApiError; unexpected errors become INTERNAL_ERROR without internals. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof HTTPException) {
    if (err.status === 400) return new ApiError(400, 'VALIDATION_FAILED', err.message || 'Malformed request', { target: 'body' })
    if (err.status === 401) return new ApiError(401, 'AUTHENTICATION_FAILED', err.message || 'Authentication required')
    if (err.status === 404) return new ApiError(404, 'NOT_FOUND', err.message || 'Not found')
    if (err.status === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', err.message || 'Request body too large')
  }
  return new ApiError(500, 'INTERNAL_ERROR', 'An unexpected error occurred')
}

/** The contract's error envelope. */
export function errorResponse(c: Context<AppEnv>, err: ApiError): Response {
  return c.json(err.envelope(c.get('requestId') ?? 'unknown', new Date().toISOString()), err.status)
}
