import { SMCStreamError } from './errors'
import type { Waiter } from './pending-requests'
import type { ServerMessage } from './types'

/** Sends one request on the current connection and resolves with the server's answer. */
export type StreamRequest = (msg: Record<string, unknown>) => Promise<ServerMessage>

/**
 * The channels a stream client keeps subscribed (canonical names) across reconnections, and the
 * `subscribe` calls that wait for a channel to be acknowledged.
 */
export class Subscriptions {
  private readonly desired = new Set<string>()
  private readonly waiters = new Map<string, Waiter<string[]>[]>()

  /** The channels wanted, in the order they were added. */
  list(): string[] {
    return [...this.desired]
  }

  has(name: string): boolean {
    return this.desired.has(name)
  }

  add(name: string): void {
    this.desired.add(name)
  }

  /** Stop wanting a channel, leaving whoever waits for it waiting. */
  forget(name: string): void {
    this.desired.delete(name)
  }

  /** Stop wanting a channel; whoever waits for it is rejected, each with an `error()` of its own. */
  remove(name: string, error: () => unknown): void {
    this.desired.delete(name)
    for (const w of this.waiters.get(name) ?? []) w.reject(error())
    this.waiters.delete(name)
  }

  /** Resolves with the channels then wanted once the server acknowledges `name`. */
  whenSubscribed(name: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(name) ?? []
      list.push({ resolve, reject })
      this.waiters.set(name, list)
    })
  }

  /** The server acknowledged `name`. */
  settle(name: string): void {
    const ws = this.waiters.get(name)
    if (!ws) return
    this.waiters.delete(name)
    for (const w of ws) w.resolve([...this.desired])
  }

  /** Reject whoever waits for any channel (the client closed). */
  rejectAll(error: unknown): void {
    for (const ws of this.waiters.values()) for (const w of ws) w.reject(error)
    this.waiters.clear()
  }

  /**
   * After authentication: restore the subscriptions in one request that also resumes account
   * events from `cursor`, then call `done` (at once when there is nothing to restore). Channels
   * added meanwhile follow; a channel the server now refuses (scope, symbol) is dropped and passed
   * to `refused`, the others are kept. A lost connection ends it without `done`.
   */
  async restore(request: StreamRequest, cursor: string | undefined, refused: (e: SMCStreamError) => void, done: () => void): Promise<void> {
    const acked = new Set<string>()
    for (;;) {
      const wanted = [...this.desired].filter((n) => !acked.has(n))
      if (wanted.length === 0) break
      try {
        const ack = await request({ type: 'subscribe', channels: wanted, ...(cursor ? { last_event_id: cursor } : {}) })
        for (const n of (ack.data as { channels: string[] }).channels) acked.add(n)
        for (const n of wanted) acked.add(n)
      } catch (e) {
        if (!(e instanceof SMCStreamError) || e.code === 'CONNECTION_LOST') return
        for (const name of wanted) {
          try {
            await request({ type: 'subscribe', channel: name })
          } catch (err) {
            if (!(err instanceof SMCStreamError) || err.code === 'CONNECTION_LOST') return
            this.remove(name, () => err)
            refused(err)
          }
          acked.add(name)
        }
        // Resume once for all account channels now subscribed. Rare path: an event may come twice.
        if (cursor) await request({ type: 'resume', last_event_id: cursor }).catch(() => undefined)
      }
      cursor = undefined
    }
    done()
  }
}
