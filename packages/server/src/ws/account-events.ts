import type { Clock, DomainEvent } from '../core'
import type { Logger } from '../observability'
import type { StreamEventRepository } from '../store'
import { ACCOUNT_EVENT_KINDS, channelsOfEvent } from './channels'
import type { Connection } from './connection'
import { frameTail, iso } from './envelope'
import { EventJournal, type JournalEntry } from './journal'
import type { HubOptions } from './options'
import type { ConnectionRegistry } from './registry'
import type { HubCounters } from './stats'

export interface AccountEventDeps {
  store: StreamEventRepository
  clock: Clock
  /** Identifies the store: event ids of another store (or a wiped one) are never replayed. */
  epoch: string
  options: Pick<HubOptions, 'replayMaxEvents' | 'replayMaxAgeMs'>
  logger: Logger
  registry: ConnectionRegistry
  counters: HubCounters
  /** Ids of events that could not be journaled (they are still delivered live). */
  nextId: () => string
}

/**
 * Account events (trade, position and risk updates) from the event bus to their owner's sockets:
 * each is journaled first and sent once its batch is stored (the journal's `onDurable`), so every id
 * a client holds can be resumed from.
 */
export class AccountEventDelivery {
  /** The replay buffer (resume reads it). */
  readonly journal: EventJournal
  private readonly registry: ConnectionRegistry

  constructor(private readonly deps: AccountEventDeps) {
    this.registry = deps.registry
    this.journal = new EventJournal(
      deps.store,
      deps.clock,
      deps.epoch,
      deps.options.replayMaxEvents,
      deps.options.replayMaxAgeMs,
      (err) => deps.logger.error({ err }, 'ws journal write failed'),
      (batch) => {
        for (const entry of batch) this.deliver(entry)
      },
    )
  }

  /** Deliver one journaled account event to the owner's connections subscribed to its channels. */
  deliver(entry: JournalEntry, only?: Connection, replayed = false): number {
    const conns = only ? [only] : this.registry.ofUser(entry.userId)
    if (!conns) return 0
    const channels = channelsOfEvent(entry.kind, entry.symbol ?? undefined)
    const tails = new Map<string, Buffer>()
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

  /** Journal an account event from the bus (the journal delivers it once stored); others are ignored. */
  publish(e: DomainEvent): void {
    // Synthetic owners (a strategy account's `sa:…`, an engine's `engine:…`) have no tokens: their
    // events reach the real owner as strategy_event instead, so they are not journaled here.
    if (!ACCOUNT_EVENT_KINDS.has(e.kind) || !e.userId || e.userId.includes(':')) return
    const data = JSON.stringify(e.data)
    const symbol = e.symbol ?? (typeof e.data.symbol === 'string' ? e.data.symbol : undefined)
    try {
      // Delivered by the journal once the entry is stored (its onDurable callback).
      this.journal.append({ userId: e.userId, accountId: e.accountId, kind: e.kind, symbol, data, at: e.at })
      this.deps.counters.eventsJournaled++
    } catch (err) {
      // Still deliver live; only resume of this one event is lost (and the store is in trouble anyway).
      this.deps.logger.error({ err, kind: e.kind }, 'ws journal append failed')
      const entry: JournalEntry = { id: this.deps.nextId(), userId: e.userId, accountId: e.accountId ?? null, seq: 0, kind: e.kind, symbol: symbol ?? null, data, at: e.at }
      this.deliver(entry)
    }
  }
}
