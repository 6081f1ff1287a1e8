import { backoffDelay, type ReconnectOptions } from './backoff'
import { Emitter } from './emitter'
import { SMCStreamError } from './errors'
import { FrameQueue } from './queue'
import { resolveWebSocket, streamUrl, type SocketLike, type WebSocketConstructor } from './socket'
import {
  ACCOUNT_EVENT_TYPES,
  type Authenticated,
  type ResyncRequired,
  type Resumed,
  type ServerMessage,
  type ServerMessageType,
  type StreamChannel,
  type StreamDataByType,
} from './types'

/**
 * Where a token comes from: a string, or a function asked on every (re)connection (so refreshed tokens are used).
 * @example
 * const token: TokenSource = async () => (await client.refreshToken(refresh, { use: true })).token
 */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>)

/**
 * Options of {@link StreamClient}.
 * @example
 * const options: StreamOptions = { baseUrl: 'https://api.example.com', token: () => store.token, auth: 'message', reconnect: { maxDelayMs: 10_000 } }
 */
export interface StreamOptions {
  /** The stream URL (`ws://host/v1/ws`); default derived from `baseUrl`. */
  url?: string
  /** The API origin (default `http://localhost:8000`), used when `url` is not given. */
  baseUrl?: string
  /** The access token, or a function returning the current one. */
  token?: TokenSource
  /**
   * How the token is sent: `query` (`?token=…`, seed 000; the default) or `message` (an
   * `authenticate` message after connecting, for clients that must keep tokens out of URLs).
   */
  auth?: 'query' | 'message'
  /** Reconnection policy; `false` disables reconnecting. */
  reconnect?: ReconnectOptions | false
  /**
   * Application-level ping interval in ms (default 15000; 0 disables). When nothing arrives for
   * twice this long, the connection is considered dead and replaced.
   */
  heartbeatMs?: number
  /** The account-event id to resume from on the first connection (e.g. persisted by the bot). */
  lastEventId?: string
  /** Frames an async iterator may fall behind before it fails with OVERFLOW (default 10000). */
  iteratorBufferSize?: number
  /** WebSocket implementation (default: the global one, else the `ws` package). */
  WebSocket?: WebSocketConstructor
}

/**
 * Connection state. `closed` is final (after `close()` or a non-retryable failure).
 * @example
 * if (stream.state !== 'open') console.log('waiting for the stream…')
 */
export type StreamState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/**
 * Events of a {@link StreamClient} and their listener arguments.
 * @example
 * stream.on('disconnected', ({ code, reason, willReconnect }) => console.log(code, reason, willReconnect))
 */
export type StreamEvents = {
  /** Authenticated and (re)subscribed; `reconnected` is false the first time. */
  connected: [info: { reconnected: boolean; user: Authenticated }]
  /** A reconnection attempt is scheduled. */
  reconnecting: [info: { attempt: number; delayMs: number; code?: number; reason?: string }]
  /** The socket closed; `willReconnect` tells whether a reconnection follows. */
  disconnected: [info: { code: number; reason: string; willReconnect: boolean; error?: SMCStreamError }]
  /** Server `error` frames, failed re-subscriptions, throwing listeners. */
  error: [error: SMCStreamError | Error]
  /** Every server frame. */
  message: [frame: ServerMessage]
  /** Missed account events could not be replayed: reload orders and positions over REST. */
  resync_required: [data: ResyncRequired]
  /** Missed account events were replayed. */
  resumed: [data: Resumed]
} & { [K in keyof StreamDataByType]: [data: StreamDataByType[K], frame: Extract<ServerMessage, { type: K }>] }

const NON_RETRYABLE_WITH_FIXED_TOKEN = new Set(['AUTHENTICATION_FAILED', 'TOKEN_EXPIRED'])
/** After a 429 on the upgrade: the server counts failed authentications per address over a minute. */
const REFUSED_DELAY_MS = 60_000
const OPEN = 1

interface Waiter<T> {
  resolve: (v: T) => void
  reject: (e: unknown) => void
}

const normSymbol = (s: string): string => s.replace('/', '').toUpperCase()

/**
 * The server's canonical channel name: `market_data` + `btc/usdt` → `market_data.BTCUSDT`.
 *
 * @example
 * channelName('market_data', 'btcusdt') // 'market_data.BTCUSDT'
 * channelName('trading.eth/usdt')       // 'trading.ETHUSDT'
 */
