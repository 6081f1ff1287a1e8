import { getHealthRoute, getMetricsRoute } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'
import { checkHealth } from './health'

export function registerSystemRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getHealthRoute, s), (c) => {
    const health = checkHealth(s)
    return health.status === 'unhealthy' ? c.json(health, 503) : c.json(health, 200)
  })

  app.openapi(secured(getMetricsRoute, s), async (c) => {
    const text = await s.metrics.registry.metrics()
    return c.text(text, 200, { 'Content-Type': s.metrics.registry.contentType })
  })
}
