import { Worker } from 'node:worker_threads'

/** A background checkpointer of one WAL database file. */
export interface Checkpointer {
  stop(): Promise<void>
}

/**
 * Run WAL checkpoints every `intervalMs` on a worker thread with its own connection. A commit in WAL
 * mode with `synchronous = NORMAL` is a plain append to the log; only checkpoints fsync. SQLite runs
 * them inline in the committing connection every 1000 log pages, which stalls an unlucky request for
 * milliseconds: here they happen elsewhere, and the writer's own auto-checkpoint is only a distant
 * backstop. The worker never keeps the process alive.
 *
 * @example
 * const cp = startCheckpointer('./data/smc-trading.db')
 * await cp.stop()
 */
export function startCheckpointer(path: string, intervalMs = 250): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { path, intervalMs } })
  worker.unref()
  // A failing checkpointer only means the writer's auto-checkpoint takes over again.
  worker.on('error', () => {})
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve())
        worker.postMessage('stop')
      }),
  }
}
