import type { MiddlewareHandler } from 'hono'
import { DomainError } from '../../core'
import type { AppEnv } from '../types'
import { requestHeader } from './request-header'

/** The only version this server speaks. */
export const API_VERSION = 'v1'

/**
 * `X-Process-Time` (seconds spent, measured) and `API-Version: v1` on every response — errors, 404s
 * and 429s included: Hono renders those into `c.res` before control returns here.
 */
export function processTime(): MiddlewareHandler<AppEnv> {
  return async function processTimeMiddleware(c, next) {
    const started = performance.now()
    // Before the route: a prepared header joins the response as it is built.
    c.header('API-Version', API_VERSION)
    await next()
    const took = ((performance.now() - started) / 1000).toFixed(6)
    // After it, set on the finished response's headers in place: c.header() would rebuild the
    // response around a stream body, which takes the node adapter off its fast path.
    try {
      c.res.headers.set('X-Process-Time', took)
      if (!c.res.headers.has('API-Version')) c.res.headers.set('API-Version', API_VERSION)
    } catch {
      // Immutable headers (a response passed through from elsewhere): rebuild after all.
      c.header('X-Process-Time', took)
      c.header('API-Version', API_VERSION)
    }
  }
}

/**
 * A request asking for another `API-Version` is refused with 400 UNSUPPORTED_API_VERSION (after
 * the rate limiter, so the refusal carries its headers like every other 400).
 */
export function apiVersion(): MiddlewareHandler<AppEnv> {
  return async function apiVersionMiddleware(c, next) {
    const asked = requestHeader(c, 'api-version')
    if (asked !== undefined && asked.trim().toLowerCase() !== API_VERSION)
      throw new DomainError('UNSUPPORTED_API_VERSION', `API-Version "${asked.slice(0, 40)}" is not served; this server speaks ${API_VERSION}`, {
        requested: asked.slice(0, 40),
        supported: [API_VERSION],
      })
    await next()
  }
}
