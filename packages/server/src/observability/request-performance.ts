import { percentile, type RequestWindow } from './live-requests'

const r3 = (n: number | null): number | null => (n === null ? null : Math.round(n * 1000) / 1000)
const pct = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0)

/** The API's last minute as reported by /v1/health/detailed and /v1/metrics/summary. */
export function requestPerformance(w: RequestWindow) {
  return {
    window_seconds: w.windowSeconds,
    requests_per_minute: w.requests,
    error_rate_percent: pct(w.serverErrors, w.requests),
    client_error_rate_percent: pct(w.clientErrors, w.requests),
    latency_p95_ms: r3(percentile(w.latenciesMs, 95)),
    trades: {
      count: w.tradeLatenciesMs.length,
      latency_p50_ms: r3(percentile(w.tradeLatenciesMs, 50)),
      latency_p95_ms: r3(percentile(w.tradeLatenciesMs, 95)),
      latency_max_ms: r3(w.tradeLatenciesMs.length ? Math.max(...w.tradeLatenciesMs) : null),
    },
  }
}

/** p50 / p95 / p99 / max of latencies in ms (nearest rank; null without samples). */
export function latencySummary(ms: number[]) {
  let max: number | null = null
  for (const v of ms) if (max === null || v > max) max = v
  return { p50: r3(percentile(ms, 50)), p95: r3(percentile(ms, 95)), p99: r3(percentile(ms, 99)), max: r3(max) }
}

/** The last minute in detail for /v1/metrics/performance: totals, percentiles and each route, the busiest first. */
export function routePerformance(w: RequestWindow, maxRoutes = 50) {
  const routes = [...w.routes.values()]
    .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route) || a.method.localeCompare(b.method))
    .slice(0, maxRoutes)
    .map((r) => ({ method: r.method, route: r.route, requests: r.requests, errors: r.serverErrors, latency_ms: latencySummary(r.latenciesMs) }))
  return {
    window_seconds: w.windowSeconds,
    requests: w.requests,
    requests_per_second: Math.round((w.requests / w.windowSeconds) * 1000) / 1000,
    error_rate_percent: pct(w.serverErrors, w.requests),
    client_error_rate_percent: pct(w.clientErrors, w.requests),
    latency_ms: latencySummary(w.latenciesMs),
    routes,
  }
}
