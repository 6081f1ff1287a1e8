import { OpenAPIHono } from '@hono/zod-openapi'
import { registerComponents } from '../generated'
import { DomainError } from '../core'
import type { AppServices } from '../services'
import { errorResponse, toDomainError, validationError } from './errors'
import { identify } from './middleware/identify'
import { observe } from './middleware/observe'
import { rateLimit, type RateLimits } from './middleware/rate-limit'
import { tierLimits } from './middleware/tier-limits'
import { corsFor } from './middleware/cors'
import { acceptedRequest, urlLength } from './middleware/request-guards'
import { requestHeader } from './middleware/request-header'
import { sequence } from './middleware/sequence'
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

  // Order matters: observe wraps everything (so refusals are timed, counted and logged), CORS
  // answers preflights before authentication, the URL guard runs before any route, the limiter
  // before the guards whose refusals carry its headers.
  app.use('*', observe(services.metrics, services.logger))
  app.use('*', corsFor(services.env.CORS_ORIGINS))
  // The settings object changes only on PUT /v1/config: the limits are rebuilt then, not per request.
  let limitsOf: { settings: unknown; limits: RateLimits } | undefined
  const limits = () => {
    const s = services.settings.get()
    if (limitsOf?.settings !== s) limitsOf = { settings: s, limits: { enabled: services.env.RATE_LIMIT_ENABLED, tiers: tierLimits(s) } }
    return limitsOf.limits
  }
  // The request guards, in one step (each throws or calls the next): the URL guard before any
  // route, identification before the limiter (it keys on the token), the limiter before the
  // API-Version and body guard (whose refusals carry its headers). Every JSON body the contract
  // takes is small: a larger one is refused before it is read whole.
  app.use(
    '*',
    sequence(urlLength(MAX_URL_BYTES), identify(services.auth, services.clock), rateLimit(services.clock, limits), acceptedRequest(MAX_BODY_BYTES)),
  )

  registerRoutes(app, services)

  app.notFound((c) => errorResponse(c, new DomainError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`)))
  app.onError((err, c) => {
    const error = toDomainError(err, requestHeader(c, 'content-type'))
    if (error.code === 'INTERNAL_ERROR') services.logger.error({ err, request_id: c.get('requestId') }, 'unhandled error')
    return errorResponse(c, error)
  })
  return app
}
