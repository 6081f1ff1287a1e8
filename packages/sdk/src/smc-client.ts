import { createSmcApi, retryingFetch, type ClientOptions, type SmcApi } from './client'
import { SMCApiError } from './errors'
import type { components, operations } from './generated/api'
import { StreamClient, type StreamChannel, type StreamDataByType, type StreamOptions } from './stream'

type Schemas = components['schemas']
type Query<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never

export type Ticker = Schemas['Ticker']
export type Ohlcv = Schemas['Ohlcv']
export type Candle = Schemas['Candle']
export type OrderBook = Schemas['OrderBook']
export type Instrument = Schemas['Instrument']
export type InstrumentList = Schemas['InstrumentList']
export type Health = Schemas['Health']
export type Config = Schemas['Config']
export type ConfigUpdate = Schemas['ConfigUpdate']
export type TokenResponse = Schemas['TokenResponse']
export type GenerateTokenRequest = Schemas['GenerateTokenRequest']
export type Scope = Schemas['Scope']
export type OhlcvQuery = Query<'getOhlcv'>
export type OrderBookQuery = Query<'getOrderBook'>
export type TradeRequest = Schemas['TradeRequest']
export type Order = Schemas['Order']
export type OrderList = Schemas['OrderList']
export type OrderStatus = Schemas['OrderStatus']
export type CancelOrderResponse = Schemas['CancelOrderResponse']
export type Position = Schemas['Position']
export type PositionList = Schemas['PositionList']
export type Trade = Schemas['Trade']
export type TradeHistory = Schemas['TradeHistory']
export type Account = Schemas['Account']
export type RiskMetrics = Schemas['RiskMetrics']
export type RiskLimits = Schemas['RiskLimits']
export type RiskLimitsUpdate = Schemas['RiskLimitsUpdate']
export type RiskEvent = Schemas['RiskEvent']
export type RiskEventList = Schemas['RiskEventList']
export type TradingPauseRequest = Schemas['TradingPauseRequest']
export type TradingResumeRequest = Schemas['TradingResumeRequest']
export type TradingControl = Schemas['TradingControl']
export type TradingStatus = Schemas['TradingStatus']
export type EmergencyStopRequest = Schemas['EmergencyStopRequest']
export type EmergencyStopResult = Schemas['EmergencyStopResult']
export type PositionsQuery = Query<'getPositions'>
export type OrdersQuery = Query<'listOrders'>
export type TradeHistoryQuery = Query<'getTradeHistory'>
export type RiskEventsQuery = Query<'getRiskEvents'>
export type PerformanceAnalytics = Schemas['PerformanceAnalytics']
export type AnalyticsPeriod = Schemas['AnalyticsPeriod']
export type PerformanceQuery = Query<'getPerformance'>
export type SmcAnalysis = Schemas['SmcAnalysis']
export type SmcAnalysisDetail = Schemas['SmcAnalysisDetail']
export type SmcOrderBlock = Schemas['SmcOrderBlock']
export type SmcStructureBreak = Schemas['SmcStructureBreak']
export type SmcFairValueGap = Schemas['SmcFairValueGap']
export type SmcLiquiditySweep = Schemas['SmcLiquiditySweep']
export type SmcTrend = Schemas['SmcTrend']
export type SmcDirection = Schemas['SmcDirection']
export type SmcAnalysisQuery = Query<'getSmcAnalysis'>

interface Result<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * The SMC Trading client: one named method per operation, typed from the contract.
 * Errors throw `SMCApiError`; idempotent requests are retried on 429/502/503 and network errors.
 *
 * @example
 * import { SMCClient } from 'smc-trading-sdk'
 * const client = new SMCClient('YOUR_API_TOKEN', { baseUrl: 'http://localhost:8000' })
 * const ticker = await client.getMarketData('BTCUSDT')
 * console.log(ticker.price, ticker.bid, ticker.ask)
 */
export class SMCClient {
  /** The low-level typed client, for anything the named methods do not cover. */
  readonly api: SmcApi
  private token: string | undefined

