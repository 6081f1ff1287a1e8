import { readFileSync } from 'node:fs'
import { getApiRootRoute, getAsyncApiDocumentRoute, getAsyncApiYamlRoute, getDetailedHealthRoute, getHealthRoute, getLogsRoute, getMetricsPerformanceRoute, getMetricsRoute, getMetricsSummaryRoute, getOpenApiDocumentRoute, getTradingMetricsRoute } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'
import { registerDocsRoutes } from './docs'
import { healthReport } from './health'
import { detailedHealth } from './health-detailed'
import { metricsPerformance, metricsSummary, tradingMetrics } from './metrics'
import { userOf } from '../../route-helpers'

/** The bundled contract, exactly as the build wrote it (read once). */
const CONTRACT_TEXT = readFileSync(new URL('../../../generated/openapi.json', import.meta.url), 'utf8')
/** The socket's bundled AsyncAPI description, in both of the build's formats. */
const ASYNCAPI_JSON = readFileSync(new URL('../../../generated/asyncapi.json', import.meta.url), 'utf8')
const ASYNCAPI_YAML = readFileSync(new URL('../../../generated/asyncapi.yaml', import.meta.url), 'utf8')

export function registerSystemRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getApiRootRoute, s), (c) =>
    c.json({ message: 'SMC Trading API', version: s.version, status: healthReport(s).health.status, timestamp: new Date(s.clock.now()).toISOString(), docs: '/v1/docs' }, 200),
  )

  registerDocsRoutes(app, s)

  app.openapi(secured(getLogsRoute, s), (c) => {
    const logs = s.logs.query(c.req.valid('query'))
    return c.json({ logs, count: logs.length } as never, 200)
  })

  // Byte for byte the bundle (not a re-serialisation), so tools and the SDK's generator agree.
  app.openapi(secured(getOpenApiDocumentRoute, s), (c) => c.body(CONTRACT_TEXT, 200, { 'Content-Type': 'application/json' }) as never)

  app.openapi(secured(getAsyncApiDocumentRoute, s), (c) => c.body(ASYNCAPI_JSON, 200, { 'Content-Type': 'application/json' }) as never)
  app.openapi(secured(getAsyncApiYamlRoute, s), (c) => c.body(ASYNCAPI_YAML, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }) as never)

  app.openapi(secured(getDetailedHealthRoute, s), (c) => c.json(detailedHealth(s), 200))

  app.openapi(secured(getHealthRoute, s), (c) => {
    const { health, json } = healthReport(s)
    return c.body(json, health.status === 'unhealthy' ? 503 : 200, { 'Content-Type': 'application/json' }) as never
  })

  app.openapi(secured(getMetricsSummaryRoute, s), (c) => c.json(metricsSummary(s), 200))
  app.openapi(secured(getMetricsPerformanceRoute, s), (c) => c.json(metricsPerformance(s), 200))
  app.openapi(secured(getTradingMetricsRoute, s), (c) => c.json(tradingMetrics(s, userOf(c), c.req.valid('query').hours), 200))

  app.openapi(secured(getMetricsRoute, s), async (c) => {
    const text = await s.metrics.registry.metrics()
    return c.text(text, 200, { 'Content-Type': s.metrics.registry.contentType })
  })
}
