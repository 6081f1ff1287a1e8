/**
 * Domain events, published by the domain services after their transaction commits and consumed by
 * the WebSocket hub (and anything else). `kind` is the wire message type (trade_update, …).
 */
export interface DomainEvent<K extends string = string, D = Record<string, unknown>> {
  kind: K
  /** The account the event belongs to; account events are delivered only to that account's tokens. */
  accountId?: string
  /** The user owning `accountId` (tokens carry user ids). */
  userId?: string
  symbol?: string
  data: D
  /** Clock time (ms). */
  at: number
}

export type EventListener = (event: DomainEvent) => void

/** Synchronous in-process fan-out; a failing listener never breaks the publisher or other listeners. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()
  private readonly onListenerError: (err: unknown, event: DomainEvent) => void

  constructor(onListenerError: (err: unknown, event: DomainEvent) => void = () => {}) {
    this.onListenerError = onListenerError
  }

  publish(event: DomainEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch (err) {
        this.onListenerError(err, event)
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