  constructor(token?: string, readonly options: ClientOptions = {}) {
    this.token = token ?? options.token
    this.api = createSmcApi(options, () => this.token)
    this.keyedFetch = retryingFetch(options, true)
  }

  /** Retries POSTs too: used only for requests the server deduplicates (an order's client_order_id). */
  private readonly keyedFetch: (req: Request) => Promise<Response>

  /** Replace the access token used from now on (e.g. after `refreshToken`). */
  setToken(token: string | undefined): void {
    this.token = token
  }

  protected async unwrap<T>(call: Promise<Result<T>>): Promise<T> {
    const { data, error, response } = await call
    if (!response.ok) throw SMCApiError.fromResponse(response, error)
    return data as T
  }

  /**
   * Issue an access token (and refresh token) using an API key, or the current token if it holds `admin_full`.
   * @example
   * const { token } = await new SMCClient().generateToken({ user_id: 'demo', permissions: ['read_market_data'] }, { apiKey })
   */
  generateToken(body: GenerateTokenRequest, opts: { apiKey?: string } = {}): Promise<TokenResponse> {
    return this.unwrap(
      this.api.POST('/v1/auth/generate-token', { body, headers: opts.apiKey ? { 'X-API-Key': opts.apiKey } : {} }),
    )
  }

  /**
   * Rotate a refresh token; the one sent stops working. Pass `{ use: true }` to adopt the new access token.
   * @example
   * const next = await client.refreshToken(pair.refresh_token, { use: true })
   */
  async refreshToken(refreshToken: string, opts: { use?: boolean } = {}): Promise<TokenResponse> {
    const pair = await this.unwrap(this.api.POST('/v1/auth/refresh-token', { headers: { Authorization: `Bearer ${refreshToken}` } }))
    if (opts.use) this.setToken(pair.token)
    return pair
  }

  /**
   * Health of the server and its components.
   * @example
   * const { status } = await client.getHealth()
   */
  async getHealth(): Promise<Health> {
    const { data, error, response } = await this.api.GET('/v1/health')
    // 503 still carries a health report: return it rather than throwing.
    if (response.status === 503 && error) return error as unknown as Health
    if (!response.ok) throw SMCApiError.fromResponse(response, error)
    return data as Health
  }

  /**
   * Prometheus metrics text.
   * @example
   * const text = await client.getMetrics()
   */
  getMetrics(): Promise<string> {
    return this.unwrap(this.api.GET('/v1/metrics', { parseAs: 'text' })) as Promise<string>
  }

  /**
   * The effective configuration (needs `admin_full`).
   * @example
   * const cfg = await client.getConfig()
   */
  getConfig(): Promise<Config> {
    return this.unwrap(this.api.GET('/v1/config'))
  }

  /**
   * Update runtime-tunable configuration with dotted keys (needs `admin_full`).
   * @example
   * await client.updateConfig({ 'trading.max_position_size': 1500 })
   */
  updateConfig(update: ConfigUpdate): Promise<Config> {
    return this.unwrap(this.api.PUT('/v1/config', { body: update }))
  }

  /**
   * Ticker: last price, top of book, 24h statistics.
   * @example
   * const { price } = await client.getMarketData('BTCUSDT')
   */
  getMarketData(symbol: string): Promise<Ticker> {
    return this.unwrap(this.api.GET('/v1/market-data/{symbol}', { params: { path: { symbol } } }))
  }

  /**
   * OHLCV candles, ascending.
   * @example
   * const { data } = await client.getOhlcv('BTCUSDT', { interval: '15m', limit: 100 })
   */
  getOhlcv(symbol: string, query: OhlcvQuery = {}): Promise<Ohlcv> {
    return this.unwrap(this.api.GET('/v1/market-data/{symbol}/ohlcv', { params: { path: { symbol }, query } }))
  }

