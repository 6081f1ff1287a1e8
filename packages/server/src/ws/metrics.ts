import { Gauge, type Registry } from 'prom-client'
import type { HubMetricsSource } from './ports'

/** Prometheus view of the hub (read at scrape time): connections, subscriptions and totals. */
export function registerHubMetrics(registry: Registry, hub: HubMetricsSource): void {
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read())
      },
    })
  }
  gauge('smc_ws_connections', 'Open /v1/ws connections', () => hub.connectionCount())
  gauge('smc_ws_subscriptions', 'Channel subscriptions over all /v1/ws connections', () => hub.subscriptionCount())
  gauge('smc_ws_max_buffered_bytes', 'Largest unsent byte count of an open /v1/ws connection (slow consumers are closed past WS_MAX_BUFFERED_BYTES)', () => hub.maxBufferedAmount())
  const c = hub.counters
  gauge('smc_ws_messages_sent', 'Frames sent on /v1/ws since start', () => c.messagesSent)
  gauge('smc_ws_messages_dropped', 'Client frames dropped by the rate limit plus frames not sent to slow consumers', () => c.messagesDropped)
  gauge('smc_ws_slow_consumer_disconnects', 'Connections closed because their send buffer passed the bound', () => c.slowConsumerDisconnects)
  gauge('smc_ws_events_replayed', 'Account events replayed to resuming clients', () => c.eventsReplayed)
}
