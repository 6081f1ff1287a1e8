import type { Clock } from '../core'

/** The API over the rolling last minute: what `/v1/health/detailed` and `/v1/metrics/*` report. */
export interface RequestWindow {
  windowSeconds: number
  requests: number
  clientErrors: number
  serverErrors: number
  /** Latencies (ms) of every request in the window, unsorted. */
  latenciesMs: number[]
  /** Latencies (ms) of POST /v1/trades in the window, unsorted. */
  tradeLatenciesMs: number[]
}

const WINDOW_S = 60
/** Latency samples kept per second; beyond it a second's samples are a uniform subsample's prefix. */
const SAMPLES_PER_SECOND = 512

interface Slot {
  second: number
  requests: number
  clientErrors: number
  serverErrors: number
  latencies: number[]
  trades: number[]
}

const TRADE_ROUTES = new Set(['/v1/trades', '/api/v1/trades'])

/**
 * Counts and latencies of the last 60 s in one slot per second (a ring), on the server's clock: O(1)
 * per request, bounded memory, and a read sums at most 60 slots. Fed by the request middleware
 * beside the Prometheus counters (which only grow, so they cannot answer "per minute").
 */
export class LiveRequests {
  private readonly slots: Slot[] = Array.from({ length: WINDOW_S }, () => ({ second: -1, requests: 0, clientErrors: 0, serverErrors: 0, latencies: [], trades: [] }))

  constructor(private readonly clock: Clock) {}

  record(method: string, route: string, status: number, seconds: number): void {
    const second = Math.floor(this.clock.now() / 1000)
    const slot = this.slots[second % WINDOW_S]!
    if (slot.second !== second) {
      slot.second = second
      slot.requests = slot.clientErrors = slot.serverErrors = 0
      slot.latencies.length = 0
      slot.trades.length = 0
    }
    slot.requests++
    if (status >= 500) slot.serverErrors++
    else if (status >= 400) slot.clientErrors++
    const ms = seconds * 1000
    if (slot.latencies.length < SAMPLES_PER_SECOND) slot.latencies.push(ms)
    if (method === 'POST' && TRADE_ROUTES.has(route) && slot.trades.length < SAMPLES_PER_SECOND) slot.trades.push(ms)
  }

  /** The last 60 s (the current second included). */
  window(): RequestWindow {
    const now = Math.floor(this.clock.now() / 1000)
    const out: RequestWindow = { windowSeconds: WINDOW_S, requests: 0, clientErrors: 0, serverErrors: 0, latenciesMs: [], tradeLatenciesMs: [] }
    for (const s of this.slots) {
      if (s.second < 0 || now - s.second >= WINDOW_S) continue
      out.requests += s.requests
      out.clientErrors += s.clientErrors
      out.serverErrors += s.serverErrors
      out.latenciesMs.push(...s.latencies)
      out.tradeLatenciesMs.push(...s.trades)
    }
    return out
  }
}

/** The q-th percentile (0–100) by nearest rank, or null for no samples. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = Float64Array.from(values).sort()
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length))
  return sorted[rank - 1]!
}
