import { percentile, type RequestWindow } from './live-requests'

const r3 = (n: number | null): number | null => (n === null ? null : Math.round(n * 1000) / 1000)
const pct = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0)

/** The API's last minute as reported by /v1/health/detailed and /v1/metrics/performance. */
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
