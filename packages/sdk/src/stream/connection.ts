import { backoffDelay } from './backoff'
import type { Emitter } from './emitter'
import { SMCStreamError, toError } from './errors'
import { Heartbeat } from './heartbeat'
import type { StreamEvents } from './listeners'
import type { StreamOptions, StreamState } from './options'
import { PendingRequests, type Waiter } from './pending-requests'
import { resolveWebSocket, streamUrl, type SocketLike, type WebSocketConstructor } from './socket'
import type { Subscriptions } from './subscriptions'
import { ACCOUNT_EVENT_TYPES, type Authenticated, type ServerMessage } from './types'

const NON_RETRYABLE_WITH_FIXED_TOKEN = new Set(['AUTHENTICATION_FAILED', 'TOKEN_EXPIRED'])
/** After a 429 on the upgrade: the server counts failed authentications per address over a minute. */
const REFUSED_DELAY_MS = 60_000
/** `readyState` of an open socket. */
export const OPEN = 1

/** Where a connection delivers the frames, and what it ends when it closes for good. */
export interface FrameSink {
  /** Every frame, once the connection has taken what it needs from it. */
  dispatch(f: ServerMessage): void
  /** The stream closed for good: end the iterators (normally, or failing with `error`). */
  end(error?: unknown): void
}

/**
 * The connection side of a {@link StreamClient}: one socket at a time, authenticated, checked
 * frame by frame (JSON, consecutive `seq`), kept alive by the heartbeat, re-subscribed and resumed
 * after each (re)connection, and replaced with backoff when it drops, until a non-retryable
 * failure or `finish`. It reports to the client's listeners through `emitter` and `sink`.
 */
export class StreamConnection {
  state: StreamState = 'idle'
  /** The resume cursor: id of the last account event processed. */
  cursor?: string
  socket?: SocketLike
  private readonly requests = new PendingRequests()
  private readonly heartbeat = new Heartbeat()
  private connectWaiters: Waiter<void>[] = []
  private generation = 0
  private seq = 0
  private attempt = 0
  private everConnected = false
  private lastServerError?: SMCStreamError
  /** The server refused the last upgrade with 429 (too many failed authentications from here). */
  private refused = false
  private reconnectTimer?: ReturnType<typeof setTimeout>
  private user?: Authenticated

  constructor(
    private readonly options: StreamOptions,
    private readonly subscriptions: Subscriptions,
    private readonly emitter: Emitter<StreamEvents>,
    private readonly sink: FrameSink,
  ) {
    this.cursor = options.lastEventId
  }

