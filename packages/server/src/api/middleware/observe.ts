import type { MiddlewareHandler } from 'hono'
import type { Logger, Metrics } from '../../observability'
import type { AppEnv } from '../types'

/** Request metrics (count by status, latency by route) and one structured log line per request. */
export function observe(metrics: Metrics, logger: Logger): MiddlewareHandler<AppEnv> {
  return async function observeMiddleware(c, next) {
    const started = performance.now()
    await next()
    const seconds = (performance.now() - started) / 1000
    // The matched route pattern, not the raw path, keeps label cardinality bounded.
    const route = c.res.status === 404 && c.req.routePath === '/*' ? 'unmatched' : c.req.routePath
    const method = c.req.method
    const status = String(c.res.status)
    metrics.requests.inc({ method, route, status })
    metrics.latency.observe({ method, route }, seconds)
    metrics.live.record(method, route, c.res.status, seconds)
    if (logger.isLevelEnabled('info'))
      logger.info(
        { request_id: c.get('requestId'), method, path: c.req.path, status: c.res.status, ms: +(seconds * 1000).toFixed(3) },
        'request',
      )
  }
}
