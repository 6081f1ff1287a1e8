import { SMCApiError } from '../errors'
import type { AsyncApiDocument, Config, DetailedHealth, ConfigUpdate, GenerateTokenRequest, Health, MetricsPerformance, MetricsSummary, TokenResponse, TradingMetrics, WsStats } from '../types'
import { ClientCore } from './core'

/** `SMCClient`'s authentication, health, metrics and configuration methods. */
export class SystemMethods extends ClientCore {
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
   * Detailed health (needs `admin_full`): cores, memory, the data folder's disk, process CPU and RSS,
   * event-loop delay, each component with its latency, requests and POST /v1/trades p95 over the
   * last minute, and today's order and fill counts.
   * @example
   * const { system, performance } = await admin.getDetailedHealth()
   * console.log(system.event_loop_delay_ms.p95, performance.trades.latency_p95_ms)
   */
  getDetailedHealth(): Promise<DetailedHealth> {
    return this.unwrap(this.api.GET('/v1/health/detailed'))
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
   * The server at a glance as JSON (needs `admin_full`): requests since start and over the last
   * minute, today's orders and fills, working orders and open positions, the stream hub, the process.
   * @example
   * const { requests, last_minute } = await admin.getMetricsSummary()
   * console.log(requests.total, last_minute.error_rate_percent)
   */
  getMetricsSummary(): Promise<MetricsSummary> {
    return this.unwrap(this.api.GET('/v1/metrics/summary'))
  }

  /**
   * The API over the last minute, per route template, the busiest first (needs `admin_full`).
   * @example
   * const { routes } = await admin.getMetricsPerformance()
   * for (const r of routes) console.log(r.method, r.route, r.requests, r.latency_ms.p95)
   */
  getMetricsPerformance(): Promise<MetricsPerformance> {
    return this.unwrap(this.api.GET('/v1/metrics/performance'))
  }

  /**
   * Your account over the last `hours` (default 24): volume by market, maker/taker fills, round trips, risk now.
   * @example
   * const { volume, fills } = await client.getTradingMetrics({ hours: 24 })
   * console.log(volume.by_market, fills.maker_percent)
   */
  getTradingMetrics(query: { hours?: number } = {}): Promise<TradingMetrics> {
    return this.unwrap(this.api.GET('/v1/metrics/trading', { params: { query } }))
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
   * The stream hub's statistics (admin_full): connections, subscriptions, frames sent and dropped, the journal.
   * @example
   * const { connections } = await admin.getWsStats()
   */
  getWsStats(): Promise<WsStats> {
    return this.unwrap(this.api.GET('/v1/ws/stats'))
  }

  /**
   * The `/v1/ws` stream's AsyncAPI 3 description (bundled, payload schemas included), parsed.
   * @example
   * const doc = await client.getAsyncApiDocument()
   * console.log(Object.keys(doc.channels))
   */
  getAsyncApiDocument(): Promise<AsyncApiDocument> {
    return this.unwrap(this.api.GET('/v1/asyncapi.json'))
  }

  /**
   * The same AsyncAPI description as YAML text, e.g. to save for an AsyncAPI tool.
   * @example
   * writeFileSync('smc-trading.asyncapi.yaml', await client.getAsyncApiYaml())
   */
  getAsyncApiYaml(): Promise<string> {
    return this.unwrap(this.api.GET('/v1/asyncapi.yaml', { parseAs: 'text' })) as Promise<string>
  }
}
