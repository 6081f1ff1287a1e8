import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { registerComponents } from '../generated'
import { DomainError } from '../core'
import type { AppServices } from '../services'
import { errorResponse, toDomainError, validationError } from './errors'
import { identify } from './middleware/identify'
import { observe } from './middleware/observe'
import { rateLimit, type RateLimits } from './middleware/rate-limit'
import { tierLimits } from './middleware/tier-limits'
import { corsFor } from './middleware/cors'
import { apiVersion, processTime } from './middleware/process-time'
import { requestId } from './middleware/request-id'
import { requestHeader } from './middleware/request-header'
import { registerRoutes } from './routes'
import type { App, AppEnv } from './types'

/** Largest request body accepted (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024
/** Longest path + query accepted (8 KiB); Node refuses a request line and headers over 16 KiB itself (http-server.ts). */
export const MAX_URL_BYTES = 8 * 1024

/** Build the whole HTTP application from its services; nothing module-level, so tests build many. */
export function createApp(services: AppServices): App {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target)
    },
  })
  registerComponents(app.openAPIRegistry)

  app.use('*', requestId())
  app.use('*', processTime())
  app.use('*', corsFor(services.env.CORS_ORIGINS))
  app.use('*', (c, next) => {
    // The full URL is longer than its path + query: only a long one is measured exactly.
    if (c.req.url.length > MAX_URL_BYTES && c.req.url.length - new URL(c.req.url).origin.length > MAX_URL_BYTES)
      throw new DomainError('URI_TOO_LONG', `The request URL exceeds ${MAX_URL_BYTES} bytes`, { limit_bytes: MAX_URL_BYTES })
    return next()
  })
  app.use('*', observe(services.metrics, services.logger))
  app.use('*', identify(services.auth, services.clock))
  // The settings object changes only on PUT /v1/config: the limits are rebuilt then, not per request.
  let limitsOf: { settings: unknown; limits: RateLimits } | undefined
  app.use(
    '*',
    rateLimit(services.clock, () => {
      const s = services.settings.get()
      if (limitsOf?.settings !== s) limitsOf = { settings: s, limits: { enabled: services.env.RATE_LIMIT_ENABLED, tiers: tierLimits(s) } }
      return limitsOf.limits
    }),
  )

  app.use('*', apiVersion())

  // Every JSON body the contract takes is small: a larger one is refused before it is read whole.
  // A declared Content-Length is checked directly: hono's bodyLimit wraps the body stream, which
  // costs a fifth of the order path's throughput; it guards only bodies of unknown length.
  const tooLarge = (): never => {
    throw new DomainError('PAYLOAD_TOO_LARGE', `The request body exceeds ${MAX_BODY_BYTES} bytes`, { limit_bytes: MAX_BODY_BYTES })
  }
  const streamed = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge })
  app.use('*', (c, next) => {
    const length = requestHeader(c, 'content-length')
    if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
      if (Number(length) > MAX_BODY_BYTES) tooLarge()
      return next()
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    return streamed(c, next)
  })

  registerRoutes(app, services)

  app.notFound((c) => errorResponse(c, new DomainError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`)))
  app.onError((err, c) => {
    const error = toDomainError(err, requestHeader(c, 'content-type'))
    if (error.code === 'INTERNAL_ERROR') services.logger.error({ err, request_id: c.get('requestId') }, 'unhandled error')
    return errorResponse(c, error)
  })
  return app
}