  /**
   * Order book levels as [price, quantity] decimal strings.
   * @example
   * const { bids, asks } = await client.getOrderBook('BTCUSDT', { limit: 5 })
   */
  getOrderBook(symbol: string, query: OrderBookQuery = {}): Promise<OrderBook> {
    return this.unwrap(this.api.GET('/v1/market-data/{symbol}/orderbook', { params: { path: { symbol }, query } }))
  }

  /**
   * Trading rules of every tradable symbol: tick size, lot size, minimum quantity and notional.
   * @example
   * const { instruments } = await client.getInstruments()
   * const btc = instruments.find((i) => i.symbol === 'BTCUSDT')
   */
  getInstruments(): Promise<InstrumentList> {
    return this.unwrap(this.api.GET('/v1/instruments'))
  }

  /**
   * Trading rules of one symbol; round order prices to `tick_size` and quantities to `lot_size`.
   * @example
   * const { tick_size, lot_size } = await client.getInstrument('BTCUSDT')
   * const quantity = Math.floor(0.01234567 / lot_size) * lot_size
   */
  getInstrument(symbol: string): Promise<Instrument> {
    return this.unwrap(this.api.GET('/v1/instruments/{symbol}', { params: { path: { symbol } } }))
  }

  /**
   * Performance of your paper account over a rolling period (default `1m` = 30 days), from closed
   * round trips: win rate, PnL, profit factor, Sharpe ratio, max drawdown, durations (needs `read_trades`).
   * `profit_factor`, `sharpe_ratio`, `best_trade` and `worst_trade` are `null` when undefined.
   * @example
   * const perf = await client.getPerformance({ period: '1w', symbol: 'BTCUSDT' })
   * console.log(`${perf.win_rate}% of ${perf.total_trades} trades, PnL ${perf.total_pnl}, max DD ${perf.max_drawdown}%`)
   */
  getPerformance(opts: PerformanceQuery = {}): Promise<PerformanceAnalytics> {
    return this.unwrap(this.api.GET('/v1/analytics/performance', { params: { query: opts } }))
  }

  /**
   * Smart Money Concepts analysis of the latest closed candles of a symbol (needs `read_market_data`):
   * trend (direction of the latest confirmed BOS/CHOCH), unmitigated order blocks with `strength`
   * and `volume_ratio`, the latest BOS/CHOCH (`confirmed` once a candle closed beyond its level),
   * the latest open fair value gap and swept liquidity pools. Defaults: `interval` 15m,
   * `lookback` 500 candles (max 5000; fewer when the market has less history), `swing_length` 10.
   * @example
   * const { analysis } = await client.getSmcAnalysis('BTCUSDT', { interval: '1h', lookback: 300 })
   * if (analysis.trend === 'bullish' && analysis.choch_bos.confirmed && analysis.choch_bos.direction === 'bullish') {
   *   const [bottom, top] = analysis.order_blocks[0]?.price_level ?? []
   *   console.log('bullish structure; nearest order block', bottom, top)
   * }
   */
  getSmcAnalysis(symbol: string, opts: SmcAnalysisQuery = {}): Promise<SmcAnalysis> {
    return this.unwrap(this.api.GET('/v1/analytics/smc/{symbol}', { params: { path: { symbol }, query: opts } }))
  }

  // ---- trading --------------------------------------------------------------------------------

  /**
   * Submit an order. Resolves with the order once it is booked (a market order is usually already
   * `filled`); a repeated `client_order_id` resolves with the original order. Denials throw
   * `SMCApiError` with a stable code (INSUFFICIENT_BALANCE, POSITION_LIMIT_EXCEEDED, INVALID_ORDER_SIZE, …).
   * With a `client_order_id` the request is safe to repeat (the server answers a repeat with the
   * original order), so it is retried like a GET on 429, 502, 503, timeouts and network errors;
   * without one it is sent once, since a lost answer could hide a booked order.
   * @example
   * const order = await client.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1, client_order_id: 'bot-42' })
   * console.log(order.status, order.average_price)
   */
  executeTrade(order: TradeRequest): Promise<Order> {
    return this.unwrap(this.api.POST('/v1/trades', { body: order, ...(order.client_order_id ? { fetch: this.keyedFetch } : {}) }))
  }

