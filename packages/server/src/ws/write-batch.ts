import type { WebSocket } from 'ws'

/** What of `ws`'s underlying net.Socket the batch uses. */
interface Corkable {
  cork(): void
  uncork(): void
}
/** A connection whose socket can be held. */
export interface Holdable {
  readonly ws: WebSocket
  /** Set while the connection's socket is held in the current batch. */
  held: boolean
}

/**
 * Coalesces the frames a connection gets within one event-loop turn into one socket write: the
 * socket is corked at its first frame of the turn and uncorked in `setImmediate`, so a burst of
 * ticks (several symbols due in the same turn, or a feed catching up after the loop lagged) costs
 * one `writev` per socket instead of one per frame. Loopback TCP makes each write a syscall plus a
 * wake-up of the reader; at saturation those were most of the cost of a delivery. Nothing is held
 * past the turn, so latency grows by at most the rest of the turn. `bufferedAmount` still counts
 * what is held, so the slow-consumer bound is unchanged.
 */
export class WriteBatch {
  private held: Holdable[] = []
  private spare: Holdable[] = []
  private scheduled = false
  private readonly flushNow = (): void => this.flush()

  /** Hold `c`'s socket until the end of this turn (call before sending; a no-op if already held). */
  hold(c: Holdable): void {
    if (c.held) return
    // `ws` exposes no cork of its own; its socket is the documented `_socket` (undefined once closed).
    const socket = (c.ws as unknown as { _socket?: Corkable })._socket
    if (!socket) return
    socket.cork()
    c.held = true
    this.held.push(c)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flushNow)
    }
  }

  /** Write everything held (also called on shutdown). */
  flush(): void {
    this.scheduled = false
    const batch = this.held
    // Swapped, not reallocated: no garbage per turn.
    this.held = this.spare
    this.spare = batch
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i]!
      c.held = false
      ;(c.ws as unknown as { _socket?: Corkable })._socket?.uncork()
    }
    batch.length = 0
  }
}
