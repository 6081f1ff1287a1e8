import type {
  ComponentHealth,
  EnvironmentHealth,
  ExecutionHealth,
  Health,
  PredictorHealth,
  SchedulerHealth,
  SystemLoad,
  WebsocketHealth,
} from '../../../generated/schemas'
import type { AppServices } from '../../../services'
import { SqliteHealthRepository, type HealthRepository } from '../../../store'

type Status = ComponentHealth['status']
const rank: Record<Status, number> = { healthy: 0, degraded: 1, unhealthy: 2 }
const iso = (ms: number): string => new Date(ms).toISOString()

// One repository (and so one prepared statement) per store: health is polled often.
const stores = new WeakMap<AppServices['db'], HealthRepository>()

/**
 * Run a check and stamp it with its own measured duration (ms). A check that throws (its store is
 * gone) reports the component unhealthy with the reason instead of failing the whole report.
 */
function timed<T extends { status: Status }>(check: () => T): T & { response_time: number } {
  const started = performance.now()
  try {
    const out = check()
    return { ...out, response_time: +(performance.now() - started).toFixed(3) }
  } catch (e) {
    return { status: 'unhealthy', message: (e as Error).message, response_time: +(performance.now() - started).toFixed(3) } as unknown as T & { response_time: number }
  }
}

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
  const started = performance.now()
  const took = (): number => +(performance.now() - started).toFixed(3)
  const age = s.clock.now() - s.market.lastUpdate()
  const tick = s.env.MARKET_TICK_MS
  // A few missed ticks is a hiccup; a minute of silence means the feed is down.
  const feed = s.market.status()
  // A finished replay or a stale live feed is degraded (reads work, orders are refused), with the reason.
  if (feed.state !== 'live')
    return { status: 'degraded', response_time: took(), message: feed.reason ?? feed.state, state: feed.state, source: s.env.MARKET_SOURCE, last_update: iso(s.market.lastUpdate()), age_ms: age, symbols: s.market.symbols().length }
  const status: Status = age <= tick * 5 ? 'healthy' : age <= 60_000 ? 'degraded' : 'unhealthy'
  return { status, response_time: took(), state: feed.state, source: s.env.MARKET_SOURCE, last_update: iso(s.market.lastUpdate()), age_ms: age, symbols: s.market.symbols().length }
}

function checkWebsocket(s: AppServices): WebsocketHealth {
  return timed(() => {
    const st = s.stream.stats()
    const c = st.counters
    return {
      status: 'healthy' as const,
      active_connections: st.activeConnections,
      authenticated_connections: st.authenticatedConnections,
      subscriptions: Object.values(st.subscriptions).reduce((a, n) => a + n, 0),
      messages_sent: c.messagesSent,
      messages_received: c.messagesReceived,
      messages_dropped: c.messagesDropped,
      slow_consumer_disconnects: c.slowConsumerDisconnects,
      dead_peer_disconnects: c.deadPeerDisconnects,
      uptime_seconds: st.uptimeSeconds,
    }
  })
}

function checkScheduler(s: AppServices): SchedulerHealth {
  return timed(() => {
    const st = s.runner.scheduler.status()
    const failed = st.last_execution_status === 'failed'
    return {
      status: failed ? ('degraded' as const) : ('healthy' as const),
      ...(failed ? { message: 'the last trading cycle failed' } : {}),
      enabled: st.enabled,
      is_running: st.is_running,
      is_paused: st.is_paused,
      cycle_in_progress: st.cycle_in_progress,
      total_executions: st.total_executions,
      total_errors: st.total_errors,
      last_execution_at: st.last_execution_at,
      last_execution_status: st.last_execution_status,
      next_run_at: st.next_run_at,
    }
  })
}

function checkExecution(s: AppServices): ExecutionHealth {
  return timed(() => {
    // pauseOf answers the global pause first, whatever the account.
    const pause = s.risk.pauseOf('global')
    const paused = pause?.scope === 'global'
    return {
      status: paused ? ('degraded' as const) : ('healthy' as const),
      ...(paused ? { message: `trading paused for everyone${pause.reason ? `: ${pause.reason}` : ''}` } : {}),
      open_orders: s.execution.openOrderCount(),
      open_positions: s.execution.openPositionCount(),
      trading_paused: paused,
    }
  })
}

