import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Principal } from '../auth'
import type { Clock, EventBus } from '../core'
import type { MarketData } from '../market'
import type { Logger } from '../observability'
import type { StreamEventRepository } from '../store'
import { AccountEventDelivery } from './account-events'
import { AuthFailureLimiter } from './auth-failures'
import { runCommand } from './commands'
import { Connection, type ConnectionHost } from './connection'
import { frameTail, messageIds, iso } from './envelope'
import { healthSnapshot } from './health'
import { closeAll, heartbeat } from './liveness'
import type { EventJournal, JournalEntry } from './journal'
import { MarketFanOut } from './market-fanout'
import type { HubOptions } from './options'
import type { CommandContext, HealthSource, HubMetricsSource } from './ports'
import { ConnectionRegistry } from './registry'
import { emptyCounters, type HubCounters, type HubStats } from './stats'
import { refuseUpgrade, streamUrl, upgradeToken } from './upgrade'
import { WriteBatch } from './write-batch'

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

/**
 * The /v1/ws hub: authenticates sockets, keeps their subscriptions, fans market ticks and account
 * events out to them, and journals account events for resume. One hub per server; it outlives
 * its listeners, so restarting the HTTP listener keeps the replay buffer and the statistics.
 */
export class StreamHub implements ConnectionHost, CommandContext, HealthSource, HubMetricsSource {
  readonly options: HubOptions
  readonly counters: HubCounters = emptyCounters()
  readonly nextId = messageIds(`m${Date.now().toString(36)}`)
  readonly clock: Clock
  readonly market: MarketData
  readonly isSymbol: (symbol: string) => boolean
  readonly authLimiter: AuthFailureLimiter
  private readonly registry: ConnectionRegistry
  private readonly accountEvents: AccountEventDelivery
  private readonly marketFanOut: MarketFanOut
  private readonly wss: WebSocketServer
  private readonly writes = new WriteBatch()
  private readonly listeners = new Map<Server, (req: IncomingMessage, socket: Duplex, head: Buffer) => void>()
  private readonly unsubscribe: (() => void)[]
  private timers: NodeJS.Timeout[] = []
  private nextConn = 0
  private readonly startedAt: number

  constructor(private readonly deps: StreamHubDeps) {
    this.options = deps.options
    this.clock = deps.clock
    this.market = deps.market
    this.isSymbol = deps.isSymbol
    this.startedAt = deps.clock.now()
    this.authLimiter = new AuthFailureLimiter(deps.options.maxAuthFailuresPerMinute, 60_000)
    this.registry = new ConnectionRegistry(deps.options.maxConnectionsPerToken)
    this.accountEvents = new AccountEventDelivery({
      store: deps.journalStore,
      clock: deps.clock,
      epoch: deps.epoch,
      options: deps.options,
      logger: deps.logger,
      registry: this.registry,
      counters: this.counters,
      nextId: this.nextId,
    })
    this.marketFanOut = new MarketFanOut(this.registry, deps.market, this.nextId)
    this.wss = new WebSocketServer({
      noServer: true,
      // Frames up to this size are read (and answered with MESSAGE_TOO_LARGE above maxMessageBytes);
      // anything bigger is a protocol violation that closes the socket (1009) before it costs memory.
      maxPayload: Math.max(1024 * 1024, 4 * deps.options.maxMessageBytes),
      perMessageDeflate: false,
      clientTracking: false,
    })
    this.unsubscribe = [deps.market.onTick((t) => this.marketFanOut.tick(t)), deps.events.subscribe((e) => this.accountEvents.publish(e))]
  }

  /**
   * Send a market event (not an account event: no journal, no resume) to a channel's subscribers,
   * serialised once for all of them.
   */
  broadcast(channel: string, type: string, data: unknown): void {
    const subs = this.registry.subscribers(channel)
    if (!subs?.size) return
    const ts = this.nowIso()
    const tail = frameTail(type, JSON.stringify(data), ts, this.nextId(), channel)
    for (const c of subs) c.send(tail)
  }

  /** Set by the services once the executions store exists: who may subscribe to `executions.{id}`. */
  executionAccess?: (executionId: number, p: Principal) => void