  /**
   * Positions (open by default), marked to the last price, with total exposure and PnL.
   * @example
   * const { positions, total_pnl } = await client.getPositions({ symbol: 'BTCUSDT' })
   */
  getPositions(query: PositionsQuery = {}): Promise<PositionList> {
    return this.unwrap(this.api.GET('/v1/positions', { params: { query } }))
  }

  /**
   * One position by id (open or closed).
   * @example
   * const pos = await client.getPosition('pos_123')
   */
  getPosition(positionId: string): Promise<Position> {
    return this.unwrap(this.api.GET('/v1/positions/{position_id}', { params: { path: { position_id: positionId } } }))
  }

  /**
   * Every position matching `query`, fetched page by page as you iterate.
   * @example
   * for await (const p of client.positions({ status: 'closed' })) console.log(p.symbol, p.realized_pnl)
   */
  async *positions(query: Omit<PositionsQuery, 'offset'> = {}): AsyncGenerator<Position, void, undefined> {
    const limit = query.limit ?? 100
    for (let offset = 0; ; offset += limit) {
      const page = await this.getPositions({ ...query, limit, offset })
      yield* page.positions
      if (page.positions.length < limit || offset + limit >= page.total_count) return
    }
  }

  /**
   * Orders of your account, newest first (`status: 'open'` for working orders).
   * @example
   * const { orders } = await client.listOrders({ status: 'open' })
   */
  listOrders(query: OrdersQuery = {}): Promise<OrderList> {
    return this.unwrap(this.api.GET('/v1/orders', { params: { query } }))
  }

  /**
   * Every order matching `query`, fetched page by page as you iterate.
   * @example
   * for await (const o of client.orders({ symbol: 'BTCUSDT' })) console.log(o.order_id, o.status)
   */
  async *orders(query: Omit<OrdersQuery, 'offset'> = {}): AsyncGenerator<Order, void, undefined> {
    const limit = query.limit ?? 100
    for (let offset = 0; ; offset += limit) {
      const page = await this.listOrders({ ...query, limit, offset })
      yield* page.orders
      if (page.orders.length < limit || offset + limit >= page.total_count) return
    }
  }

  /**
   * One order by id.
   * @example
   * const { status, filled_quantity } = await client.getOrder(order.order_id)
   */
  getOrder(orderId: string): Promise<Order> {
    return this.unwrap(this.api.GET('/v1/orders/{order_id}', { params: { path: { order_id: orderId } } }))
  }

  /**
   * Cancel an open order (ORDER_NOT_CANCELLABLE once it is filled, cancelled, rejected or expired).
   * @example
   * await client.cancelOrder(order.order_id)
   */
  cancelOrder(orderId: string): Promise<CancelOrderResponse> {
    return this.unwrap(this.api.DELETE('/v1/orders/{order_id}', { params: { path: { order_id: orderId } } }))
  }

  /**
   * One page of fills, newest first.
   * @example
   * const { trades, total_pages } = await client.getTradeHistory({ symbol: 'BTCUSDT', limit: 50, page: 1 })
   */
  getTradeHistory(query: TradeHistoryQuery = {}): Promise<TradeHistory> {
    return this.unwrap(this.api.GET('/v1/trades/history', { params: { query } }))
  }

  /**
   * Every fill matching `query`, fetched page by page as you iterate.
   * @example
   * for await (const t of client.tradeHistory({ symbol: 'BTCUSDT', start_date: '2024-01-01T00:00:00Z' })) {
   *   console.log(t.timestamp, t.side, t.quantity, t.price, t.pnl)
   * }
   */
  async *tradeHistory(query: Omit<TradeHistoryQuery, 'page'> = {}): AsyncGenerator<Trade, void, undefined> {
    for (let page = 1; ; page++) {
      const res = await this.getTradeHistory({ ...query, page })
      yield* res.trades
      if (res.trades.length === 0 || page >= res.total_pages) return
    }
  }

