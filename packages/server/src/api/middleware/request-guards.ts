import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { DomainError } from '../../core'
import type { AppEnv } from '../types'
import { API_VERSION } from './process-time'
import { requestHeader } from './request-header'

/**
 * Refuse a URL (path + query) over `maxBytes` with 414 URI_TOO_LONG, before any route runs.
 * The full URL is longer than its path + query: only a long one is measured exactly.
 */
export function urlLength(maxBytes: number): MiddlewareHandler<AppEnv> {
  return function urlLengthMiddleware(c, next) {
    if (c.req.url.length > maxBytes && c.req.url.length - new URL(c.req.url).origin.length > maxBytes)
      throw new DomainError('URI_TOO_LONG', `The request URL exceeds ${maxBytes} bytes`, { limit_bytes: maxBytes })
    return next()
  }
}

/**
 * After the rate limiter (so these refusals carry its headers like every other 4xx), in one step:
 * a request asking for another `API-Version` → 400 UNSUPPORTED_API_VERSION; a body over
 * `maxBodyBytes` → 413 PAYLOAD_TOO_LARGE before it is read whole. A declared Content-Length is
 * checked directly: hono's bodyLimit wraps the body stream, which costs a fifth of the order
 * path's throughput; it guards only bodies of unknown length.
 */
export function acceptedRequest(maxBodyBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (): never => {
    throw new DomainError('PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes`, { limit_bytes: maxBodyBytes })
  }
  const streamed = bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge })
  return function acceptedRequestMiddleware(c, next) {
    const asked = requestHeader(c, 'api-version')
    if (asked !== undefined && asked.trim().toLowerCase() !== API_VERSION)
      throw new DomainError('UNSUPPORTED_API_VERSION', `API-Version "${asked.slice(0, 40)}" is not served; this server speaks ${API_VERSION}`, {
        requested: asked.slice(0, 40),
        supported: [API_VERSION],
      })
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    const length = requestHeader(c, 'content-length')
    if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
      if (Number(length) > maxBodyBytes) tooLarge()
      return next()
    }
    return streamed(c, next)
  }
}
