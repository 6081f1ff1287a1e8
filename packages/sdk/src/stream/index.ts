export { StreamClient, channelName, type StreamOptions, type StreamState, type StreamEvents, type TokenSource } from './stream-client'
export { SMCStreamError } from './errors'
export { backoffDelay, type ReconnectOptions } from './backoff'
export { resolveWebSocket, streamUrl, type SocketLike, type WebSocketConstructor } from './socket'
export type {
  ServerMessage,
  ServerMessageType,
  ServerMessageOf,
  ClientMessage,
  MarketDataUpdate,
  QuoteUpdate,
  TradeUpdate,
  PositionUpdate,
  RiskEventUpdate,
  HealthUpdate,
  ResyncRequired,
  Resumed,
  Authenticated,
  StreamErrorData,
  StreamChannel,
  StreamDataByType,
} from './types'