export function channelName(channel: StreamChannel, symbol?: string): string {
  if (symbol !== undefined) return `${channel}.${normSymbol(symbol)}`
  const dot = channel.indexOf('.')
  if (dot > 0 && channel !== 'system.health') return `${channel.slice(0, dot)}.${normSymbol(channel.slice(dot + 1))}`
  return channel
}

/**
 * The real-time stream of the SMC Trading API (`/v1/ws`): typed messages, callbacks and async
 * iteration, automatic reconnection with exponential backoff and jitter, re-authentication,
 * re-subscription, and resume of missed account events (`trade_update`, `position_update`,
 * `risk_event`) from the last one processed — or a `resync_required` event when they are gone.
 *
 * @example
 * import { StreamClient } from 'smc-trading-sdk'
 * const stream = new StreamClient({ baseUrl: 'http://localhost:8000', token: process.env.SMC_TOKEN })
 * stream.on('trade_update', (t) => console.log(t.order_id, t.status))
 * await stream.connect()
 * await stream.subscribe('market_data', 'BTCUSDT')
 * await stream.subscribe('trades')
 * for await (const msg of stream.messages({ types: ['market_data_update'] })) console.log(msg.data.price)
 */
export class StreamClient {
  private readonly emitter: Emitter<StreamEvents>
  private readonly desired = new Set<string>()
  private readonly channelWaiters = new Map<string, Waiter<string[]>[]>()
  private readonly requests = new Map<string, Waiter<ServerMessage>>()
  private readonly queues = new Set<FrameQueue<ServerMessage>>()
  private connectWaiters: Waiter<void>[] = []
  private socket?: SocketLike
  private generation = 0
  private seq = 0
  private attempt = 0
  private everConnected = false
  private nextRequestId = 0
  private lastFrameAt = 0
  private lastServerError?: SMCStreamError
  /** The server refused the last upgrade with 429 (too many failed authentications from here). */
  private refused = false
  private reconnectTimer?: ReturnType<typeof setTimeout>
  private heartbeatTimer?: ReturnType<typeof setInterval>
  private cursor?: string
  private _state: StreamState = 'idle'
  private _user?: Authenticated

