import type { AppServices } from '../../services'
import type { App } from '../types'
import { registerAdminRoutes } from './admin'
import { registerAnalyticsRoutes } from './analytics'
import { registerAuthRoutes } from './auth'
import { registerConfigRoutes } from './config'
import { registerEngineRoutes } from './engine'
import { registerExecutionRoutes } from './executions'
import { registerMarketDataRoutes } from './market-data'
import { registerMlRoutes } from './ml'
import { registerPresetRoutes } from './presets'
import { registerRiskRoutes } from './risk'
import { registerRunnerRoutes } from './runner'
import { registerScannerRoutes } from './scanner'
import { registerStreamingRoutes } from './streaming'
import { registerSystemRoutes } from './system'
import { registerTradingRoutes } from './trading'

/** Every tag's routes; each is created from a generated route definition. */
export function registerRoutes(app: App, s: AppServices): void {
  registerAuthRoutes(app, s)
  registerSystemRoutes(app, s)
  registerConfigRoutes(app, s)
  registerMarketDataRoutes(app, s)
  registerTradingRoutes(app, s)
  registerRiskRoutes(app, s)
  registerAdminRoutes(app, s)
  registerAnalyticsRoutes(app, s)
  registerPresetRoutes(app, s)
  registerScannerRoutes(app, s)
  registerMlRoutes(app, s)
  registerExecutionRoutes(app, s)
  registerRunnerRoutes(app, s)
  registerEngineRoutes(app, s)
  registerStreamingRoutes(app, s)
}
