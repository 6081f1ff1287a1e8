import { getConfigRoute, updateConfigRoute } from '../../../generated'
import type { Config } from '../../../generated/schemas'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { tierLimits } from '../../middleware/tier-limits'
import type { App } from '../../types'

/** The effective configuration in the contract's nested shape; secrets are never included. */
export function effectiveConfig(s: AppServices): Config {
  const r = s.settings.get()
  const dbUrl = s.env.DATABASE_URL
  return {
    trading: {
      max_position_size: r['trading.max_position_size'],
      max_daily_loss: r['trading.max_daily_loss'],
      risk_enabled: r['trading.risk_enabled'],
    },
    exchanges: { simulated: { enabled: s.env.MARKET_SOURCE === 'simulated', symbols: r['exchanges.simulated.symbols'] } },
    notifications: { slack_enabled: r['notifications.slack_enabled'], email_enabled: r['notifications.email_enabled'] },
    rate_limits: {
      requests_per_minute: r['rate_limits.requests_per_minute'],
      burst_per_second: r['rate_limits.burst_per_second'],
      tiers: Object.fromEntries(
        Object.entries(tierLimits(r)).map(([tier, t]) => [tier, { limit: t.limit, window_seconds: t.windowSeconds, burst_per_second: t.burstPerSecond }]),
      ) as Config['rate_limits']['tiers'],
    },
    scheduler: { enabled: s.env.SCHEDULER_ENABLED, interval_minutes: r['scheduler.interval_minutes'] },
    server: {
      version: s.version,
      market_source: s.env.MARKET_SOURCE,
      database: dbUrl === ':memory:' ? 'sqlite (memory)' : `sqlite (${dbUrl})`,
    },
  }
}

export function registerConfigRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getConfigRoute, s), (c) => c.json(effectiveConfig(s), 200))
  app.openapi(secured(updateConfigRoute, s), (c) => {
    s.settings.update(c.req.valid('json'))
    return c.json(effectiveConfig(s), 200)
  })
}
