import os from 'node:os'
import { fromAtoms } from '../../../core'
import type { DetailedHealth, ExecutionCounts } from '../../../generated/schemas'
import { requestPerformance } from '../../../observability'
import type { AppServices } from '../../../services'
import { checkHealth } from './health'

const DAY_MS = 86_400_000

/** Orders and fills since 00:00 UTC of the server's today, over every account, from the store. */
export function executionsToday(s: AppServices): ExecutionCounts {
  const since = Math.floor(s.clock.now() / DAY_MS) * DAY_MS
  const byStatus = new Map(s.activity.orderCountsSince(since).map((r) => [r.status, r.n]))
  const n = (...statuses: string[]): number => statuses.reduce((a, k) => a + (byStatus.get(k) ?? 0), 0)
  const fills = s.activity.fillAggregatesSince(since)
  const sum = (pick: (r: (typeof fills)[number]) => number): number => fills.reduce((a, r) => a + pick(r), 0)
  return {
    since: new Date(since).toISOString(),
    orders_placed: [...byStatus.values()].reduce((a, v) => a + v, 0),
    orders_filled: n('filled'),
    orders_cancelled: n('cancelled'),
    orders_rejected: n('rejected'),
    orders_open: n('pending_new', 'new', 'partially_filled'),
    fills: sum((r) => r.fills),
    maker_fills: sum((r) => (r.liquidity === 'maker' ? r.fills : 0)),
    taker_fills: sum((r) => (r.liquidity === 'taker' ? r.fills : 0)),
    notional: fromAtoms(sum((r) => r.notional)),
  }
}

/** Seed 002's detailed health: host and process, components with their latencies, the last minute, today. */
export function detailedHealth(s: AppServices): DetailedHealth {
  const health = checkHealth(s)
  const memory = s.system.memory()
  const load = s.system.loadAverage()
  return {
    status: health.status,
    timestamp: health.timestamp,
    version: health.version,
    uptime: health.uptime,
    system: {
      hostname: os.hostname(),
      cpu_cores: os.availableParallelism(),
      load_average: load.map((v) => Math.round(v * 100) / 100),
      memory_total_mb: memory.total_mb,
      memory_free_mb: memory.free_mb,
      memory_percent: memory.used_percent,
      disk: s.system.disk(),
      process: s.system.process(),
      event_loop_delay_ms: s.system.eventLoop(),
    },
    components: health.components as DetailedHealth['components'],
    performance: requestPerformance(s.metrics.live.window()),
    executions_today: executionsToday(s),
  }
}
