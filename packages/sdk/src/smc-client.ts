import { createSmcApi, type ClientOptions, type SmcApi } from './client'
import { SMCApiError } from './errors'
import type { components, operations } from './generated/api'

type Schemas = components['schemas']
type Query<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never

export type Ticker = Schemas['Ticker']
export type Ohlcv = Schemas['Ohlcv']
export type Candle = Schemas['Candle']
export type OrderBook = Schemas['OrderBook']
export type Health = Schemas['Health']
export type Config = Schemas['Config']
export type ConfigUpdate = Schemas['ConfigUpdate']
export type TokenResponse = Schemas['TokenResponse']
export type GenerateTokenRequest = Schemas['GenerateTokenRequest']
export type Scope = Schemas['Scope']
export type OhlcvQuery = Query<'getOhlcv'>
export type OrderBookQuery = Query<'getOrderBook'>
export type PerformanceAnalytics = Schemas['PerformanceAnalytics']
export type AnalyticsPeriod = Schemas['AnalyticsPeriod']
export type PerformanceQuery = Query<'getPerformance'>

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
  }

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
}
