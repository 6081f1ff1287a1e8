import type { AppServices } from '../../services'
import type { App } from '../app'
import { registerAnalyticsRoutes } from './analytics'
import { registerAuthRoutes } from './auth'
import { registerConfigRoutes } from './config'
import { registerMarketDataRoutes } from './market-data'
import { registerSystemRoutes } from './system'

/** Every tag's routes; each is created from a generated route definition. */
export function registerRoutes(app: App, s: AppServices): void {
  registerAuthRoutes(app, s)
  registerSystemRoutes(app, s)
  registerConfigRoutes(app, s)
  registerMarketDataRoutes(app, s)
  registerAnalyticsRoutes(app, s)
}
