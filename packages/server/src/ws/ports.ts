// What the hub's parts need from it, as narrow interfaces the hub implements: commands and the
// health snapshot depend on these, never on the concrete hub (so no module imports it back).
import type { Principal } from '../auth'
import type { Clock } from '../core'
import type { MarketData } from '../market'
import type { Connection } from './connection'
import type { EventJournal, JournalEntry } from './journal'
import type { HubOptions } from './options'
import type { HubCounters, HubStats } from './stats'

/** What client commands (authenticate, subscribe, unsubscribe, resume, ping) act on. */
export interface CommandContext {
  readonly options: Pick<HubOptions, 'maxConnectionsPerToken' | 'maxSubscriptions'>
  readonly counters: Pick<HubCounters, 'resyncsRequired' | 'eventsReplayed'>
  readonly journal: Pick<EventJournal, 'after' | 'latestId' | 'idOf'>
  nowIso(): string
  verifyAccessToken(token: string): Promise<Principal | { reason: string }>
  /** Symbols that can be subscribed (known and enabled); callable unbound. */
  readonly isSymbol: (symbol: string) => boolean
  /** The market's symbols (the subscribable ones are those passing `isSymbol`). */
  symbols(): string[]
  /** Count a failed authentication of `conn` (stats and the per-address limit). */
  authFailed(conn: Connection): void
  /** Whether a principal may read an execution: throws its DomainError (404 unknown, 403 another user's). */
  readonly executionAccess?: (executionId: number, p: Principal) => void
  /** Register an authenticated principal on a connection; false when over the per-token limit. */
  admit(conn: Connection, p: Principal): boolean
  /** The `connected` message's payload. */
  welcome(conn: Connection): object
  join(conn: Connection, channel: string): void
  leave(conn: Connection, channel: string): void
  /** Send one journaled account event to the connection; the number of frames sent (0 or 1). */
  deliver(entry: JournalEntry, only: Connection, replayed: boolean): number
  /** Send the connection its first `health_update`. */
  broadcastHealth(only: Connection): void
}

/** What the `system.health` snapshot reads. */
export interface HealthSource {
  readonly clock: Clock
  readonly market: Pick<MarketData, 'lastUpdate'>
  stats(): HubStats
}

/** What the Prometheus gauges of the hub read (at scrape time). */
export interface HubMetricsSource {
  readonly counters: HubCounters
  connectionCount(): number
  subscriptionCount(): number
  /** The largest unsent byte count of any connection (bounded by `maxBufferedBytes` + one frame). */
  maxBufferedAmount(): number
}
