import type { SocketLike } from './socket'

/**
 * The application-level heartbeat of a stream connection: a ping every `every` ms; when nothing has
 * arrived for two intervals the peer or the path is gone, so the socket is closed (4000, detached
 * from its listeners) and `onTimeout` replaces the connection.
 */
export class Heartbeat {
  private timer?: ReturnType<typeof setInterval>
  private lastFrameAt = 0

  /** Something arrived from the server (or the socket opened). */
  touch(): void {
    this.lastFrameAt = Date.now()
  }

  /** Beat every `every` ms (0 or less: never) on `socket()`, the open socket if there is one. */
  start(every: number, socket: () => SocketLike | undefined, onTimeout: () => void): void {
    if (every <= 0) return
    this.stop()
    this.timer = setInterval(() => {
      const s = socket()
      if (!s) return
      if (Date.now() - this.lastFrameAt > 2 * every) {
        // Nothing for two intervals: the peer or the path is gone. Replace the connection now.
        s.onclose = null
        s.onmessage = null
        try {
          s.close(4000, 'heartbeat timeout')
        } catch {
          // already closing
        }
        return onTimeout()
      }
      s.send(JSON.stringify({ type: 'ping' }))
    }, every)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}
