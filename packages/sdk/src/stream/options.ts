import type { ReconnectOptions } from './backoff'
import type { WebSocketConstructor } from './socket'

/**
 * Where a token comes from: a string, or a function asked on every (re)connection (so refreshed tokens are used).
 * @example
 * const token: TokenSource = async () => (await client.refreshToken(refresh, { use: true })).token
 */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>)

/**
 * Options of {@link StreamClient}.
 * @example
 * const options: StreamOptions = { baseUrl: 'https://api.example.com', token: () => store.token, auth: 'message', reconnect: { maxDelayMs: 10_000 } }
 */
export interface StreamOptions {
  /** The stream URL (`ws://host/v1/ws`); default derived from `baseUrl`. */
  url?: string
  /** The API origin (default `http://localhost:8000`), used when `url` is not given. */
  baseUrl?: string
  /** The access token, or a function returning the current one. */
  token?: TokenSource
  /**
   * How the token is sent: `query` (`?token=…`, seed 000; the default) or `message` (an
   * `authenticate` message after connecting, for clients that must keep tokens out of URLs).
   */
  auth?: 'query' | 'message'
  /** Reconnection policy; `false` disables reconnecting. */
  reconnect?: ReconnectOptions | false
  /**
   * Application-level ping interval in ms (default 15000; 0 disables). When nothing arrives for
   * twice this long, the connection is considered dead and replaced.
   */
  heartbeatMs?: number
  /** The account-event id to resume from on the first connection (e.g. persisted by the bot). */
  lastEventId?: string
  /** Frames an async iterator may fall behind before it fails with OVERFLOW (default 10000). */
  iteratorBufferSize?: number
  /** WebSocket implementation (default: the global one, else the `ws` package). */
  WebSocket?: WebSocketConstructor
}

/**
 * Connection state. `closed` is final (after `close()` or a non-retryable failure).
 * @example
 * if (stream.state !== 'open') console.log('waiting for the stream…')
 */
export type StreamState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'
