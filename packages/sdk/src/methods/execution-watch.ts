import { StreamClient, type StreamOptions } from '../stream'
import type { ExecutionStatus } from '../types'
import { pause } from './cancellable'

const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'stopped'])

/**
 * Options of `watchExecution`.
 * @example
 * const opts: WatchExecutionOptions = { intervalMs: 1000, connectTimeoutMs: 3000, signal: AbortSignal.timeout(60_000) }
 */
export interface WatchExecutionOptions {
  /** How often the status endpoint is polled (ms, default 500), with or without the stream. */
  intervalMs?: number
  /** `false`: poll only, never open a WebSocket. */
  stream?: boolean
  /**
   * How long the stream may take to connect and subscribe (ms, default 5000) before the watch
   * closes it and goes on polling alone.
   */
  connectTimeoutMs?: number
  /** Ends the watch: the iteration fails with the signal's reason, the socket closes, timers stop. */
  signal?: AbortSignal
}

/**
 * Whether `next` may follow `last`: a status that ends the run always may; otherwise it must not
 * be behind it (`processed` never decreases within a run). Stream frames and polled answers
 * interleave, and an answer that left the server before the latest frame would move progress back.
 *
 * @example
 * if (supersedes(polled, last)) yield (last = polled)
 */
export function supersedes(next: ExecutionStatus, last: ExecutionStatus): boolean {
  return TERMINAL.has(next.status) || next.processed >= last.processed
}

/**
 * The run's `execution_update`s from a stream of its own, best effort: one connection attempt, no
 * reconnection. A refused upgrade, a rejected token, CONNECTION_LIMIT_EXCEEDED, a lost connection
 * or no answer within `connectTimeoutMs` just close it; the watch's polling carries on regardless.
 * The generic stream's policy (retry, and wait out a 429's minute) suits a long-lived stream, not this.
 *
 * @example
 * const updates = executionUpdates({ baseUrl, token }, 12, (s) => queue.push(s), 5000)
 * await updates.close()
 */
export function executionUpdates(
  options: StreamOptions,
  id: number,
  onUpdate: (status: ExecutionStatus) => void,
  connectTimeoutMs: number,
): { close(): Promise<void> } {
  const stream = new StreamClient({ ...options, reconnect: false })
  stream.on('execution_update', (s) => {
    if (s.execution_id === id) onUpdate(s)
  })
  const close = async (): Promise<void> => {
    clearTimeout(timer)
    await stream.close().catch(() => {})
  }
  const timer = setTimeout(() => void close(), connectTimeoutMs)
  stream
    .connect()
    .then(() => stream.subscribe(`executions.${id}`))
    .then(
      () => clearTimeout(timer),
      () => void close(),
    )
  return { close }
}

/**
 * A run's statuses until a terminal one: the first from `poll`, then whichever comes first of a
 * stream frame (from `openStream`, opened only for a run not yet over) and the next poll, every
 * `intervalMs`, never one behind the last yielded (see {@link supersedes}). `signal` ends every
 * wait and request at once; `finally` closes the stream.
 *
 * @example
 * for await (const s of watchStatuses((signal) => getStatus(id, signal), (cb) => executionUpdates(opts, id, cb, 5000), 500, signal)) show(s)
 */
export async function* watchStatuses(
  poll: (signal: AbortSignal) => Promise<ExecutionStatus>,
  openStream: ((onUpdate: (s: ExecutionStatus) => void) => { close(): Promise<void> }) | undefined,
  intervalMs: number,
  signal: AbortSignal,
): AsyncGenerator<ExecutionStatus, void, undefined> {
  const frames: ExecutionStatus[] = []
  let wake: (() => void) | undefined
  let stream: { close(): Promise<void> } | undefined
  try {
    // REST first: a bad token or an unknown run throws here at once, and a finished run needs no socket.
    let last = await poll(signal)
    yield last
    if (TERMINAL.has(last.status)) return
    stream = openStream?.((s) => {
      frames.push(s)
      wake?.()
    })
    for (;;) {
      signal.throwIfAborted()
      if (frames.length === 0) await pause(intervalMs, signal, (w) => (wake = w))
      wake = undefined
      const candidates = frames.length > 0 ? frames.splice(0) : [await poll(signal)]
      const newest = candidates.reduce<ExecutionStatus | undefined>((best, s) => (supersedes(s, best ?? last) ? s : best), undefined)
      if (newest === undefined) continue
      last = newest
      yield last
      if (TERMINAL.has(last.status)) return
    }
  } finally {
    await stream?.close()
  }
}
