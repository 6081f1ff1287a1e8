import { ColumnPool } from '@smc-trading/smc'

/** Bytes of SMC stream columns this thread keeps between backtests (a million-candle smc_trend run holds ≈ 115 MB: its columns and tables; its candles are the run's own). */
export const STREAM_COLUMNS_MAX_BYTES = 256 * 2 ** 20

/** How long the kept columns outlive the last backtest of this thread. */
export const STREAM_COLUMNS_IDLE_MS = 60_000

/**
 * The thread's pool of SMC stream columns for backtests: a strategy's stream takes its columns from
 * it and gives them back when the run ends, so the next run of the same length writes into memory
 * that is already mapped instead of paying the page faults of ≈ 115 MB of fresh memory (≈ 3 ms per
 * MB on the VM of docs/backtests.md's figures: a fifth of a million-candle smc_trend run). The pool is
 * emptied a minute after the last run, so an idle server or worker does not keep the memory.
 */
class StreamColumns {
  readonly pool = new ColumnPool(STREAM_COLUMNS_MAX_BYTES)
  private running = 0
  private timer: NodeJS.Timeout | null = null

  started(): void {
    this.running++
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  ended(): void {
    if (--this.running > 0) return
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.running === 0) this.pool.clear()
    }, STREAM_COLUMNS_IDLE_MS)
    this.timer.unref()
  }
}

export const streamColumns = new StreamColumns()
