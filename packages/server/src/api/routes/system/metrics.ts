import { fromAtoms, roundHalfUp } from '../../../core'
import type { MetricsPerformance, MetricsSummary, TradingMetrics } from '../../../generated/schemas'
import { requestPerformance, routePerformance } from '../../../observability'
import type { AppServices } from '../../../services'
import { executionsToday } from './health-detailed'

const HOUR_MS = 3_600_000
const iso = (ms: number): string => new Date(ms).toISOString()
const money = (atoms: number): number => roundHalfUp(fromAtoms(atoms), 8)

/** Seed 002's metrics summary: the live counters and the store, measured now. */
export function metricsSummary(s: AppServices): MetricsSummary {
  const now = s.clock.now()
  const totals = s.metrics.live.sinceStart()
  const hub = s.stream.stats()
  const proc = s.system.process()
  const pause = s.risk.pauseOf('global')
  return {
    timestamp: iso(now),
    uptime_seconds: Math.max(0, Math.floor((now - s.startedAt) / 1000)),
    version: s.version,
    requests: { total: totals.total, client_errors: totals.clientErrors, server_errors: totals.serverErrors },
    last_minute: requestPerformance(s.metrics.live.window()),
    executions_today: executionsToday(s),
    trading: {
      working_orders: s.execution.openOrderCount(),
      open_positions: s.execution.openPositionCount(),
      trading_paused: pause?.scope === 'global',
    },
    websocket: {
      active_connections: hub.activeConnections,
      subscriptions: Object.values(hub.subscriptions).reduce((a, n) => a + n, 0),
      messages_sent: hub.counters.messagesSent,
      messages_dropped: hub.counters.messagesDropped,
    },
    process: { cpu_percent: proc.cpu_percent, rss_mb: proc.rss_mb, heap_used_mb: proc.heap_used_mb, event_loop_delay_p95_ms: s.system.eventLoop().p95 },
  }
}

/** The last minute per route, with the event-loop delay beside it. */
export function metricsPerformance(s: AppServices): MetricsPerformance {
  return { timestamp: iso(s.clock.now()), ...routePerformance(s.metrics.live.window()), event_loop_delay_ms: s.system.eventLoop() }
}

/** The caller's account over the last `hours`: volume by market, maker/taker fills, round trips, risk now. */
export function tradingMetrics(s: AppServices, userId: string, hours: number): TradingMetrics {
  const now = s.clock.now()
  const since = now - hours * HOUR_MS
  const st = s.execution.state(userId)
  const accountId = st.account.id
  const rows = s.activity.accountFillAggregatesSince(accountId, since)
  const bySymbol = new Map<string, { fills: number; orders: number; notional: number; commission: number; realizedPnl: number }>()
  const side = { maker: { count: 0, notional: 0, fees: 0 }, taker: { count: 0, notional: 0, fees: 0 } }
  for (const r of rows) {
    const m = bySymbol.get(r.symbol) ?? { fills: 0, orders: 0, notional: 0, commission: 0, realizedPnl: 0 }
    m.fills += r.fills
    // An order filled partly as maker and partly as taker counts once per liquidity: rare, and bounded above by fills.
    m.orders += r.orders
    m.notional += r.notional
    m.commission += r.commission
    m.realizedPnl += r.realizedPnl
    bySymbol.set(r.symbol, m)
    const l = side[r.liquidity]
    l.count += r.fills
    l.notional += r.notional
    l.fees += r.commission
  }
  const markets = [...bySymbol.entries()]
    .map(([symbol, m]) => ({ symbol, fills: m.fills, orders: m.orders, notional: money(m.notional), fees: money(m.commission), realized_pnl: money(m.realizedPnl) }))
    .sort((a, b) => b.notional - a.notional || a.symbol.localeCompare(b.symbol))
  const fills = side.maker.count + side.taker.count
  const notional = side.maker.notional + side.taker.notional
  const trips = s.execution.listRoundTrips(accountId, { since })
  const wins = trips.filter((t) => t.pnl > 0).length
  const losses = trips.filter((t) => t.pnl < 0).length
  const p = s.execution.portfolio(st)
  const stats = (x: { count: number; notional: number; fees: number }) => ({ count: x.count, notional: money(x.notional), fees: money(x.fees) })
  return {
    account_id: accountId,
    since: iso(since),
    until: iso(now),
    volume: { notional: money(notional), fills, orders: markets.reduce((a, m) => a + m.orders, 0), by_market: markets },
    fills: {
      maker: stats(side.maker),
      taker: stats(side.taker),
      maker_percent: fills > 0 ? roundHalfUp((side.maker.count / fills) * 100, 2) : 0,
      average_fill_notional: fills > 0 ? money(notional / fills) : null,
    },
    round_trips: {
      count: trips.length,
      wins,
      losses,
      win_rate_percent: trips.length > 0 ? roundHalfUp((wins / trips.length) * 100, 2) : null,
      net_pnl: roundHalfUp(trips.reduce((a, t) => a + t.pnl, 0), 8),
      fees: roundHalfUp(trips.reduce((a, t) => a + t.commission, 0), 8),
    },
    risk: {
      equity: money(p.equity),
      balance: money(p.balance),
      open_positions: p.positions.length,
      exposure: money(p.exposure),
      exposure_percent: p.equity > 0 ? roundHalfUp((p.exposure / p.equity) * 100, 4) : 0,
      daily_pnl: money(p.equity - p.dayStartEquity),
    },
  }
}