  /** The replay buffer of account events. */
  get journal(): EventJournal {
    return this.accountEvents.journal
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

  hold(conn: Connection): void {
    this.writes.hold(conn)
  }

  run(conn: Connection, cmd: Parameters<ConnectionHost['run']>[1]): void | Promise<void> {
    return runCommand(this, conn, cmd)
  }

  /** Register an authenticated principal on a connection; false (after telling the client) when over a limit. */
  admit(conn: Connection, p: Principal): boolean {
    if (this.registry.admit(conn, p)) return true
    this.counters.connectionLimitRejections++
    return false
  }

  join(conn: Connection, channel: string): void {
    this.registry.join(conn, channel)
  }

  leave(conn: Connection, channel: string): void {
    this.registry.leave(conn, channel)
  }

  slowConsumer(conn: Connection): void {
    if (conn.closing) return
    this.counters.slowConsumerDisconnects++
    this.deps.logger.warn({ connection: conn.id, buffered: conn.ws.bufferedAmount }, 'ws slow consumer disconnected')
    conn.close(1013, `slow consumer: more than ${this.options.maxBufferedBytes} bytes unsent`)
  }

  closed(conn: Connection): void {
    this.registry.remove(conn)
  }

  connectionCount(): number {
    return this.registry.connections.size
  }

  subscriptionCount(): number {
    return this.registry.subscriptionCount()
  }

  maxBufferedAmount(): number {
    let max = 0
    for (const c of this.registry.connections) if (!c.closing) max = Math.max(max, c.ws.bufferedAmount)
    return max
  }

  stats(): HubStats {
    return {
      counters: this.counters,
      activeConnections: this.registry.connections.size,
      authenticatedConnections: this.registry.authenticatedCount(),
      subscriptions: this.registry.subscriptions(),
      uptimeSeconds: Math.floor((this.deps.clock.now() - this.startedAt) / 1000),
    }
  }

  /** Deliver one journaled account event to the owner's connections subscribed to its channels. */
  deliver(entry: JournalEntry, only?: Connection, replayed = false): number {
    return this.accountEvents.deliver(entry, only, replayed)
  }

  private upgrade(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = streamUrl(req, socket)
    if (!url) return
    const ip = req.socket.remoteAddress ?? ''
    const wait = this.authLimiter.retryAfterMs(ip, this.deps.clock.now())
    if (wait > 0) {
      // Refused before the handshake: an address guessing tokens gets no socket to try them on.
      this.counters.upgradesRefused++
      refuseUpgrade(socket, wait, this.authLimiter.limit, `ws_upgrade_${(++this.nextConn).toString(36)}`, this.nowIso())
      return
    }
    const token = upgradeToken(req, url)
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(server, ws, token, ip))
  }

  /** Count a failed authentication of `conn` (stats and the per-address limit). */
  authFailed(conn: Connection): void {
    this.counters.authFailures++
    this.authLimiter.record(conn.remoteIp, this.deps.clock.now())
  }

  private open(server: Server, ws: WebSocket, token: string | undefined, ip: string): void {
    const conn = new Connection(`ws_${(++this.nextConn).toString(36)}`, ws, server, this, this.deps.clock.now(), ip)
    this.registry.add(conn)
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

  private startTimers(): void {
    if (this.timers.length > 0) return
    const beat = setInterval(
      () => heartbeat(this.registry.connections, this.deps.clock.now(), this.counters, (c) => this.closed(c)),
      this.options.heartbeatMs,
    )
    const health = setInterval(() => this.broadcastHealth(), this.options.healthIntervalMs)
    const prune = setInterval(() => this.safely(() => this.journal.prune()), Math.min(60_000, this.options.replayMaxAgeMs))
    this.timers = [beat, health, prune]
    for (const t of this.timers) t.unref()
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
  }

  /** Send `health_update` to the `system.health` subscribers (or to one connection: its first snapshot). */
  broadcastHealth(only?: Connection): void {
    const targets = only ? [only] : [...(this.registry.subscribers('system.health') ?? [])]
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

  private disconnectAll(which: (c: Connection) => boolean, code: number, reason: string): Promise<void> {
    return closeAll([...this.registry.connections].filter(which), code, reason)
  }
}
