import { statfsSync } from 'node:fs'
import os from 'node:os'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

const MB = 1024 * 1024
const GB = 1024 * MB
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits
const nsToMs = (ns: number): number => round(ns / 1e6, 3)

export interface DiskUsage {
  path: string
  total_gb: number | null
  free_gb: number | null
  used_percent: number | null
}

export interface ProcessUsage {
  pid: number
  cpu_percent: number
  cpu_user_seconds: number
  cpu_system_seconds: number
  rss_mb: number
  heap_used_mb: number
  uptime_seconds: number
}

export interface LoadSample {
  cpu_percent: number
  load_average_1m: number
  memory_percent: number
  disk_percent: number | null
  process_rss_mb: number
}

export interface EventLoopDelay {
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

/** The host and this process, each read measured when asked (never cached, never a constant). */
export class SystemProbe {
  private readonly loop: IntervalHistogram
  private loopSince = performance.now()
  private lastCpu = process.cpuUsage()
  private lastCpuAt = performance.now()
  private lastCpuPercent: number
  private lastLoad: LoadSample | undefined
  private lastLoadAt = 0

  /** `dataDir`: the folder whose file system `disk()` reports (the database's). */
  constructor(readonly dataDir: string, loopResolutionMs = 20) {
    this.loop = monitorEventLoopDelay({ resolution: loopResolutionMs })
    this.loop.enable()
    // Until a second reading, the average since the process started.
    const c = this.lastCpu
    this.lastCpuPercent = round(((c.user + c.system) / 1000 / Math.max(1, process.uptime() * 1000)) * 100)
  }

  /** Process CPU since the previous reading (percent of one core); readings closer than 100 ms repeat the last. */
  cpuPercent(): number {
    const at = performance.now()
    const elapsedMs = at - this.lastCpuAt
    if (elapsedMs >= 100) {
      const d = process.cpuUsage(this.lastCpu)
      this.lastCpuPercent = round(((d.user + d.system) / 1000 / elapsedMs) * 100)
      this.lastCpu = process.cpuUsage()
      this.lastCpuAt = at
    }
    return this.lastCpuPercent
  }

  process(): ProcessUsage {
    const m = process.memoryUsage()
    const total = process.cpuUsage()
    return {
      pid: process.pid,
      cpu_percent: this.cpuPercent(),
      cpu_user_seconds: round(total.user / 1e6, 3),
      cpu_system_seconds: round(total.system / 1e6, 3),
      rss_mb: round(m.rss / MB, 1),
      heap_used_mb: round(m.heapUsed / MB, 1),
      uptime_seconds: round(process.uptime(), 1),
    }
  }

  /** The data folder's file system (`fs.statfsSync`); nulls when it cannot be read. */
  disk(): DiskUsage {
    try {
      const s = statfsSync(this.dataDir)
      const total = s.blocks * s.bsize
      const free = s.bavail * s.bsize
      return { path: this.dataDir, total_gb: round(total / GB), free_gb: round(free / GB), used_percent: total > 0 ? round(((total - free) / total) * 100) : null }
    } catch {
      return { path: this.dataDir, total_gb: null, free_gb: null, used_percent: null }
    }
  }

  /**
   * The figures /v1/health reports, measured at most once a second (health is polled, and a
   * second-old reading of CPU, memory and disk says the same).
   */
  load(): LoadSample {
    const at = performance.now()
    if (!this.lastLoad || at - this.lastLoadAt >= 1000) {
      this.lastLoad = {
        cpu_percent: this.cpuPercent(),
        load_average_1m: round(os.loadavg()[0]!),
        memory_percent: this.memory().used_percent,
        disk_percent: this.disk().used_percent,
        process_rss_mb: round(process.memoryUsage.rss() / MB, 1),
      }
      this.lastLoadAt = at
    }
    return this.lastLoad
  }

  /** The host's 1, 5 and 15 minute load averages. */
  loadAverage(): number[] {
    return os.loadavg()
  }

  /** Host memory: total, free and the used share. */
  memory(): { total_mb: number; free_mb: number; used_percent: number } {
    const total = os.totalmem()
    const free = os.freemem()
    return { total_mb: round(total / MB, 1), free_mb: round(free / MB, 1), used_percent: round(((total - free) / total) * 100) }
  }

  /**
   * Event-loop delay percentiles of the current window; the window restarts after a minute, so the
   * figures describe recent behaviour rather than the whole uptime.
   */
  eventLoop(): EventLoopDelay {
    const h = this.loop
    const out =
      h.count > 0
        ? { p50: nsToMs(h.percentile(50)), p95: nsToMs(h.percentile(95)), p99: nsToMs(h.percentile(99)), max: nsToMs(h.max), mean: nsToMs(h.mean) }
        : { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 }
    if (performance.now() - this.loopSince >= 60_000) {
      h.reset()
      this.loopSince = performance.now()
    }
    return out
  }

  close(): void {
    this.loop.disable()
  }
}
