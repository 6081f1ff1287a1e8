import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Principal } from '../auth'
import { DomainError, type Clock, type DomainEvent, type EventBus } from '../core'
import type { MarketData, Ticker } from '../market'
import type { Logger } from '../observability'
import type { StreamEventRepository } from '../store'
import { ACCOUNT_EVENT_KINDS, channelsOfEvent } from './channels'
import { runCommand } from './commands'
import { AuthFailureLimiter } from './auth-failures'
import { Connection, type ConnectionHost } from './connection'
import { frameTail, messageIds } from './envelope'
import { healthSnapshot } from './health'
import { EventJournal, type JournalEntry } from './journal'
import type { HubOptions } from './options'
import type { CommandContext, HealthSource, HubMetricsSource } from './ports'
import { emptyCounters, type HubCounters, type HubStats } from './stats'

export const WS_PATH = '/v1/ws'

export interface StreamHubDeps {
  auth: { verifyAccessToken(token: string): Promise<Principal | { reason: string }> }
  market: MarketData
  events: EventBus
  clock: Clock
  /** Where the replay buffer of account events is kept. */
  journalStore: StreamEventRepository
  /** Symbols that can be subscribed (known and enabled). */
  isSymbol(symbol: string): boolean
  logger: Logger
  options: HubOptions
  /** Identifies the store: event ids of another store (or a wiped one) are never replayed. */
  epoch: string
  version: string
}

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * The /v1/ws hub: authenticates sockets, keeps their subscriptions, fans market ticks and account
 * events out to them, and journals account events for resume. One hub per server; it outlives
 * its listeners, so restarting the HTTP listener keeps the replay buffer and the statistics.
 */
export class StreamHub implements ConnectionHost, CommandContext, HealthSource, HubMetricsSource {
  readonly options: HubOptions
  readonly journal: EventJournal
  readonly counters: HubCounters = emptyCounters()
  /** Channel name → connections subscribed to it. */
  readonly byChannel = new Map<string, Set<Connection>>()
  /** User id → that user's authenticated connections (account events go to these only). */
  readonly byUser = new Map<string, Set<Connection>>()
  /** Token id → connections authenticated with it (the per-token connection limit). */
  readonly byToken = new Map<string, Set<Connection>>()
  readonly connections = new Set<Connection>()
  readonly nextId = messageIds(`m${Date.now().toString(36)}`)
  readonly clock: Clock
  readonly market: MarketData
  readonly isSymbol: (symbol: string) => boolean
  private readonly wss: WebSocketServer
  private readonly listeners = new Map<Server, (req: IncomingMessage, socket: Duplex, head: Buffer) => void>()
  private readonly unsubscribe: (() => void)[]
  private timers: NodeJS.Timeout[] = []
  private nextConn = 0
  private readonly startedAt: number
  readonly authLimiter: AuthFailureLimiter

  constructor(readonly deps: StreamHubDeps) {
    this.options = deps.options
    this.clock = deps.clock
    this.market = deps.market
    this.isSymbol = deps.isSymbol
    this.startedAt = deps.clock.now()
    this.authLimiter = new AuthFailureLimiter(deps.options.maxAuthFailuresPerMinute, 60_000)
    this.journal = new EventJournal(
      deps.journalStore,
      deps.clock,
      deps.epoch,
      deps.options.replayMaxEvents,
      deps.options.replayMaxAgeMs,
      (err) => deps.logger.error({ err }, 'ws journal write failed'),
      (batch) => {
        for (const entry of batch) this.deliver(entry)
      },
    )
    this.wss = new WebSocketServer({
      noServer: true,
      // Frames up to this size are read (and answered with MESSAGE_TOO_LARGE above maxMessageBytes);
      // anything bigger is a protocol violation that closes the socket (1009) before it costs memory.
      maxPayload: Math.max(1024 * 1024, 4 * deps.options.maxMessageBytes),
      perMessageDeflate: false,
      clientTracking: false,
    })
    this.unsubscribe = [deps.market.onTick((t) => this.onTick(t)), deps.events.subscribe((e) => this.onEvent(e))]
  }

