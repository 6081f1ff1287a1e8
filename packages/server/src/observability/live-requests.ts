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
  /** Per method and route template: counts and latencies (ms, unsorted). */
  routes: Map<string, RouteWindow>
}

/** One route's share of the window. */
export interface RouteWindow {
  method: string
  route: string
  requests: number
  serverErrors: number
  latenciesMs: number[]
}

/** Requests since the counter started (the server's life). */
export interface RequestTotals {
  total: number
  clientErrors: number
  serverErrors: number
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
  routes: Map<string, RouteWindow>
}

const TRADE_ROUTES = new Set(['/v1/trades', '/api/v1/trades'])

/**
 * Counts and latencies of the last 60 s in one slot per second (a ring), on the server's clock: O(1)
 * per request, bounded memory, and a read sums at most 60 slots. Fed by the request middleware
 * beside the Prometheus counters (which only grow, so they cannot answer "per minute").
 */
export class LiveRequests {
  private readonly slots: Slot[] = Array.from({ length: WINDOW_S }, () => ({
    second: -1,
    requests: 0,
    clientErrors: 0,
    serverErrors: 0,
    latencies: [],
    trades: [],
    routes: new Map(),
  }))
  private readonly totals: RequestTotals = { total: 0, clientErrors: 0, serverErrors: 0 }

  constructor(private readonly clock: Clock) {}

  record(method: string, route: string, status: number, seconds: number): void {
    const second = Math.floor(this.clock.now() / 1000)
    const slot = this.slots[second % WINDOW_S]!
    if (slot.second !== second) {
      slot.second = second
      slot.requests = slot.clientErrors = slot.serverErrors = 0
      slot.latencies.length = 0
      slot.trades.length = 0
      slot.routes.clear()
    }
    slot.requests++
    this.totals.total++
    if (status >= 500) {
      slot.serverErrors++
      this.totals.serverErrors++
    } else if (status >= 400) {
      slot.clientErrors++
      this.totals.clientErrors++
    }
    const ms = seconds * 1000
    if (slot.latencies.length < SAMPLES_PER_SECOND) slot.latencies.push(ms)
    // Route templates are bounded by the contract (and `unmatched`), so the map stays small.
    const key = `${method} ${route}`
    let r = slot.routes.get(key)
    if (!r) {
      r = { method, route, requests: 0, serverErrors: 0, latenciesMs: [] }
      slot.routes.set(key, r)
    }
    r.requests++
    if (status >= 500) r.serverErrors++
    if (r.latenciesMs.length < SAMPLES_PER_SECOND) r.latenciesMs.push(ms)
    if (method === 'POST' && TRADE_ROUTES.has(route) && slot.trades.length < SAMPLES_PER_SECOND) slot.trades.push(ms)
  }

  /** The last 60 s (the current second included). */
  window(): RequestWindow {
    const now = Math.floor(this.clock.now() / 1000)
    const out: RequestWindow = { windowSeconds: WINDOW_S, requests: 0, clientErrors: 0, serverErrors: 0, latenciesMs: [], tradeLatenciesMs: [], routes: new Map() }
    for (const s of this.slots) {
      if (s.second < 0 || now - s.second >= WINDOW_S) continue
      out.requests += s.requests
      out.clientErrors += s.clientErrors
      out.serverErrors += s.serverErrors
      out.latenciesMs.push(...s.latencies)
      out.tradeLatenciesMs.push(...s.trades)
      for (const [key, r] of s.routes) {
        const acc = out.routes.get(key)
        if (!acc) out.routes.set(key, { ...r, latenciesMs: [...r.latenciesMs] })
        else {
          acc.requests += r.requests
          acc.serverErrors += r.serverErrors
          acc.latenciesMs.push(...r.latenciesMs)
        }
      }
    }
    return out
  }

  /** Requests since start. */
  sinceStart(): Readonly<RequestTotals> {
    return this.totals
  }
}

/** The q-th percentile (0–100) by nearest rank, or null for no samples. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = Float64Array.from(values).sort()
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length))
  return sorted[rank - 1]!
}
