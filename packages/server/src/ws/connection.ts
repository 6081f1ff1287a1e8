import type { Server } from 'node:http'
import type { RawData, WebSocket } from 'ws'
import type { Principal } from '../auth'
import type { Channel } from './channels'
import { frameTail } from './envelope'
import { parseClientFrame, type ClientCommand, type ProtocolError } from './protocol'
import { wireFrame } from './wire-frame'

/** What a connection needs from its hub. */
export interface ConnectionHost {
  readonly maxBufferedBytes: number
  readonly maxMessageBytes: number
  readonly messagesPerSecond: number
  readonly counters: { messagesSent: number; messagesReceived: number; messagesDropped: number; rateLimited: number }
  nowIso(): string
  nextId(): string
  /** Monotonic milliseconds (rate limiting must not depend on a test's manual clock). */
  monotonic(): number
  run(conn: Connection, cmd: ClientCommand | ProtocolError): void | Promise<void>
  /** Coalesce this turn's frames to `conn` after the first into one socket write (see WriteBatch). */
  hold(conn: Connection): void
  slowConsumer(conn: Connection): void
  closed(conn: Connection): void
}

const CLOSE_GRACE_MS = 2000
/** `WebSocket.OPEN`. */
const OPEN = 1

/** What of `ws`'s underlying net.Socket a connection writes its frames to. */
interface Writable {
  write(chunk: Buffer): boolean
}

/**
 * One client socket: numbering of outgoing frames, backpressure, the message rate limit and the
 * in-order command queue (authentication is asynchronous; later commands wait for it).
 */
export class Connection {
  /** Number of the last frame sent. */
  seq = 0
  principal?: Principal
  readonly subs = new Map<string, Channel>()
  /** Cleared on each heartbeat, set by the peer's pong. */
  alive = true
  closing = false
  /** A frame was written to it in the current turn (WriteBatch). */
  written = false
  /** Its socket is corked until the end of the current turn (WriteBatch). */
  held = false
  readonly connectedAt: number
  private tokens: number
  private refilledAt: number
  private lastRateError = -Infinity
  private readonly queue: (ClientCommand | ProtocolError)[] = []
  private busy = false

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    readonly server: Server,
    private readonly host: ConnectionHost,
    connectedAt: number,
    /** The client's address (failed authentications are counted per address). */
    readonly remoteIp = '',
  ) {
    this.connectedAt = connectedAt
    this.tokens = host.messagesPerSecond
    this.refilledAt = host.monotonic()
    ws.on('message', (data, isBinary) => this.receive(data, isBinary))
    ws.on('pong', () => {
      this.alive = true
    })
    ws.on('close', () => {
      this.closing = true
      host.closed(this)
    })
    ws.on('error', () => {
      // A protocol violation by the peer (e.g. a frame above maxPayload); ws closes the socket itself.
    })
  }

  /** Send a pre-serialized frame tail; false when it was not sent (closing, or a slow consumer). */
  send(tail: Buffer): boolean {
    const ws = this.ws
    // Not OPEN: the peer's close frame arrived (nothing may follow our answer to it) or it is gone.
    if (this.closing || ws.readyState !== OPEN) return false
    if (ws.bufferedAmount > this.host.maxBufferedBytes) {
      this.host.counters.messagesDropped++
      this.host.slowConsumer(this)
      return false
    }
    // `ws` exposes no raw write; its socket is `_socket`. Writing the whole frame there (wire-frame.ts)
    // keeps order with what `ws` itself writes (pings, the close frame): both are synchronous and
    // without compression nothing is queued in between. `bufferedAmount` counts it as before.
    const socket = (ws as unknown as { _socket?: Writable })._socket
    if (!socket) return false
    this.host.hold(this)
    socket.write(wireFrame(++this.seq, tail))
    this.host.counters.messagesSent++
    return true
  }

  /** Send a one-off message to this connection. */
  reply(type: string, data: object, channel?: string): boolean {
    return this.send(frameTail(type, JSON.stringify(data), this.host.nowIso(), this.host.nextId(), channel))
  }

  error(code: string, message: string, details: Record<string, unknown> = {}, requestId?: string): void {
    this.reply('error', requestId === undefined ? { code, message, details } : { code, message, details, request_id: requestId })
  }

  /** Close with a code and reason; a peer that does not finish the closing handshake is cut off. */
  close(code: number, reason: string): void {
    if (this.closing) return
    this.closing = true
    this.ws.close(code, reason.slice(0, 120))
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref()
    this.host.closed(this)
  }

  /** Run a command now or after the ones before it (e.g. while a token is being verified). */
  enqueue(cmd: ClientCommand | ProtocolError): void {
    this.queue.push(cmd)
    if (!this.busy) void this.pump()
  }

  /** Hold commands until `task` settles (the URL token's verification). */
  async hold(task: Promise<void>): Promise<void> {
    this.busy = true
    try {
      await task
    } finally {
      this.busy = false
    }
    await this.pump()
  }

  private async pump(): Promise<void> {
    this.busy = true
    try {
      while (this.queue.length > 0 && !this.closing) {
        const pending = this.host.run(this, this.queue.shift()!)
        if (pending) await pending
      }
    } finally {
      this.busy = false
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closing) return
    this.host.counters.messagesReceived++
    if (!this.takeToken()) {
      this.host.counters.rateLimited++
      this.host.counters.messagesDropped++
      const now = this.host.monotonic()
      // One notice per second at most: an error per dropped frame would amplify a flood.
      if (now - this.lastRateError >= 1000) {
        this.lastRateError = now
        this.error('RATE_LIMIT_EXCEEDED', `More than ${this.host.messagesPerSecond} messages per second; messages are being dropped`, {
          limit_per_second: this.host.messagesPerSecond,
        })
      }
      return
    }
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength
    if (isBinary) {
      this.enqueue({ op: 'invalid', code: 'INVALID_MESSAGE', message: 'Binary frames are not supported; send JSON text', details: {} })
      return
    }
    const text =
      bytes > this.host.maxMessageBytes ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8')
    this.enqueue(parseClientFrame(text, bytes, this.host.maxMessageBytes))
  }

  private takeToken(): boolean {
    const now = this.host.monotonic()
    const rate = this.host.messagesPerSecond
    this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate)
    this.refilledAt = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