  get maxBufferedBytes(): number {
    return this.options.maxBufferedBytes
  }
  get maxMessageBytes(): number {
    return this.options.maxMessageBytes
  }
  get messagesPerSecond(): number {
    return this.options.messagesPerSecond
  }
  nowIso(): string {
    return iso(this.deps.clock.now())
  }
  monotonic(): number {
    return performance.now()
  }
  symbols(): string[] {
    return this.deps.market.symbols()
  }
  verifyAccessToken(token: string): Promise<Principal | { reason: string }> {
    return this.deps.auth.verifyAccessToken(token)
  }

  /** Serve /v1/ws on an HTTP server; the returned function detaches and closes its sockets (1001). */
  attach(server: Server): () => Promise<void> {
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(server, req, socket, head)
    server.on('upgrade', onUpgrade)
    this.listeners.set(server, onUpgrade)
    this.startTimers()
    return async () => {
      server.off('upgrade', onUpgrade)
      this.listeners.delete(server)
      await this.disconnectAll((c) => c.server === server, 1001, 'server restarting')
      if (this.listeners.size === 0) this.stopTimers()
    }
  }

  /** Stop listening to the market and the event bus and close every socket. */
  async close(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off()
    this.safely(() => this.journal.flush())
    this.stopTimers()
    for (const [server, l] of this.listeners) server.off('upgrade', l)
    this.listeners.clear()
    await this.disconnectAll(() => true, 1001, 'server shutting down')
  }

  run(conn: Connection, cmd: Parameters<ConnectionHost['run']>[1]): void | Promise<void> {
    return runCommand(this, conn, cmd)
  }

  /** Register an authenticated principal on a connection; false (after telling the client) when over a limit. */
  admit(conn: Connection, p: Principal): boolean {
    const set = this.byToken.get(p.tokenId)
    if (!set?.has(conn) && (set?.size ?? 0) >= this.options.maxConnectionsPerToken) {
      this.counters.connectionLimitRejections++
      return false
    }
    if (conn.principal) this.release(conn)
    conn.principal = p
    add(this.byToken, p.tokenId, conn)
    add(this.byUser, p.userId, conn)
    return true
  }

  join(conn: Connection, channel: string): void {
    add(this.byChannel, channel, conn)
  }

  leave(conn: Connection, channel: string): void {
    remove(this.byChannel, channel, conn)
  }

  slowConsumer(conn: Connection): void {
    if (conn.closing) return
    this.counters.slowConsumerDisconnects++
    this.deps.logger.warn({ connection: conn.id, buffered: conn.ws.bufferedAmount }, 'ws slow consumer disconnected')
    conn.close(1013, `slow consumer: more than ${this.options.maxBufferedBytes} bytes unsent`)
  }

  closed(conn: Connection): void {
    if (!this.connections.delete(conn)) return
    for (const name of conn.subs.keys()) remove(this.byChannel, name, conn)
    if (conn.principal) this.release(conn)
  }

  connectionCount(): number {
    return this.connections.size
  }

  subscriptionCount(): number {
    let n = 0
    for (const set of this.byChannel.values()) n += set.size
    return n
  }

  stats(): HubStats {
    const subscriptions: Record<string, number> = {}
    for (const [name, set] of this.byChannel) if (set.size > 0) subscriptions[name] = set.size
    let authenticated = 0
    for (const c of this.connections) if (c.principal) authenticated++
    return {
      counters: this.counters,
      activeConnections: this.connections.size,
      authenticatedConnections: authenticated,
      subscriptions,
      uptimeSeconds: Math.floor((this.deps.clock.now() - this.startedAt) / 1000),
    }
  }

