import { SMCStreamError } from './errors'
import type { ServerMessage } from './types'

/** How a pending promise is settled. */
export interface Waiter<T> {
  resolve: (v: T) => void
  reject: (e: unknown) => void
}

/**
 * The requests a stream client sent that wait for the server's answer: the frame that echoes their
 * `request_id` (an `error` frame rejects). They wait until answered or until the connection drops.
 */
export class PendingRequests {
  private readonly waiting = new Map<string, Waiter<ServerMessage>>()
  private nextId = 0

  /** Send a request under a new id (`send` writes the frame); resolves with the server's answer. */
  send(send: (requestId: string) => void): Promise<ServerMessage> {
    const id = `c${++this.nextId}`
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      send(id)
    })
  }

  /** Whether the request with this id still waits for its answer. */
  has(requestId: string): boolean {
    return this.waiting.has(requestId)
  }

  /** Settle the request the frame answers, if any. */
  settle(f: ServerMessage): void {
    const requestId = (f.data as { request_id?: string }).request_id
    if (requestId === undefined) return
    const w = this.waiting.get(requestId)
    if (!w) return
    this.waiting.delete(requestId)
    if (f.type === 'error') w.reject(SMCStreamError.fromFrame(f.data))
    else w.resolve(f)
  }

  /** Reject every waiting request, each with an `error()` of its own. */
  rejectAll(error: () => unknown): void {
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id)
      w.reject(error())
    }
  }
}
