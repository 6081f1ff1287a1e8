import { Emitter } from './emitter'
import { toError, type SMCStreamError } from './errors'
import type { StreamOptions, StreamState } from './options'
import { FrameQueue } from './queue'
import type { Authenticated, ResyncRequired, Resumed, ServerMessage, ServerMessageType, StreamDataByType } from './types'

/**
 * Events of a {@link StreamClient} and their listener arguments.
 * @example
 * stream.on('disconnected', ({ code, reason, willReconnect }) => console.log(code, reason, willReconnect))
 */
export type StreamEvents = {
  /** Authenticated and (re)subscribed; `reconnected` is false the first time. */
  connected: [info: { reconnected: boolean; user: Authenticated }]
  /** A reconnection attempt is scheduled. */
  reconnecting: [info: { attempt: number; delayMs: number; code?: number; reason?: string }]
  /** The socket closed; `willReconnect` tells whether a reconnection follows. */
  disconnected: [info: { code: number; reason: string; willReconnect: boolean; error?: SMCStreamError }]
  /** Server `error` frames, failed re-subscriptions, throwing listeners. */
  error: [error: SMCStreamError | Error]
  /** Every server frame. */
  message: [frame: ServerMessage]
  /** Missed account events could not be replayed: reload orders and positions over REST. */
  resync_required: [data: ResyncRequired]
  /** Missed account events were replayed. */
  resumed: [data: Resumed]
} & { [K in keyof StreamDataByType]: [data: StreamDataByType[K], frame: Extract<ServerMessage, { type: K }>] }

const DATA_EVENTS: Record<keyof StreamDataByType, true> = {
  market_data_update: true,
  quote_update: true,
  prediction_update: true,
  execution_update: true,
  trade_update: true,
  position_update: true,
  risk_event: true,
  health_update: true,
}

/**
 * The listening side of a {@link StreamClient}: typed event listeners and async iterators over the
 * frames. The client hands each frame to `dispatch` and ends the iterators when it closes.
 */
export abstract class StreamListeners {
  protected readonly emitter: Emitter<StreamEvents>
  private readonly queues = new Set<FrameQueue<ServerMessage>>()
  abstract readonly options: StreamOptions
  abstract get state(): StreamState

  constructor() {
    let reporting = false
    this.emitter = new Emitter((err) => {
      // A throwing listener is reported as an `error` event; a throwing `error` listener is not (no loop).
      if (reporting) return
      reporting = true
      try {
        this.emitter.emit('error', toError(err))
      } finally {
        reporting = false
      }
    })
  }

  /**
   * Listen to an event; returns the function that removes the listener.
   *
   * @example
   * const off = stream.on('position_update', (p) => console.log(p.symbol, p.quantity))
   * stream.on('reconnecting', ({ attempt, delayMs }) => console.log(`retry ${attempt} in ${delayMs} ms`))
   * stream.on('resync_required', async () => reload(await client.getPositions()))
   */
  on<K extends keyof StreamEvents>(event: K, listener: (...args: StreamEvents[K]) => void): () => void {
    return this.emitter.on(event, listener)
  }

  /**
   * Call `cb` with every `trade_update` (subscribe to `trades` or `orders.{symbol}` to get them).
   * @example
   * stream.onTradeUpdate((t) => t.status === 'filled' && console.log('filled', t.order_id))
   */
  onTradeUpdate(cb: (data: StreamDataByType['trade_update']) => void): () => void {
    return this.on('trade_update', (d) => cb(d))
  }

  /**
   * Call `cb` with every `position_update` (subscribe to `positions`).
   * @example
   * stream.onPositionUpdate((p) => console.log(p.symbol, p.unrealized_pnl))
   */
  onPositionUpdate(cb: (data: StreamDataByType['position_update']) => void): () => void {
    return this.on('position_update', (d) => cb(d))
  }

  /**
   * Call `cb` with every `market_data_update` (subscribe to `market_data` with a symbol).
   * @example
   * stream.onMarketDataUpdate((m) => console.log(m.symbol, m.price))
   */
  onMarketDataUpdate(cb: (data: StreamDataByType['market_data_update']) => void): () => void {
    return this.on('market_data_update', (d) => cb(d))
  }

  /**
   * Call `cb` with every `risk_event` (subscribe to `risk`).
   * @example
   * stream.onRiskEvent((r) => r.severity === 'high' && alert(r.message))
   */
  onRiskEvent(cb: (data: StreamDataByType['risk_event']) => void): () => void {
    return this.on('risk_event', (d) => cb(d))
  }

  /**
   * Iterate over the frames from now on (optionally only some `types`), across reconnections,
   * until `close()` or `break`. A loop that falls `iteratorBufferSize` frames behind fails with
   * OVERFLOW rather than letting memory grow.
   *
   * @example
   * for await (const m of stream.messages({ types: ['trade_update', 'position_update'] })) {
   *   if (m.type === 'trade_update') console.log(m.data.status)
   * }
   */
  messages<T extends ServerMessageType = ServerMessageType>(opts: { types?: readonly T[] } = {}): AsyncIterableIterator<Extract<ServerMessage, { type: T }>> {
    const types = opts.types ? new Set<string>(opts.types) : undefined
    const q: FrameQueue<ServerMessage> = new FrameQueue(
      this.options.iteratorBufferSize ?? 10_000,
      (m) => !types || types.has(m.type),
      () => this.queues.delete(q),
    )
    if (this.state === 'closed') q.end()
    else this.queues.add(q)
    return q as unknown as AsyncIterableIterator<Extract<ServerMessage, { type: T }>>
  }

  /** Same as `messages()`: `for await (const m of stream)`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ServerMessage> {
    return this.messages()
  }

  /** A frame to the listeners: `message`, its type's event if it carries data, and the iterators. */
  protected dispatch(f: ServerMessage): void {
    this.emitter.emit('message', f)
    if (f.type in DATA_EVENTS) (this.emitter.emit as (e: string, ...a: unknown[]) => void)(f.type, f.data, f)
    for (const q of this.queues) q.push(f)
  }

  /** End every iterator: normally, or with `error` for the next `next()`. */
  protected endIterators(error?: unknown): void {
    for (const q of [...this.queues]) q.end(error)
  }
}
