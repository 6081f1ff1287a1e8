import { Worker } from 'node:worker_threads'

/** A background checkpointer of one WAL database file. */
export interface Checkpointer {
  stop(): Promise<void>
}

export interface CheckpointerOptions {
  /** How often the worker checkpoints (ms). */
  intervalMs?: number
  /** Called on the owning thread after each worker checkpoint with the log's length in frames. */
  onCheckpoint?: (logFrames: number) => void
}

/**
 * Run WAL checkpoints every `intervalMs` on a worker thread with its own connection. A commit in WAL
 * mode with `synchronous = NORMAL` is a plain append to the log; checkpoints copy pages back and
 * fsync. Here they happen elsewhere, so a request never pays for them.
 *
 * The worker alone cannot keep the log short under steady writes: SQLite restarts the log only when
 * a write begins with every frame already copied, and the writer always appends a few frames while a
 * checkpoint runs. Without help the log grows until the writer's own auto-checkpoint copies what is
 * left inline (a 5–30 ms stall every ~750 orders at 1,000 orders/s). `onCheckpoint` lets the writer
 * finish the job right after the worker: only the frames of the last few milliseconds are left,
 * which is cheap, and the next write restarts the log.
 *
 * @example
 * const cp = startCheckpointer('./data/smc-trading.db', { onCheckpoint: (frames) => {} })
 * await cp.stop()
 */
export function startCheckpointer(path: string, options: CheckpointerOptions = {}): Checkpointer {
  const { intervalMs = 250, onCheckpoint } = options
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { path, intervalMs } })
  worker.unref()
  // A failing checkpointer only means the writer's auto-checkpoint takes over again.
  worker.on('error', () => {})
  if (onCheckpoint) worker.on('message', (m: { log: number }) => onCheckpoint(m.log))
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve())
        worker.postMessage('stop')
      }),
  }
}
