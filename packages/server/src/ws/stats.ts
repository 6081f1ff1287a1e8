/** Running totals of the hub (since it started). */
export interface HubCounters {
  connectionsTotal: number
  messagesSent: number
  messagesReceived: number
  /** Client frames dropped by the rate limit plus frames not sent to slow consumers. */
  messagesDropped: number
  rateLimited: number
  authFailures: number
  /** Upgrades refused (429) for an address over the failed-authentication limit. */
  upgradesRefused: number
  connectionLimitRejections: number
  slowConsumerDisconnects: number
  deadPeerDisconnects: number
  eventsJournaled: number
  eventsReplayed: number
  resyncsRequired: number
}

export const emptyCounters = (): HubCounters => ({
  connectionsTotal: 0,
  messagesSent: 0,
  messagesReceived: 0,
  messagesDropped: 0,
  rateLimited: 0,
  authFailures: 0,
  upgradesRefused: 0,
  connectionLimitRejections: 0,
  slowConsumerDisconnects: 0,
  deadPeerDisconnects: 0,
  eventsJournaled: 0,
  eventsReplayed: 0,
  resyncsRequired: 0,
})

export interface HubStats {
  counters: HubCounters
  activeConnections: number
  authenticatedConnections: number
  /** Channel name → subscribed connections. */
  subscriptions: Record<string, number>
  uptimeSeconds: number
}
