import type { HealthSource } from './ports'

/** A feed silent for longer than this makes `system.health` report `degraded`. */
const STALE_FEED_MS = 60_000

/** The `health_update` payload of `system.health`. */
export function healthSnapshot(hub: HealthSource) {
  const now = hub.clock.now()
  const feedAge = Math.max(0, now - hub.market.lastUpdate())
  const stats = hub.stats()
  const mem = process.memoryUsage()
  return {
    status: feedAge > STALE_FEED_MS ? ('degraded' as const) : ('healthy' as const),
    uptime_seconds: stats.uptimeSeconds,
    websocket_connections: stats.activeConnections,
    subscriptions: Object.values(stats.subscriptions).reduce((a, b) => a + b, 0),
    market_data_age_ms: feedAge,
    memory_rss_bytes: mem.rss,
    components: {
      market_data: feedAge > STALE_FEED_MS ? ('degraded' as const) : ('healthy' as const),
      websocket: 'healthy' as const,
    },
    timestamp: new Date(now).toISOString(),
  }
}
