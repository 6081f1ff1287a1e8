import { channelName } from './channels'
import { OPEN, StreamConnection } from './connection'
import { SMCStreamError, toError } from './errors'
import { StreamListeners } from './listeners'
import type { StreamOptions, StreamState } from './options'
import { Subscriptions } from './subscriptions'
import type { StreamChannel } from './types'

/**
 * The real-time stream of the SMC Trading API (`/v1/ws`): typed messages, callbacks and async
 * iteration, automatic reconnection with exponential backoff and jitter, re-authentication,
 * re-subscription, and resume of missed account events (`trade_update`, `position_update`,
 * `risk_event`) from the last one processed — or a `resync_required` event when they are gone.
 *
 * @example
 * import { StreamClient } from 'smc-trading-sdk'
 * const stream = new StreamClient({ baseUrl: 'http://localhost:8000', token: process.env.SMC_TOKEN })
 * stream.on('trade_update', (t) => console.log(t.order_id, t.status))
 * await stream.connect()
 * await stream.subscribe('market_data', 'BTCUSDT')
 * await stream.subscribe('trades')
 * for await (const msg of stream.messages({ types: ['market_data_update'] })) console.log(msg.data.price)
 */
export class StreamClient extends StreamListeners {
  private readonly subscriptions = new Subscriptions()
  private readonly connection: StreamConnection

  constructor(readonly options: StreamOptions = {}) {
    super()
    const sink = { dispatch: this.dispatch.bind(this), end: this.endIterators.bind(this) }
    this.connection = new StreamConnection(options, this.subscriptions, this.emitter, sink)
  }

  /** Current connection state. */
  get state(): StreamState {
    return this.connection.state
  }

  /** The resume cursor: id of the last account event processed (persist it to resume after a restart). */
  get lastEventId(): string | undefined {
    return this.connection.cursor
  }

  /** The channels this client keeps subscribed (canonical names), across reconnections. */
  get channels(): string[] {
    return this.subscriptions.list()
  }

  /**
   * Connect (if not already) and resolve once authenticated and re-subscribed. Connection
   * failures are retried per the reconnect policy; rejects on a non-retryable failure (a rejected
   * fixed token) or `close()`. CONNECTION_LIMIT_EXCEEDED is retried with backoff — a slot frees
   * when another connection of the token closes, and after a drop the server may still count the
   * old one — and an upgrade refused with 429 waits out the server's minute; so with the default
   * policy this can wait long. To bound it, pass `reconnect: { maxAttempts }` or `reconnect: false`.
   *
   * @example
   * await stream.connect()
   */
  connect(): Promise<void> {
    return this.connection.connect()
  }

  /**
   * Subscribe to a channel (kept across reconnections); resolves with every channel now subscribed.
   * Before `connect()` it is remembered and sent on connection. Rejects with the server's error
   * (INVALID_CHANNEL, INVALID_SYMBOL, INSUFFICIENT_PERMISSIONS, SUBSCRIPTION_LIMIT_EXCEEDED…).
   *
   * @example
   * await stream.subscribe('market_data', 'BTCUSDT')
   * await stream.subscribe('trading.ETHUSDT')
   * await stream.subscribe('positions')
   */
  async subscribe(channel: StreamChannel, symbol?: string): Promise<string[]> {
    const name = channelName(channel, symbol)
    if (this.connection.state === 'closed') throw new SMCStreamError('STREAM_CLOSED', 'This stream client was closed')
    const known = this.subscriptions.has(name)
    this.subscriptions.add(name)
    if (this.connection.state !== 'open') return this.subscriptions.whenSubscribed(name)
    try {
      const ack = await this.connection.request({ type: 'subscribe', channel: name })
      return (ack.data as { channels: string[] }).channels
    } catch (e) {
      if (e instanceof SMCStreamError && e.code === 'CONNECTION_LOST' && this.subscriptions.has(name)) return this.subscriptions.whenSubscribed(name)
      if (!known) this.subscriptions.forget(name)
      throw e
    }
  }

  /**
   * Subscribe without waiting: a refusal is reported as an `error` event (for fire-and-forget setups).
   *
   * @example
   * stream.subscribeInBackground('positions')
   * stream.on('error', (e) => console.error(e))
   */
  subscribeInBackground(channel: StreamChannel, symbol?: string): void {
    this.subscribe(channel, symbol).catch((e: unknown) => {
      if (!(e instanceof SMCStreamError && (e.code === 'STREAM_CLOSED' || e.code === 'UNSUBSCRIBED'))) this.emitter.emit('error', toError(e))
    })
  }

  /**
   * Unsubscribe; resolves with the channels still subscribed.
   *
   * @example
   * await stream.unsubscribe('market_data', 'BTCUSDT')
   */
  async unsubscribe(channel: StreamChannel, symbol?: string): Promise<string[]> {
    const name = channelName(channel, symbol)
    this.subscriptions.remove(name, () => new SMCStreamError('UNSUBSCRIBED', `Unsubscribed from ${name}`))
    if (this.connection.state !== 'open') return this.subscriptions.list()
    try {
      const ack = await this.connection.request({ type: 'unsubscribe', channel: name })
      return (ack.data as { channels: string[] }).channels
    } catch (e) {
      if (e instanceof SMCStreamError && e.code === 'CONNECTION_LOST') return this.subscriptions.list()
      throw e
    }
  }

  /**
   * Close for good: no reconnection, pending calls reject, iterators end.
   * @example
   * await stream.close()
   */
  async close(): Promise<void> {
    if (this.connection.state === 'closed') return
    const socket = this.connection.socket
    this.connection.finish(new SMCStreamError('STREAM_CLOSED', 'The stream was closed'))
    if (socket && socket.readyState <= OPEN) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000)
        socket.onclose = () => {
          clearTimeout(timer)
          resolve()
        }
        socket.close(1000, 'client closed')
      })
    }
    if (socket) this.emitter.emit('disconnected', { code: 1000, reason: 'client closed', willReconnect: false })
  }
}
