import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { AppEnv } from '../types'
import { requestHeader } from './request-header'

/** Headers a browser client may read: rate limits, request id, timing, version. */
const EXPOSED = [
  'X-Request-Id',
  'X-Process-Time',
  'API-Version',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Burst-Remaining',
  'X-RateLimit-Reset',
  'X-RateLimit-Tier',
  'Retry-After',
]

/**
 * CORS for browser clients (`CORS_ORIGINS`: `*` or a comma-separated list). Registered before
 * authentication and rate limiting, so a preflight is answered without credentials.
 */
export function corsFor(origins: string): MiddlewareHandler<AppEnv> {
  const list = origins.split(',').map((o) => o.trim()).filter(Boolean)
  const handler = cors({
    origin: list.includes('*') ? '*' : list,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'X-Request-Id', 'API-Version'],
    exposeHeaders: EXPOSED,
    maxAge: 600,
  })
  // CORS concerns browsers, which always send Origin. hono's cors writes its headers on a response it
  // creates before the route runs, which forces the node adapter off its fast path for every
  // response: bots and servers (no Origin) skip it.
  return function corsMiddleware(c, next) {
    if (requestHeader(c, 'origin') === undefined) return next()
    return handler(c, next)
  }
}
