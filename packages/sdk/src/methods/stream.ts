import { StreamClient, type StreamChannel, type StreamDataByType, type StreamOptions } from '../stream'
import { RiskMethods } from './risk'

/** `SMCClient`'s real-time stream (`/v1/ws`): its stream client, subscriptions and callbacks. */
export class StreamMethods extends RiskMethods {
  private defaultStream?: StreamClient

  /**
   * The client's stream (`/v1/ws`), created on first use with this client's base URL and current
   * token (a token set later with `setToken` / `refreshToken({ use: true })` is used on reconnect).
   * `options` apply when it is created; `stream({ ... }, { fresh: true })` makes an independent one.
   *
   * @example
   * const stream = client.stream()
   * await stream.connect()
   * await stream.subscribe('market_data', 'BTCUSDT')
   * for await (const m of stream.messages({ types: ['market_data_update'] })) console.log(m.data.price)
   */
  stream(options: StreamOptions = {}, opts: { fresh?: boolean } = {}): StreamClient {
    const make = (): StreamClient => new StreamClient({ baseUrl: this.options.baseUrl, token: () => this.token, ...options })
    if (opts.fresh) return make()
    if (!this.defaultStream || this.defaultStream.state === 'closed') this.defaultStream = make()
    return this.defaultStream
  }

  /**
   * Connect the stream (seed 000's `client.connect()`); resolves once authenticated and subscribed.
   * @example
   * client.onTradeUpdate((t) => console.log('Trade update:', t))
   * await client.connect()
   */
  connect(): Promise<void> {
    return this.stream().connect()
  }

  /**
   * Close the stream for good (a later `connect()` starts a new one).
   * @example
   * await client.disconnect()
   */
  async disconnect(): Promise<void> {
    await this.defaultStream?.close()
    this.defaultStream = undefined
  }

  /**
   * Subscribe the stream to a channel (seed 000's `subscribe(channel, symbol)`); kept across reconnects.
   * @example
   * await client.subscribe('market_data', 'BTCUSDT')
   * await client.subscribe('trades')
   */
  subscribe(channel: StreamChannel, symbol?: string): Promise<string[]> {
    return this.stream().subscribe(channel, symbol)
  }

  /**
   * Unsubscribe the stream from a channel.
   * @example
   * await client.unsubscribe('market_data', 'BTCUSDT')
   */
  unsubscribe(channel: StreamChannel, symbol?: string): Promise<string[]> {
    return this.stream().unsubscribe(channel, symbol)
  }

  /**
   * Call `cb` with each `trade_update` of your account; subscribes to `trades` (seed 000's usage).
   * Returns the function that removes the callback.
   * @example
   * client.onTradeUpdate((t) => console.log(t.order_id, t.status, t.filled_quantity))
   * await client.connect()
   */
  onTradeUpdate(cb: (data: StreamDataByType['trade_update']) => void): () => void {
    return this.listen('trade_update', cb, 'trades')
  }

  /**
   * Call `cb` with the model's new predictions for a symbol after each closed candle of its
   * interval; subscribes to `predictions.{symbol}`.
   * @example
   * client.onPrediction('BTCUSDT', (p) => console.log(p.candle_time, p.predictions.map((x) => `${x.horizon}: ${x.prediction}`)))
   * await client.connect()
   */
  onPrediction(symbol: string, cb: (data: StreamDataByType['prediction_update']) => void): () => void {
    return this.listen('prediction_update', cb, `predictions.${symbol.toUpperCase()}`)
  }

  /**
   * Call `cb` with each `position_update` of your account; subscribes to `positions`.
   * @example
   * client.onPositionUpdate((p) => console.log(p.symbol, p.quantity, p.unrealized_pnl))
   */
  onPositionUpdate(cb: (data: StreamDataByType['position_update']) => void): () => void {
    return this.listen('position_update', cb, 'positions')
  }

  /**
   * Call `cb` with each `market_data_update`; with a symbol, subscribes to `market_data.{symbol}`.
   * @example
   * client.onMarketDataUpdate((m) => console.log(m.symbol, m.price), 'BTCUSDT')
   */
  onMarketDataUpdate(cb: (data: StreamDataByType['market_data_update']) => void, symbol?: string): () => void {
    return this.listen('market_data_update', cb, symbol === undefined ? undefined : `market_data.${symbol}`)
  }

  /**
   * Call `cb` with each `risk_event` of your account; subscribes to `risk`.
   * @example
   * client.onRiskEvent((r) => console.warn(r.severity, r.message))
   */
  onRiskEvent(cb: (data: StreamDataByType['risk_event']) => void): () => void {
    return this.listen('risk_event', cb, 'risk')
  }

  private listen<K extends keyof StreamDataByType>(type: K, cb: (data: StreamDataByType[K]) => void, channel?: string): () => void {
    const s = this.stream()
    const off = s.on(type, ((data: StreamDataByType[K]) => cb(data)) as never)
    // A refused subscription (e.g. missing scope) surfaces as the stream's `error` event.
    if (channel !== undefined) s.subscribeInBackground(channel)
    return off
  }
}
