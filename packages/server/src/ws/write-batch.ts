import type { WebSocket } from 'ws'

/** What of `ws`'s underlying net.Socket the batch uses. */
interface Corkable {
  cork(): void
  uncork(): void
}
/** A connection whose socket can be held. */
export interface Holdable {
  readonly ws: WebSocket
  /** Set once a frame was written to the connection in the current turn. */
  written: boolean
  /** Set while the connection's socket is corked in the current turn. */
  held: boolean
}

/**
 * Coalesces the frames a connection gets within one event-loop turn, past the first: the first
 * frame of a turn is written at once, so a tick's frames leave while the fan-out goes on (the
 * clients read them in parallel, as with bare `ws`); a second frame in the same turn corks the
 * socket, and everything after the first leaves in one `writev` in `setImmediate`. A burst of ticks
 * (several symbols due in the same turn, or a feed catching up after the loop lagged) thus costs two
 * writes per socket instead of one per frame. Loopback TCP makes each write a system call plus a
 * wake-up of the reader: at saturation those are most of the cost of a delivery. Corking the first
 * frame too (as before) held every socket of a tick until the whole fan-out was done: the first
 * client waited for the last one's serialisation. Nothing is held past the turn;
 * `bufferedAmount` counts what is held, so the slow-consumer bound is unchanged.
 */
export class WriteBatch {
  private touched: Holdable[] = []
  private spare: Holdable[] = []
  private scheduled = false
  private readonly flushNow = (): void => this.flush()

  /** Call before writing a frame to `c`: its first frame of the turn goes out at once, later ones are held. */
  hold(c: Holdable): void {
    if (!c.written) {
      c.written = true
      this.touched.push(c)
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(this.flushNow)
      }
      return
    }
    if (c.held) return
    // `ws` exposes no cork of its own; its socket is the documented `_socket` (undefined once closed).
    const socket = (c.ws as unknown as { _socket?: Corkable })._socket
    if (!socket) return
    socket.cork()
    c.held = true
  }

  /** Write everything held (also called on shutdown). */
  flush(): void {
    this.scheduled = false
    const batch = this.touched
    // Swapped, not reallocated: no garbage per turn.
    this.touched = this.spare
    this.spare = batch
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i]!
      c.written = false
      if (!c.held) continue
      c.held = false
      ;(c.ws as unknown as { _socket?: Corkable })._socket?.uncork()
    }
    batch.length = 0
  }
}