  /** Connect (if not already); resolves once authenticated and re-subscribed (`StreamClient.connect`). */
  connect(): Promise<void> {
    if (this.state === 'open') return Promise.resolve()
    if (this.state === 'closed') return Promise.reject(new SMCStreamError('STREAM_CLOSED', 'This stream client was closed; create a new one'))
    const p = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }))
    if (this.state === 'idle') {
      this.state = 'connecting'
      void this.open()
    }
    return p
  }

  private async open(): Promise<void> {
    const generation = ++this.generation
    let token: string | undefined
    let Ctor: WebSocketConstructor
    try {
      const source = this.options.token
      token = typeof source === 'function' ? await source() : source
      Ctor = await resolveWebSocket(this.options.WebSocket)
    } catch (e) {
      return this.fail(toError(e))
    }
    if (this.state === 'closed' || generation !== this.generation) return
    const base = this.options.url ?? streamUrl(this.options.baseUrl ?? 'http://localhost:8000')
    const inQuery = token !== undefined && (this.options.auth ?? 'query') === 'query'
    const url = inQuery ? `${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(token!)}` : base
    let socket: SocketLike
    try {
      socket = new Ctor(url)
    } catch (e) {
      return this.fail(toError(e))
    }
    this.socket = socket
    this.seq = 0
    this.lastServerError = undefined
    this.refused = false
    this.user = undefined
    socket.onopen = () => {
      if (socket !== this.socket) return
      this.heartbeat.touch()
      if (!inQuery && token !== undefined) this.send({ type: 'authenticate', token })
    }
    socket.onmessage = (ev: { data: unknown }) => {
      if (socket === this.socket) this.receive(ev.data)
    }
    socket.onclose = (ev: { code: number; reason: string }) => {
      if (socket === this.socket) this.dropped(ev.code, ev.reason)
    }
    socket.onerror = (ev: { message?: unknown; error?: { message?: unknown } } | undefined) => {
      // A close event follows. Browsers give no detail; `ws` names the HTTP status of a refused
      // upgrade ("Unexpected server response: 429").
      if (socket === this.socket && /\b429\b/.test(String(ev?.message ?? ev?.error?.message ?? ''))) this.refused = true
    }
  }

  private receive(raw: unknown): void {
    let f: ServerMessage
    try {
      f = JSON.parse(typeof raw === 'string' ? raw : String(raw)) as ServerMessage
    } catch {
      return this.protocolError('The server sent a frame that is not JSON')
    }
    if (f.seq !== this.seq + 1) return this.protocolError(`Frame seq ${f.seq} after ${this.seq}: frames were lost`)
    this.seq = f.seq
    this.heartbeat.touch()
    switch (f.type) {
      case 'authenticated':
        if (!this.user) {
          this.user = f.data
          this.resubscribe()
        }
        break
      case 'subscribed':
        if (f.data.last_event_id !== undefined && this.cursor === undefined) this.cursor = f.data.last_event_id
        for (const name of f.data.channels) this.subscriptions.settle(name)
        break
      case 'resumed':
        this.cursor = f.data.last_event_id
        this.emitter.emit('resumed', f.data)
        break
      case 'resync_required':
        this.cursor = f.data.latest_event_id
        this.emitter.emit('resync_required', f.data)
        break
      case 'error': {
        const err = SMCStreamError.fromFrame(f.data)
        if (f.data.request_id === undefined || !this.requests.has(f.data.request_id)) {
          this.lastServerError = err
          this.emitter.emit('error', err)
        }
        break
      }
      default:
        if (ACCOUNT_EVENT_TYPES.includes(f.type)) this.cursor = f.id
    }
    this.requests.settle(f)
    this.sink.dispatch(f)
  }

  /** After authentication: restore the subscriptions (see `Subscriptions.restore`), then report `connected`. */
  private resubscribe(): void {
    const socket = this.socket
    const request = (msg: Record<string, unknown>) => this.request(msg)
    void this.subscriptions.restore(request, this.cursor, (err) => this.emitter.emit('error', err), () => {
      if (socket !== this.socket || this.state === 'closed') return
      const reconnected = this.everConnected
      this.everConnected = true
      this.state = 'open'
      this.attempt = 0
      const open = () => (this.state === 'open' ? this.socket : undefined)
      this.heartbeat.start(this.options.heartbeatMs ?? 15_000, open, () => this.dropped(1006, 'heartbeat timeout'))
      for (const w of this.connectWaiters.splice(0)) w.resolve()
      this.emitter.emit('connected', { reconnected, user: this.user! })
    })
  }

  private dropped(code: number, reason: string): void {
    this.socket = undefined
    this.heartbeat.stop()
    this.requests.rejectAll(() => new SMCStreamError('CONNECTION_LOST', 'The connection closed before the server answered'))
    if (this.state === 'closed') return
    const error = this.lastServerError
    const fixedToken = typeof this.options.token !== 'function'
    const fatal =
      (error !== undefined && fixedToken && NON_RETRYABLE_WITH_FIXED_TOKEN.has(error.code)) ||
      this.options.reconnect === false ||
      this.attempt >= (this.options.reconnect ? this.options.reconnect.maxAttempts ?? Infinity : Infinity)
    this.emitter.emit('disconnected', { code, reason, willReconnect: !fatal, ...(error ? { error } : {}) })
    if (fatal) return this.finish(error ?? new SMCStreamError('CONNECTION_LOST', `Connection closed (${code}${reason ? `: ${reason}` : ''})`, { code, reason }))
    let delayMs = backoffDelay(this.attempt++, this.options.reconnect || {})
    // Refused for failed authentications: trying again within the server's minute only prolongs it.
    if (this.refused) delayMs = Math.max(delayMs, REFUSED_DELAY_MS)
    this.state = 'reconnecting'
    this.emitter.emit('reconnecting', { attempt: this.attempt, delayMs, code, reason })
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined
      if (this.state !== 'closed') void this.open()
    }, delayMs)
  }

  /** A failure before a socket existed (no token, no WebSocket implementation): retry or give up. */
  private fail(error: Error): void {
    if (this.state === 'closed') return
    if (this.options.reconnect === false || /No WebSocket implementation/.test(error.message)) return this.finish(error)
    this.emitter.emit('error', error)
    this.dropped(0, error.message)
  }

  private protocolError(message: string): void {
    this.emitter.emit('error', new SMCStreamError('PROTOCOL_ERROR', message))
    const socket = this.socket
    if (!socket) return
    this.dropped(1002, message)
    socket.onclose = null
    socket.close(1002, 'protocol error')
  }

  /** Final state: stop timers, reject what waits, end iterators. */
  finish(error: Error): void {
    this.state = 'closed'
    this.generation++
    this.heartbeat.stop()
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.socket = undefined
    for (const w of this.connectWaiters.splice(0)) w.reject(error)
    this.subscriptions.rejectAll(error)
    this.requests.rejectAll(() => error)
    const closedByUser = error instanceof SMCStreamError && error.code === 'STREAM_CLOSED'
    this.sink.end(closedByUser ? undefined : error)
  }

  private send(msg: object): void {
    this.socket?.send(JSON.stringify(msg))
  }

  /** Send a request on the open socket; resolves with the server's answer. */
  request(msg: Record<string, unknown>): Promise<ServerMessage> {
    const socket = this.socket
    if (!socket || socket.readyState !== OPEN) return Promise.reject(new SMCStreamError('CONNECTION_LOST', 'Not connected'))
    return this.requests.send((id) => this.send({ ...msg, request_id: id }))
  }
}
