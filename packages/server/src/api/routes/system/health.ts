import type { ComponentHealth, Health } from '../../../generated/schemas'
import type { AppServices } from '../../../services'
import { SqliteHealthRepository, type HealthRepository } from '../../../store'

type Status = ComponentHealth['status']
const rank: Record<Status, number> = { healthy: 0, degraded: 1, unhealthy: 2 }

// One repository (and so one prepared statement) per store: health is polled often.
const stores = new WeakMap<AppServices['db'], HealthRepository>()

function checkDatabase(s: AppServices): ComponentHealth {
  const started = performance.now()
  try {
    let store = stores.get(s.db)
    if (!store) stores.set(s.db, (store = new SqliteHealthRepository(s.db)))
    store.ping()
    return { status: 'healthy', response_time: +(performance.now() - started).toFixed(3) }
  } catch (e) {
    return { status: 'unhealthy', response_time: +(performance.now() - started).toFixed(3), message: (e as Error).message }
  }
}

function checkMarket(s: AppServices): ComponentHealth {
  const age = s.clock.now() - s.market.lastUpdate()
  const tick = s.env.MARKET_TICK_MS
  // A few missed ticks is a hiccup; a minute of silence means the feed is down.
  const feed = s.market.status()
  // A finished replay or a stale live feed is degraded (reads work, orders are refused), with the reason.
  if (feed.state !== 'live')
    return { status: 'degraded', message: feed.reason ?? feed.state, state: feed.state, source: s.env.MARKET_SOURCE, last_update: new Date(s.market.lastUpdate()).toISOString(), age_ms: age, symbols: s.market.symbols().length }
  const status: Status = age <= tick * 5 ? 'healthy' : age <= 60_000 ? 'degraded' : 'unhealthy'
  return { status, state: feed.state, source: s.env.MARKET_SOURCE, last_update: new Date(s.market.lastUpdate()).toISOString(), age_ms: age, symbols: s.market.symbols().length }
}

/** Real component checks; the overall status is the worst of them. */
export function checkHealth(s: AppServices): Health {
  const components = { database: checkDatabase(s), market_data: checkMarket(s) }
  const status = Object.values(components).reduce<Status>((w, c) => (rank[c.status] > rank[w] ? c.status : w), 'healthy')
  return {
    status,
    timestamp: new Date(s.clock.now()).toISOString(),
    version: s.version,
    uptime: Math.max(0, Math.floor((s.clock.now() - s.startedAt) / 1000)),
    components,
  }
}
