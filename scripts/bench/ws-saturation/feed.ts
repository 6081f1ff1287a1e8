// The tick schedule shared by the hub and the bare server, so both get the same offered load:
// every symbol ticks `rate` times a second, phases staggered. Ticks are due on a fixed grid (no
// drift) and carry their due time: when the server's loop lags, the late ticks go out in a burst
// and the lag shows in the clients' latency, as a trader would see it.

export interface FeedRun {
  /** Resolves with the number of ticks emitted (over all symbols). */
  done: Promise<number>
}

export function runFeed(symbols: readonly string[], rate: number, seconds: number, emit: (symbolIndex: number, dueMs: number) => void): FeedRun {
  const start = Date.now()
  const periodMs = 1000 / rate
  const emitted = new Array<number>(symbols.length).fill(0)
  const perSymbol = Math.floor(seconds * rate)
  let total = 0
  return {
    done: new Promise((resolve) => {
      const step = (): void => {
        const elapsed = Date.now() - start
        let finished = true
        for (let s = 0; s < symbols.length; s++) {
          const phase = (s * periodMs) / symbols.length
          const due = Math.min(perSymbol, Math.floor((elapsed - phase) / periodMs) + 1)
          while (emitted[s]! < due) {
            emit(s, Math.round(start + phase + emitted[s]! * periodMs))
            emitted[s]!++
            total++
          }
          if (emitted[s]! < perSymbol) finished = false
        }
        if (finished) {
          clearInterval(timer)
          resolve(total)
        }
      }
      const timer = setInterval(step, 1)
    }),
  }
}

/** CPU (ms) and RSS peak of this process over a run, sampled every 100 ms. */
export function measure(): { end(): { cpuMs: number; wallMs: number; rssPeak: number } } {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let rssPeak = process.memoryUsage.rss()
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100)
  return {
    end() {
      clearInterval(sampler)
      const cpu = process.cpuUsage(cpu0)
      return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, rssPeak: Math.max(rssPeak, process.memoryUsage.rss()) }
    },
  }
}
