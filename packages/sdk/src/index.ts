/**
 * smc-trading-sdk: the typed client of the SMC Trading API.
 *
 * @example
 * import { SMCClient } from 'smc-trading-sdk'
 * const client = new SMCClient(process.env.SMC_TOKEN, { baseUrl: 'http://localhost:8000' })
 * console.log(await client.getMarketData('BTCUSDT'))
 */
export { SMCClient } from './smc-client'
export type {
  Ticker,
  Ohlcv,
  Candle,
  OrderBook,
  Health,
  Config,
  ConfigUpdate,
  TokenResponse,
  GenerateTokenRequest,
  Scope,
  OhlcvQuery,
  OrderBookQuery,
  PerformanceAnalytics,
  AnalyticsPeriod,
  PerformanceQuery,
  SmcAnalysis,
  SmcAnalysisDetail,
  SmcOrderBlock,
  SmcStructureBreak,
  SmcFairValueGap,
  SmcLiquiditySweep,
  SmcTrend,
  SmcDirection,
  SmcAnalysisQuery,
  TradeRequest,
  Order,
  OrderList,
  OrderStatus,
  CancelOrderResponse,
  Position,
  PositionList,
  Trade,
  TradeHistory,
  Account,
  RiskMetrics,
  RiskLimits,
  RiskLimitsUpdate,
  RiskEvent,
  RiskEventList,
  PositionsQuery,
  OrdersQuery,
  TradeHistoryQuery,
  RiskEventsQuery,
} from './smc-client'
export { createSmcApi, type ClientOptions, type SmcApi } from './client'
export { SMCApiError, type ErrorEnvelope } from './errors'
export { withRetries, type RetryOptions } from './retry'
export {
  StreamClient,
  SMCStreamError,
  channelName,
  backoffDelay,
  resolveWebSocket,
  streamUrl,
  type StreamOptions,
  type StreamState,
  type StreamEvents,
  type TokenSource,
  type ReconnectOptions,
  type SocketLike,
  type WebSocketConstructor,
  type ServerMessage,
  type ServerMessageType,
  type ServerMessageOf,
  type ClientMessage,
  type MarketDataUpdate,
  type QuoteUpdate,
  type TradeUpdate,
  type PositionUpdate,
  type RiskEventUpdate,
  type HealthUpdate,
  type ResyncRequired,
  type Resumed,
  type Authenticated,
  type StreamErrorData,
  type StreamChannel,
  type StreamDataByType,
} from './stream'
export type { paths, components, operations } from './generated/api'