  /**
   * Your paper account: balance, equity, margin and available balance.
   * @example
   * const { balance, equity, available_balance } = await client.getAccount()
   */
  getAccount(): Promise<Account> {
    return this.unwrap(this.api.GET('/v1/account'))
  }

  // ---- risk -----------------------------------------------------------------------------------

  /**
   * Risk metrics computed from your account now: exposure, daily PnL, drawdown, VaR, limit usage.
   * @example
   * const { var_95, risk_score, position_limits } = await client.getRiskMetrics()
   */
  getRiskMetrics(): Promise<RiskMetrics> {
    return this.unwrap(this.api.GET('/v1/risk/metrics'))
  }

  /**
   * The risk limits in force for your account.
   * @example
   * const { max_daily_loss, position_limits } = await client.getRiskLimits()
   */
  getRiskLimits(): Promise<RiskLimits> {
    return this.unwrap(this.api.GET('/v1/risk/limits'))
  }

  /**
   * Change your account's risk limits (omitted fields keep their value, null resets to the default).
   * @example
   * await client.updateRiskLimits({ max_daily_loss: 1000, position_limits: { BTCUSDT: 0.5 } })
   */
  updateRiskLimits(limits: RiskLimitsUpdate): Promise<RiskLimits> {
    return this.unwrap(this.api.PUT('/v1/risk/limits', { body: limits }))
  }

  /**
   * Risk events (limits approached, orders denied), newest first.
   * @example
   * const { events } = await client.getRiskEvents({ severity: 'high', resolved: false })
   */
  getRiskEvents(query: RiskEventsQuery = {}): Promise<RiskEventList> {
    return this.unwrap(this.api.GET('/v1/risk/events', { params: { query } }))
  }

  /**
   * Whether your orders are accepted now or denied with `TRADING_PAUSED`, and why and until when.
   * @example
   * const { status, reason, resume_at } = await client.getTradingStatus()
   * if (status === 'paused') console.log(`paused: ${reason} (until ${resume_at ?? 'resumed'})`)
   */
  getTradingStatus(): Promise<TradingStatus> {
    return this.unwrap(this.api.GET('/v1/trading/status'))
  }

  // ---- administration (admin_full) ----------------------------------------------------------

  /**
   * Pause trading for every account, or for one user's account with `user_id` (admin only). Orders
   * that add exposure are denied with `TRADING_PAUSED`; closing orders and SL/TP exits still work.
   * @example
   * await admin.pauseTrading({ reason: 'Manual intervention required', duration_seconds: 300, cancel_orders: true })
   * await admin.pauseTrading({ user_id: 'bot-7', reason: 'runaway strategy' })
   */
  pauseTrading(request: TradingPauseRequest = {}): Promise<TradingControl> {
    return this.unwrap(this.api.POST('/v1/admin/pause', { body: request }))
  }

  /**
   * Lift the global pause, or one user's account pause with `user_id` (admin only).
   * @example
   * await admin.resumeTrading()
   * await admin.resumeTrading({ user_id: 'bot-7' })
   */
  resumeTrading(request: TradingResumeRequest = {}): Promise<TradingControl> {
    return this.unwrap(this.api.POST('/v1/admin/resume', { body: request }))
  }

  /**
   * Stop all trading (admin only): a global pause until `resumeTrading()`, every open order
   * cancelled and, with `flatten_positions`, every open position closed at market.
   * @example
   * const stop = await admin.emergencyStop({ confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'Feed anomaly', flatten_positions: true })
   * console.log(stop.incident_id, stop.orders_cancelled, stop.positions_flattened)
   */
  emergencyStop(request: EmergencyStopRequest): Promise<EmergencyStopResult> {
    return this.unwrap(this.api.POST('/v1/admin/emergency-stop', { body: request }))
  }

  // ---- real-time stream (/v1/ws) ------------------------------------------------------------

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
