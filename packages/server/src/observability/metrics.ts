import os from 'node:os'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { systemClock, type Clock } from '../core'
import { LiveRequests } from './live-requests'

/** The server's Prometheus metrics, on a registry of its own (no global state). */
export class Metrics {
  readonly registry = new Registry()
  readonly requests = new Counter({
    name: 'smc_api_requests_total',
    help: 'Total API requests',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  })
  readonly latency = new Histogram({
    name: 'smc_api_request_duration_seconds',
    help: 'API request latency in seconds',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  })
  readonly trades = new Counter({ name: 'smc_trades_total', help: 'Total number of trades', registers: [this.registry] })

  // Each request would otherwise hash its label object twice: the labelled children are kept per
  // label set (bounded: routes are templates, statuses few).
  private readonly counted = new Map<string, { inc(): void }>()
  private readonly timed = new Map<string, { observe(v: number): void }>()

  /** Count one API request and its latency, by method, route template and status. */
  recordRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route}`
    let timer = this.timed.get(key)
    if (!timer) this.timed.set(key, (timer = this.latency.labels({ method, route })))
    timer.observe(seconds)
    const countKey = `${key} ${status}`
    let counter = this.counted.get(countKey)
    if (!counter) this.counted.set(countKey, (counter = this.requests.labels({ method, route, status: String(status) })))
    counter.inc()
    this.live.record(method, route, status, seconds)
  }

  /** Export `smc_pnl_total`, read from `source` at each scrape. */
  trackPnl(source: () => number): void {
    new Gauge({
      name: 'smc_pnl_total',
      help: 'Total profit and loss (realized, net of commissions, over all paper accounts; quote currency)',
      registers: [this.registry],
      collect() {
        this.set(source())
      },
    })
  }

  /** The last minute of requests (counts, errors, latencies), on the server's clock. */
  readonly live: LiveRequests

  constructor(clock: Clock = systemClock) {
    this.live = new LiveRequests(clock)
    let lastCpu = process.cpuUsage()
    let lastAt = process.hrtime.bigint()
    new Gauge({
      name: 'smc_cpu_usage',
      help: 'CPU usage percentage of the server process since the previous scrape',
      registers: [this.registry],
      collect() {
        const cpu = process.cpuUsage(lastCpu)
        const at = process.hrtime.bigint()
        const elapsedUs = Number(at - lastAt) / 1000
        lastCpu = process.cpuUsage()
        lastAt = at
        this.set(elapsedUs > 0 ? ((cpu.user + cpu.system) / elapsedUs) * 100 : 0)
      },
    })
    new Gauge({
      name: 'smc_memory_usage',
      help: 'Memory usage percentage (resident set size of total system memory)',
      registers: [this.registry],
      collect() {
        this.set((process.memoryUsage().rss / os.totalmem()) * 100)
      },
    })
    collectDefaultMetrics({ register: this.registry, prefix: 'smc_' })
  }
}
