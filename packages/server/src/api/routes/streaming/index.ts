import { getWsStatsRoute, schemas } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'

export function registerStreamingRoutes(app: App, s: AppServices): void {
  // The /v1/ws messages are no HTTP operation's body: register them (and through them every stream
  // schema) so the emitted document carries every component of the contract.
  app.openAPIRegistry.register('ServerMessage', schemas.ServerMessage)
  app.openAPIRegistry.register('ClientMessage', schemas.ClientMessage)

  app.openapi(secured(getWsStatsRoute, s), (c) => {
    const st = s.stream.stats()
    const n = st.counters
    return c.json(
      {
        active_connections: st.activeConnections,
        authenticated_connections: st.authenticatedConnections,
        total_connections_made: n.connectionsTotal,
        messages_sent: n.messagesSent,
        messages_received: n.messagesReceived,
        messages_dropped: n.messagesDropped,
        rate_limited_messages: n.rateLimited,
        auth_failures: n.authFailures,
        upgrades_refused: n.upgradesRefused,
        connection_limit_rejections: n.connectionLimitRejections,
        slow_consumer_disconnects: n.slowConsumerDisconnects,
        dead_peer_disconnects: n.deadPeerDisconnects,
        events_journaled: n.eventsJournaled,
        events_replayed: n.eventsReplayed,
        resyncs_required: n.resyncsRequired,
        subscriptions: st.subscriptions,
        uptime_seconds: st.uptimeSeconds,
        timestamp: new Date(s.clock.now()).toISOString(),
      },
      200,
    )
  })
}