  /** Deliver one journaled account event to the owner's connections subscribed to its channels. */
  deliver(entry: JournalEntry, only?: Connection, replayed = false): number {
    const conns = only ? [only] : this.byUser.get(entry.userId)
    if (!conns) return 0
    const channels = channelsOfEvent(entry.kind, entry.symbol ?? undefined)
    const tails = new Map<string, string>()
    let sent = 0
    for (const c of conns) {
      const ch = channels.find((n) => c.subs.has(n))
      if (!ch) continue
      let tail = tails.get(ch)
      if (!tail) tails.set(ch, (tail = frameTail(entry.kind, entry.data, iso(entry.at), entry.id, ch, replayed)))
      if (c.send(tail)) sent++
    }
    return sent
  }

  private upgrade(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== WS_PATH && url.pathname !== `${WS_PATH}/`) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const ip = req.socket.remoteAddress ?? ''
    const wait = this.authLimiter.retryAfterMs(ip, this.deps.clock.now())
    if (wait > 0) {
      // Refused before the handshake: an address guessing tokens gets no socket to try them on.
      this.counters.upgradesRefused++
      const retryAfter = Math.ceil(wait / 1000)
      const limit = this.authLimiter.limit
      const refusal = new DomainError('RATE_LIMIT_EXCEEDED', `Too many failed authentications from this address: retry in ${retryAfter} s`, {
        limit,
        window: '1m',
        retry_after: retryAfter,
      })
      const body = JSON.stringify(refusal.envelope(`ws_upgrade_${(++this.nextConn).toString(36)}`, this.nowIso()))
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: application/json\r\nRetry-After: ${retryAfter}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      )
      return
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const token = url.searchParams.get('token') ?? bearer ?? undefined
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(server, ws, token, ip))
  }

  /** Count a failed authentication of `conn` (stats and the per-address limit). */
  authFailed(conn: Connection): void {
    this.counters.authFailures++
    this.authLimiter.record(conn.remoteIp, this.deps.clock.now())
  }

  private open(server: Server, ws: WebSocket, token: string | undefined, ip: string): void {
    const conn = new Connection(`ws_${(++this.nextConn).toString(36)}`, ws, server, this, this.deps.clock.now(), ip)
    this.connections.add(conn)
    this.counters.connectionsTotal++
    if (token !== undefined) {
      // Frames that arrive while the token is verified wait for it, in order.
      void conn.hold(Promise.resolve(runCommand(this, conn, { op: 'authenticate', token })))
      return
    }
    conn.reply('connected', this.welcome(conn))
    const timer = setTimeout(() => {
      if (conn.principal || conn.closing) return
      this.authFailed(conn)
      conn.error('AUTHENTICATION_FAILED', `No valid token within ${this.options.authTimeoutMs} ms: connect with ?token=… or send {"type":"authenticate","token":…}`)
      conn.close(1008, 'authentication timeout')
    }, this.options.authTimeoutMs)
    timer.unref()
  }

  welcome(conn: Connection): object {
    return {
      connection_id: conn.id,
      connected_at: iso(conn.connectedAt),
      authenticated: conn.principal !== undefined,
      server_version: this.deps.version,
      heartbeat_interval_ms: this.options.heartbeatMs,
      limits: {
        max_connections_per_token: this.options.maxConnectionsPerToken,
        messages_per_second: this.options.messagesPerSecond,
        max_subscriptions: this.options.maxSubscriptions,
        max_message_bytes: this.options.maxMessageBytes,
      },
    }
  }

  private release(conn: Connection): void {
    const p = conn.principal!
    remove(this.byToken, p.tokenId, conn)
    remove(this.byUser, p.userId, conn)
  }

  private onTick(t: Ticker): void {
    const md = this.byChannel.get(`market_data.${t.symbol}`)
    const tr = this.byChannel.get(`trading.${t.symbol}`)
    if (!md?.size && !tr?.size) return
    const ts = iso(t.timestamp)
    if (md?.size) {
      const data = { symbol: t.symbol, price: t.price, bid: t.bid, ask: t.ask, volume_24h: t.volume_24h, change_24h: t.change_24h, timestamp: ts }
      const tail = frameTail('market_data_update', JSON.stringify(data), ts, this.nextId(), `market_data.${t.symbol}`)
      for (const c of md) c.send(tail)
    }
    if (tr?.size) {
      const book = this.deps.market.orderBook(t.symbol, 1)
      const [bid, bidSize] = book.bids[0] ?? [t.bid, 0]
      const [ask, askSize] = book.asks[0] ?? [t.ask, 0]
      const mid = (bid + ask) / 2
      const data = {
        symbol: t.symbol,
        bid,
        ask,
        bid_size: bidSize,
        ask_size: askSize,
        spread_bps: mid > 0 ? Math.round(((ask - bid) / mid) * 1e6) / 100 : 0,
        last_trade_price: t.price,
        volume_24h: t.volume_24h,
        timestamp: ts,
      }
      const tail = frameTail('quote_update', JSON.stringify(data), ts, this.nextId(), `trading.${t.symbol}`)
      for (const c of tr) c.send(tail)
    }
  }

  private onEvent(e: DomainEvent): void {
    if (!ACCOUNT_EVENT_KINDS.has(e.kind) || !e.userId) return
    const data = JSON.stringify(e.data)
    const symbol = e.symbol ?? (typeof e.data.symbol === 'string' ? e.data.symbol : undefined)
    try {
      // Delivered by the journal once the entry is stored (its onDurable callback).
      this.journal.append({ userId: e.userId, accountId: e.accountId, kind: e.kind, symbol, data, at: e.at })
      this.counters.eventsJournaled++
    } catch (err) {
      // Still deliver live; only resume of this one event is lost (and the store is in trouble anyway).
      this.deps.logger.error({ err, kind: e.kind }, 'ws journal append failed')
      const entry: JournalEntry = { id: this.nextId(), userId: e.userId, accountId: e.accountId ?? null, seq: 0, kind: e.kind, symbol: symbol ?? null, data, at: e.at }
      this.deliver(entry)
    }
  }

  private startTimers(): void {
    if (this.timers.length > 0) return
    const beat = setInterval(() => this.heartbeat(), this.options.heartbeatMs)
    const health = setInterval(() => this.broadcastHealth(), this.options.healthIntervalMs)
    const prune = setInterval(() => this.safely(() => this.journal.prune()), Math.min(60_000, this.options.replayMaxAgeMs))
    this.timers = [beat, health, prune]
    for (const t of this.timers) t.unref()
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
  }

  private heartbeat(): void {
    const now = this.deps.clock.now()
    for (const c of this.connections) {
      if (c.closing) continue
      if (!c.alive) {
        this.counters.deadPeerDisconnects++
        c.ws.terminate()
        this.closed(c)
        continue
      }
      if (c.principal && now >= c.principal.expiresAt) {
        c.error('TOKEN_EXPIRED', 'The access token has expired; reconnect with a fresh token (or send authenticate with one before expiry)', {
          expired_at: iso(c.principal.expiresAt),
        })
        c.close(1008, 'token expired')
        continue
      }
      c.alive = false
      c.ws.ping()
    }
  }

  /** Send `health_update` to the `system.health` subscribers (or to one connection: its first snapshot). */
  broadcastHealth(only?: Connection): void {
    const targets = only ? [only] : [...(this.byChannel.get('system.health') ?? [])]
    if (targets.length === 0) return
    const data = healthSnapshot(this)
    const tail = frameTail('health_update', JSON.stringify(data), data.timestamp, this.nextId(), 'system.health')
    for (const c of targets) c.send(tail)
  }

  private safely(fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.deps.logger.error({ err }, 'ws hub task failed')
    }
  }

  private async disconnectAll(which: (c: Connection) => boolean, code: number, reason: string): Promise<void> {
    const targets = [...this.connections].filter(which)
    await Promise.all(
      targets.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.ws.readyState === c.ws.CLOSED) return done()
            c.ws.once('close', () => done())
            c.close(code, reason)
          }),
      ),
    )
  }
}

function add<K>(map: Map<K, Set<Connection>>, key: K, c: Connection): void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(c)
}

function remove<K>(map: Map<K, Set<Connection>>, key: K, c: Connection): void {
  const set = map.get(key)
  if (!set) return
  set.delete(c)
  if (set.size === 0) map.delete(key)
}