  constructor(readonly options: StreamOptions = {}) {
    this.cursor = options.lastEventId
    let reporting = false
    this.emitter = new Emitter((err) => {
      // A throwing listener is reported as an `error` event; a throwing `error` listener is not (no loop).
      if (reporting) return
      reporting = true
      try {
        this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)))
      } finally {
        reporting = false
      }
    })
  }

  /** Current connection state. */
  get state(): StreamState {
    return this._state
  }

  /** The resume cursor: id of the last account event processed (persist it to resume after a restart). */
  get lastEventId(): string | undefined {
    return this.cursor
  }

  /** The channels this client keeps subscribed (canonical names), across reconnections. */
  get channels(): string[] {
    return [...this.desired]
  }

  /**
   * Connect (if not already) and resolve once authenticated and re-subscribed. Connection
   * failures are retried per the reconnect policy; rejects on a non-retryable failure or `close()`.
   *
   * @example
   * await stream.connect()
   */
  connect(): Promise<void> {
    if (this._state === 'open') return Promise.resolve()
    if (this._state === 'closed') return Promise.reject(new SMCStreamError('STREAM_CLOSED', 'This stream client was closed; create a new one'))
    const p = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }))
    if (this._state === 'idle') {
      this._state = 'connecting'
      void this.open()
    }
    return p
  }

  /**
   * Subscribe to a channel (kept across reconnections); resolves with every channel now subscribed.
   * Before `connect()` it is remembered and sent on connection. Rejects with the server's error
   * (INVALID_CHANNEL, INVALID_SYMBOL, INSUFFICIENT_PERMISSIONS, SUBSCRIPTION_LIMIT_EXCEEDED…).
   *
   * @example
   * await stream.subscribe('market_data', 'BTCUSDT')
   * await stream.subscribe('trading.ETHUSDT')
   * await stream.subscribe('positions')
   */
  async subscribe(channel: StreamChannel, symbol?: string): Promise<string[]> {
    const name = channelName(channel, symbol)
    if (this._state === 'closed') throw new SMCStreamError('STREAM_CLOSED', 'This stream client was closed')
    const known = this.desired.has(name)
    this.desired.add(name)
    if (this._state !== 'open') return this.whenSubscribed(name)
    try {
      const ack = await this.request({ type: 'subscribe', channel: name })
      return (ack.data as { channels: string[] }).channels
    } catch (e) {
      if (e instanceof SMCStreamError && e.code === 'CONNECTION_LOST' && this.desired.has(name)) return this.whenSubscribed(name)
      if (!known) this.desired.delete(name)
      throw e
    }
  }

  /**
   * Subscribe without waiting: a refusal is reported as an `error` event (for fire-and-forget setups).
   *
   * @example
   * stream.subscribeInBackground('positions')
   * stream.on('error', (e) => console.error(e))
   */
  subscribeInBackground(channel: StreamChannel, symbol?: string): void {
    this.subscribe(channel, symbol).catch((e: unknown) => {
      if (!(e instanceof SMCStreamError && (e.code === 'STREAM_CLOSED' || e.code === 'UNSUBSCRIBED'))) this.emitter.emit('error', e instanceof Error ? e : new Error(String(e)))
    })
  }

  /**
   * Unsubscribe; resolves with the channels still subscribed.
   *
   * @example
   * await stream.unsubscribe('market_data', 'BTCUSDT')
   */
  async unsubscribe(channel: StreamChannel, symbol?: string): Promise<string[]> {
    const name = channelName(channel, symbol)
    this.desired.delete(name)
    for (const w of this.channelWaiters.get(name) ?? []) w.reject(new SMCStreamError('UNSUBSCRIBED', `Unsubscribed from ${name}`))
    this.channelWaiters.delete(name)
    if (this._state !== 'open') return [...this.desired]
    try {
      const ack = await this.request({ type: 'unsubscribe', channel: name })
      return (ack.data as { channels: string[] }).channels
    } catch (e) {
      if (e instanceof SMCStreamError && e.code === 'CONNECTION_LOST') return [...this.desired]
      throw e
    }
  }

  /**
   * Listen to an event; returns the function that removes the listener.
   *
   * @example
   * const off = stream.on('position_update', (p) => console.log(p.symbol, p.quantity))
   * stream.on('reconnecting', ({ attempt, delayMs }) => console.log(`retry ${attempt} in ${delayMs} ms`))
   * stream.on('resync_required', async () => reload(await client.getPositions()))
   */
  on<K extends keyof StreamEvents>(event: K, listener: (...args: StreamEvents[K]) => void): () => void {
    return this.emitter.on(event, listener)
  }

  /**
   * Call `cb` with every `trade_update` (subscribe to `trades` or `orders.{symbol}` to get them).
   * @example
   * stream.onTradeUpdate((t) => t.status === 'filled' && console.log('filled', t.order_id))
   */
  onTradeUpdate(cb: (data: StreamDataByType['trade_update']) => void): () => void {
    return this.on('trade_update', (d) => cb(d))
  }

  /**
   * Call `cb` with every `position_update` (subscribe to `positions`).
   * @example
   * stream.onPositionUpdate((p) => console.log(p.symbol, p.unrealized_pnl))
   */
  onPositionUpdate(cb: (data: StreamDataByType['position_update']) => void): () => void {
    return this.on('position_update', (d) => cb(d))
  }

  /**
   * Call `cb` with every `market_data_update` (subscribe to `market_data` with a symbol).
   * @example
   * stream.onMarketDataUpdate((m) => console.log(m.symbol, m.price))
   */
  onMarketDataUpdate(cb: (data: StreamDataByType['market_data_update']) => void): () => void {
    return this.on('market_data_update', (d) => cb(d))
  }

  /**
   * Call `cb` with every `risk_event` (subscribe to `risk`).
   * @example
   * stream.onRiskEvent((r) => r.severity === 'high' && alert(r.message))
   */
  onRiskEvent(cb: (data: StreamDataByType['risk_event']) => void): () => void {
    return this.on('risk_event', (d) => cb(d))
  }

  /**
   * Iterate over the frames from now on (optionally only some `types`), across reconnections,
   * until `close()` or `break`. A loop that falls `iteratorBufferSize` frames behind fails with
   * OVERFLOW rather than letting memory grow.
   *
   * @example
   * for await (const m of stream.messages({ types: ['trade_update', 'position_update'] })) {
   *   if (m.type === 'trade_update') console.log(m.data.status)
   * }
   */
  messages<T extends ServerMessageType = ServerMessageType>(opts: { types?: readonly T[] } = {}): AsyncIterableIterator<Extract<ServerMessage, { type: T }>> {
    const types = opts.types ? new Set<string>(opts.types) : undefined
    const q: FrameQueue<ServerMessage> = new FrameQueue(
      this.options.iteratorBufferSize ?? 10_000,
      (m) => !types || types.has(m.type),
      () => this.queues.delete(q),
    )
    if (this._state === 'closed') q.end()
    else this.queues.add(q)
    return q as unknown as AsyncIterableIterator<Extract<ServerMessage, { type: T }>>
  }

  /** Same as `messages()`: `for await (const m of stream)`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ServerMessage> {
    return this.messages()
  }

  /**
   * Close for good: no reconnection, pending calls reject, iterators end.
   * @example
   * await stream.close()
   */
  async close(): Promise<void> {
    if (this._state === 'closed') return
    const socket = this.socket
    this.finish(new SMCStreamError('STREAM_CLOSED', 'The stream was closed'))
    if (socket && socket.readyState <= OPEN) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000)
        socket.onclose = () => {
          clearTimeout(timer)
          resolve()
        }
        socket.close(1000, 'client closed')
      })
    }
    if (socket) this.emitter.emit('disconnected', { code: 1000, reason: 'client closed', willReconnect: false })
  }

  // ---- connection lifecycle -------------------------------------------------------------------

  private async open(): Promise<void> {
    const generation = ++this.generation
    let token: string | undefined
    let Ctor: WebSocketConstructor
    try {
      const source = this.options.token
      token = typeof source === 'function' ? await source() : source
      Ctor = await resolveWebSocket(this.options.WebSocket)
    } catch (e) {
      return this.fail(e instanceof Error ? e : new Error(String(e)))
    }
    if (this._state === 'closed' || generation !== this.generation) return
    const base = this.options.url ?? streamUrl(this.options.baseUrl ?? 'http://localhost:8000')
    const inQuery = token !== undefined && (this.options.auth ?? 'query') === 'query'
    const url = inQuery ? `${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(token!)}` : base
    let socket: SocketLike
    try {
      socket = new Ctor(url)
    } catch (e) {
      return this.fail(e instanceof Error ? e : new Error(String(e)))
    }
    this.socket = socket
    this.seq = 0
    this.lastServerError = undefined
    this.refused = false
    this._user = undefined
    socket.onopen = () => {
      if (socket !== this.socket) return
      this.lastFrameAt = Date.now()
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
    this.lastFrameAt = Date.now()
    switch (f.type) {
      case 'authenticated':
        if (!this._user) {
          this._user = f.data
          void this.resubscribe()
        }
        break
      case 'subscribed':
        if (f.data.last_event_id !== undefined && this.cursor === undefined) this.cursor = f.data.last_event_id
        for (const name of f.data.channels) this.settleChannel(name)
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
    const requestId = (f.data as { request_id?: string }).request_id
    if (requestId !== undefined) {
      const w = this.requests.get(requestId)
      if (w) {
        this.requests.delete(requestId)
        if (f.type === 'error') w.reject(SMCStreamError.fromFrame(f.data))
        else w.resolve(f)
      }
    }
    this.emitter.emit('message', f)
    if (f.type in DATA_EVENTS) (this.emitter.emit as (e: string, ...a: unknown[]) => void)(f.type, f.data, f)
    for (const q of this.queues) q.push(f)
  }

  /**
   * After authentication: restore the subscriptions in one request that also resumes account
   * events from the cursor, then report `connected`. Channels added meanwhile follow; a channel the
   * server now refuses (scope, symbol) is dropped and reported, the others are kept.
   */
  private async resubscribe(): Promise<void> {
    const socket = this.socket
    const acked = new Set<string>()
    let cursor = this.cursor
    for (;;) {
      const wanted = [...this.desired].filter((n) => !acked.has(n))
      if (wanted.length === 0) break
      try {
        const ack = await this.request({ type: 'subscribe', channels: wanted, ...(cursor ? { last_event_id: cursor } : {}) })
        for (const n of (ack.data as { channels: string[] }).channels) acked.add(n)
        for (const n of wanted) acked.add(n)
      } catch (e) {
        if (!(e instanceof SMCStreamError) || e.code === 'CONNECTION_LOST') return
        for (const name of wanted) {
          try {
            await this.request({ type: 'subscribe', channel: name })
          } catch (err) {
            if (!(err instanceof SMCStreamError) || err.code === 'CONNECTION_LOST') return
            this.desired.delete(name)
            for (const w of this.channelWaiters.get(name) ?? []) w.reject(err)
            this.channelWaiters.delete(name)
            this.emitter.emit('error', err)
          }
          acked.add(name)
        }
        // Resume once for all account channels now subscribed. Rare path: an event may come twice.
        if (cursor) await this.request({ type: 'resume', last_event_id: cursor }).catch(() => undefined)
      }
      cursor = undefined
    }
    if (socket !== this.socket || this._state === 'closed') return
    const reconnected = this.everConnected
    this.everConnected = true
    this._state = 'open'
    this.attempt = 0
    this.startHeartbeat()
    for (const w of this.connectWaiters.splice(0)) w.resolve()
    this.emitter.emit('connected', { reconnected, user: this._user! })
  }

  private dropped(code: number, reason: string): void {
    this.socket = undefined
    this.stopHeartbeat()
    for (const [id, w] of this.requests) {
      this.requests.delete(id)
      w.reject(new SMCStreamError('CONNECTION_LOST', 'The connection closed before the server answered'))
    }
    if (this._state === 'closed') return
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
    this._state = 'reconnecting'
    this.emitter.emit('reconnecting', { attempt: this.attempt, delayMs, code, reason })
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined
      if (this._state !== 'closed') void this.open()
    }, delayMs)
  }

  /** A failure before a socket existed (no token, no WebSocket implementation): retry or give up. */
  private fail(error: Error): void {
    if (this._state === 'closed') return
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
  private finish(error: Error): void {
    this._state = 'closed'
    this.generation++
    this.stopHeartbeat()
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.socket = undefined
    for (const w of this.connectWaiters.splice(0)) w.reject(error)
    for (const ws of this.channelWaiters.values()) for (const w of ws) w.reject(error)
    this.channelWaiters.clear()
    for (const [id, w] of this.requests) {
      this.requests.delete(id)
      w.reject(error)
    }
    const closedByUser = error instanceof SMCStreamError && error.code === 'STREAM_CLOSED'
    for (const q of [...this.queues]) q.end(closedByUser ? undefined : error)
  }

  private startHeartbeat(): void {
    const every = this.options.heartbeatMs ?? 15_000
    if (every <= 0) return
    this.stopHeartbeat()
    this.heartbeatTimer = setInterval(() => {
      const socket = this.socket
      if (!socket || this._state !== 'open') return
      if (Date.now() - this.lastFrameAt > 2 * every) {
        // Nothing for two intervals: the peer or the path is gone. Replace the connection now.
        socket.onclose = null
        socket.onmessage = null
        try {
          socket.close(4000, 'heartbeat timeout')
        } catch {
          // already closing
        }
        return this.dropped(1006, 'heartbeat timeout')
      }
      this.send({ type: 'ping' })
    }, every)
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = undefined
  }

  private send(msg: object): void {
    this.socket?.send(JSON.stringify(msg))
  }

  private request(msg: Record<string, unknown>): Promise<ServerMessage> {
    const socket = this.socket
    if (!socket || socket.readyState !== OPEN) return Promise.reject(new SMCStreamError('CONNECTION_LOST', 'Not connected'))
    const id = `c${++this.nextRequestId}`
    return new Promise((resolve, reject) => {
      this.requests.set(id, { resolve, reject })
      this.send({ ...msg, request_id: id })
    })
  }

  private whenSubscribed(name: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const list = this.channelWaiters.get(name) ?? []
      list.push({ resolve, reject })
      this.channelWaiters.set(name, list)
    })
  }

  private settleChannel(name: string): void {
    const ws = this.channelWaiters.get(name)
    if (!ws) return
    this.channelWaiters.delete(name)
    for (const w of ws) w.resolve([...this.desired])
  }
}

const DATA_EVENTS: Record<keyof StreamDataByType, true> = {
  market_data_update: true,
  quote_update: true,
  trade_update: true,
  position_update: true,
  risk_event: true,
  health_update: true,
}
