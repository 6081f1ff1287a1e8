import type { Env } from '../config'

/** Limits and timers of the stream hub. Defaults follow the seeds (10 connections per token, 20 msg/s, 50 channels). */
export interface HubOptions {
  /** Concurrent authenticated connections per access token; the next one gets CONNECTION_LIMIT_EXCEEDED and close 1008. */
  maxConnectionsPerToken: number
  /** Client messages per second per connection (token bucket; bursts up to the same number). */
  messagesPerSecond: number
  /** Channels one connection may hold at once. */
  maxSubscriptions: number
  /** Largest client frame handled; bigger ones get MESSAGE_TOO_LARGE (the connection stays open). */
  maxMessageBytes: number
  /** Server ping interval; a peer that has not answered the previous ping by the next one is dropped. */
  heartbeatMs: number
  /** Without a token in the URL, how long the client has to send `authenticate`. */
  authTimeoutMs: number
  /** A connection whose unsent data passes this many bytes is a slow consumer and is disconnected. */
  maxBufferedBytes: number
  /** Replay buffer per account: at most this many events … */
  replayMaxEvents: number
  /** … and none older than this (clock ms). */
  replayMaxAgeMs: number
  /** Interval of `health_update` messages on `system.health`. */
  healthIntervalMs: number
  /** Failed authentications per client address per minute before its upgrades get 429 (0: no limit). */
  maxAuthFailuresPerMinute: number
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  maxConnectionsPerToken: 10,
  messagesPerSecond: 20,
  maxSubscriptions: 50,
  maxMessageBytes: 16 * 1024,
  heartbeatMs: 30_000,
  authTimeoutMs: 10_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  replayMaxEvents: 1000,
  replayMaxAgeMs: 5 * 60_000,
  healthIntervalMs: 5_000,
  maxAuthFailuresPerMinute: 5,
}

/** Hub options from the validated environment (WS_* variables). */
export function hubOptionsFromEnv(env: Env): HubOptions {
  return {
    maxConnectionsPerToken: env.WS_MAX_CONNECTIONS_PER_TOKEN,
    messagesPerSecond: env.WS_MESSAGES_PER_SECOND,
    maxSubscriptions: env.WS_MAX_SUBSCRIPTIONS,
    maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
    heartbeatMs: env.WS_HEARTBEAT_MS,
    authTimeoutMs: env.WS_AUTH_TIMEOUT_MS,
    maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
    replayMaxEvents: env.WS_REPLAY_MAX_EVENTS,
    replayMaxAgeMs: env.WS_REPLAY_MAX_AGE_MS,
    healthIntervalMs: env.WS_HEALTH_INTERVAL_MS,
    maxAuthFailuresPerMinute: env.WS_MAX_AUTH_FAILURES_PER_MINUTE,
  }
}
