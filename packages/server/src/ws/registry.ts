import type { Principal } from '../auth'
import type { Connection } from './connection'

/**
 * Who is connected and to what: the open connections, indexed by subscribed channel (fan-out), by
 * user (account events go to the owner only) and by access token (the per-token connection limit).
 */
export class ConnectionRegistry {
  readonly connections = new Set<Connection>()
  /** Channel name → connections subscribed to it. */
  private readonly byChannel = new Map<string, Set<Connection>>()
  /** User id → that user's authenticated connections. */
  private readonly byUser = new Map<string, Set<Connection>>()
  /** Token id → connections authenticated with it. */
  private readonly byToken = new Map<string, Set<Connection>>()

  constructor(private readonly maxConnectionsPerToken: number) {}

  add(conn: Connection): void {
    this.connections.add(conn)
  }

  /** Forget a connection and its subscriptions; false when it was already gone. */
  remove(conn: Connection): boolean {
    if (!this.connections.delete(conn)) return false
    for (const name of conn.subs.keys()) remove(this.byChannel, name, conn)
    if (conn.principal) this.release(conn)
    return true
  }

  /** Register an authenticated principal on a connection; false when its token has no room left. */
  admit(conn: Connection, p: Principal): boolean {
    const set = this.byToken.get(p.tokenId)
    if (!set?.has(conn) && (set?.size ?? 0) >= this.maxConnectionsPerToken) return false
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

  /** The connections subscribed to `channel` (undefined when none are). */
  subscribers(channel: string): ReadonlySet<Connection> | undefined {
    return this.byChannel.get(channel)
  }

  /** The user's authenticated connections (undefined when none are). */
  ofUser(userId: string): ReadonlySet<Connection> | undefined {
    return this.byUser.get(userId)
  }

  /** Channel name → number of subscribed connections. */
  subscriptions(): Record<string, number> {
    const subscriptions: Record<string, number> = {}
    for (const [name, set] of this.byChannel) if (set.size > 0) subscriptions[name] = set.size
    return subscriptions
  }

  /** Channel subscriptions over all connections. */
  subscriptionCount(): number {
    let n = 0
    for (const set of this.byChannel.values()) n += set.size
    return n
  }

  authenticatedCount(): number {
    let authenticated = 0
    for (const c of this.connections) if (c.principal) authenticated++
    return authenticated
  }

  private release(conn: Connection): void {
    const p = conn.principal!
    remove(this.byToken, p.tokenId, conn)
    remove(this.byUser, p.userId, conn)
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
