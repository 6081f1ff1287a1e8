import { totalmem } from 'node:os'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import type { HealthThresholds, ResourceHealth, ResourceHealthIssue } from './types'

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  event_loop_p99_warning_ms: 100,
  event_loop_p99_error_ms: 500,
  memory_warning_mb: 1024,
  memory_error_mb: 2048,
  errors_per_hour_warning: 1,
  errors_per_hour_error: 5,
}

/** One measurement of the process. */
export interface ResourceSample {
  eventLoop: { mean: number; p50: number; p99: number; max: number }
  rssBytes: number
  heapUsedBytes: number
  totalMemoryBytes: number
}

export type ResourceProbe = () => ResourceSample

const MB = 1024 * 1024
const ms = (ns: number): number => Math.round((ns / 1e6) * 100) / 100

/**
 * The process's own measurements: event-loop delay from `perf_hooks.monitorEventLoopDelay` (the
 * window since the previous reading; the previous window again when no sample arrived since), RSS
 * and heap from `process.memoryUsage()`. `close()` stops the monitor.
 */
export function processProbe(resolutionMs = 20): { probe: ResourceProbe; close(): void } {
  const h: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs })
  h.enable()
  let last = { mean: 0, p50: 0, p99: 0, max: 0 }
  return {
    probe() {
      if (h.count > 0) {
        last = { mean: ms(h.mean), p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }
        h.reset()
      }
      const m = process.memoryUsage()
      return { eventLoop: last, rssBytes: m.rss, heapUsedBytes: m.heapUsed, totalMemoryBytes: totalmem() }
    },
    close: () => h.disable(),
  }
}

/**
 * Seed 003's resource health from measured values: `error` when any measure is at or past its error
 * threshold, `warning` at or past a warning one, else `healthy`; `issues` names each measure that
 * caused it, with its value and threshold.
 */
export function resourceHealth(
  sample: ResourceSample,
  errorsLastHour: number,
  engines: { total: number; running: number },
  t: HealthThresholds,
  now: number,
): ResourceHealth {
  const issues: ResourceHealthIssue[] = []
  const check = (metric: ResourceHealthIssue['metric'], value: number, warn: number, err: number, what: string, unit: string): void => {
    if (value >= err) issues.push({ metric, severity: 'error', value, threshold: err, message: `${what} ${value}${unit} is at or above ${err}${unit}` })
    else if (value >= warn) issues.push({ metric, severity: 'warning', value, threshold: warn, message: `${what} ${value}${unit} is at or above ${warn}${unit}` })
  }
  const rssMb = Math.round((sample.rssBytes / MB) * 10) / 10
  check('event_loop_delay', sample.eventLoop.p99, t.event_loop_p99_warning_ms, t.event_loop_p99_error_ms, 'event-loop delay p99', ' ms')
  check('memory', rssMb, t.memory_warning_mb, t.memory_error_mb, 'resident memory', ' MiB')
  check('engine_errors', errorsLastHour, t.errors_per_hour_warning, t.errors_per_hour_error, 'engine errors in the last hour:', '')
  const status = issues.some((i) => i.severity === 'error') ? 'error' : issues.length > 0 ? 'warning' : 'healthy'
  return {
    status,
    issues,
    event_loop_delay_ms: sample.eventLoop,
    memory_used_mb: rssMb,
    heap_used_mb: Math.round((sample.heapUsedBytes / MB) * 10) / 10,
    memory_percent: sample.totalMemoryBytes > 0 ? Math.round((sample.rssBytes / sample.totalMemoryBytes) * 10_000) / 100 : 0,
    engine_errors_last_hour: errorsLastHour,
    engines,
    thresholds: t,
    timestamp: new Date(now).toISOString(),
  }
}
