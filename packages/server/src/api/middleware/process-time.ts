import type { MiddlewareHandler } from 'hono'
import { DomainError } from '../../core'
import type { AppEnv } from '../types'

/** The only version this server speaks. */
export const API_VERSION = 'v1'

/**
 * `X-Process-Time` (seconds spent, measured) and `API-Version: v1` on every response — errors, 404s
 * and 429s included: Hono renders those into `c.res` before control returns here.
 */
export function processTime(): MiddlewareHandler<AppEnv> {
  return async function processTimeMiddleware(c, next) {
    const started = performance.now()
    await next()
    c.header('API-Version', API_VERSION)
    c.header('X-Process-Time', ((performance.now() - started) / 1000).toFixed(6))
  }
}

/**
 * A request asking for another `API-Version` is refused with 400 UNSUPPORTED_API_VERSION (after
 * the rate limiter, so the refusal carries its headers like every other 400).
 */
export function apiVersion(): MiddlewareHandler<AppEnv> {
  return async function apiVersionMiddleware(c, next) {
    const asked = c.req.header('api-version')
    if (asked !== undefined && asked.trim().toLowerCase() !== API_VERSION)
      throw new DomainError('UNSUPPORTED_API_VERSION', `API-Version "${asked.slice(0, 40)}" is not served; this server speaks ${API_VERSION}`, {
        requested: asked.slice(0, 40),
        supported: [API_VERSION],
      })
    await next()
  }
}