function checkPredictor(s: AppServices): PredictorHealth {
  return timed(() => {
    const enabled = s.env.ML_ENABLED
    if (!s.ml.trained)
      return {
        status: enabled ? ('degraded' as const) : ('healthy' as const),
        message: enabled ? 'not trained yet: /v1/ml/* answer 503 MODEL_UNAVAILABLE' : 'disabled (ML_ENABLED=false)',
        enabled,
        trained: false,
        trained_at: null,
        interval: s.ml.interval,
        symbols: 0,
        live_resolved: 0,
        live_hit_rate: null,
      }
    const m = s.ml.summary()!
    return {
      status: 'healthy' as const,
      enabled,
      trained: true,
      trained_at: m.trainedAt,
      interval: s.ml.interval,
      symbols: m.symbols,
      live_resolved: m.resolved,
      live_hit_rate: m.resolved > 0 ? m.correct / m.resolved : null,
    }
  })
}

function checkEnvironment(s: AppServices): EnvironmentHealth {
  return timed(() => ({
    status: 'healthy' as const,
    node_env: process.env.NODE_ENV ?? 'development',
    node_version: process.version,
    platform: process.platform,
    arch: process.arch,
    pid: process.pid,
    market_source: s.env.MARKET_SOURCE,
    database: s.env.DATABASE_URL === ':memory:' ? ('memory' as const) : ('file' as const),
  }))
}

/** Memory or disk at or above this share used degrades `system_load`. */
const FULL_PERCENT = 90

export function checkSystemLoad(s: AppServices): SystemLoad {
  return timed(() => {
    const l = s.system.load()
    const full = [l.memory_percent >= FULL_PERCENT ? `memory ${l.memory_percent}% used` : '', (l.disk_percent ?? 0) >= FULL_PERCENT ? `disk ${l.disk_percent}% used` : '']
      .filter(Boolean)
      .join(', ')
    return { status: full ? ('degraded' as const) : ('healthy' as const), ...(full ? { message: full } : {}), ...l }
  })
}

/** The components that serve requests: the overall status is the worst of these. */
const SERVING = ['database', 'market_data', 'websocket', 'execution'] as const

/** Real component checks; the overall status is the worst of the serving ones. */
export function checkHealth(s: AppServices): Health {
  const components = {
    database: checkDatabase(s),
    market_data: checkMarket(s),
    websocket: checkWebsocket(s),
    scheduler: checkScheduler(s),
    execution: checkExecution(s),
    predictor: checkPredictor(s),
    environment: checkEnvironment(s),
    system_load: checkSystemLoad(s),
  }
  const status = SERVING.reduce<Status>((w, k) => (rank[components[k].status] > rank[w] ? components[k].status : w), 'healthy')
  return {
    status,
    timestamp: iso(s.clock.now()),
    version: s.version,
    uptime: Math.max(0, Math.floor((s.clock.now() - s.startedAt) / 1000)),
    components,
  }
}

/** A report and its JSON, as served. */
export interface HealthReport {
  health: Health
  /** The report serialised once, for every poll that shares it. */
  json: string
  /** Service-clock ms when it was measured. */
  at: number
}

const reports = new WeakMap<AppServices, HealthReport>()

/**
 * The health report, measured at most once per `HEALTH_CACHE_MS` (service clock): load balancers
 * and monitors poll it, and a poll storm must not cost the server a full round of component
 * checks and a fresh serialisation per request. Its `timestamp` says when it was measured.
 */
export function healthReport(s: AppServices): HealthReport {
  const now = s.clock.now()
  const last = reports.get(s)
  if (last && now >= last.at && now - last.at < s.env.HEALTH_CACHE_MS) return last
  const health = checkHealth(s)
  const report = { health, json: JSON.stringify(health), at: now }
  reports.set(s, report)
  return report
}
