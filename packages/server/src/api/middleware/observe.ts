import type { MiddlewareHandler } from 'hono'
import type { Logger, Metrics } from '../../observability'
import type { AppEnv } from '../types'
import { API_VERSION, stampProcessTime } from './process-time'
import { requestIds } from './request-id'

/**
 * The outermost step of every request, and the only one that works after the route: the request
 * id (echoed), `API-Version` and `X-Process-Time`, request metrics (count by status, latency by
 * route) and one access line. One step, not four: each middleware layer is an async frame and a
 * promise on every request (measured in docs/performance.md).
 */
export function observe(metrics: Metrics, logger: Logger): MiddlewareHandler<AppEnv> {
  const idFor = requestIds()
  // The access line's fields are fixed and hold no secret (the path without its query, never a
  // header), so it skips the redaction the other records need: that walk cost ~10 µs a request.
  const access = logger.child({ component: 'http' }, { redact: [] })
  return async function observeMiddleware(c, next) {
    const started = performance.now()
    const id = idFor(c)
    c.set('requestId', id)
    // Prepared before the route: they join the response as it is built.
    c.header('X-Request-Id', id)
    c.header('API-Version', API_VERSION)
    await next()
    const elapsedMs = performance.now() - started
    stampProcessTime(c, elapsedMs)
    const status = c.res.status
    // The matched route pattern, not the raw path, keeps label cardinality bounded.
    const route = status === 404 && c.req.routePath === '/*' ? 'unmatched' : c.req.routePath
    const method = c.req.method
    metrics.recordRequest(method, route, status, elapsedMs / 1000)
    if (access.isLevelEnabled('info')) access.info({ request_id: id, method, path: c.req.path, status, ms: +elapsedMs.toFixed(3) }, 'request')
  }
}
