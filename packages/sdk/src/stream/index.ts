// The public surface of the stream (re-exported by the SDK's index).
export { StreamClient } from './stream-client'
export type { StreamOptions, StreamState, TokenSource } from './options'
export type { StreamEvents } from './listeners'
export { SMCStreamError } from './errors'
export type { ReconnectOptions } from './backoff'
export type { SocketLike, WebSocketConstructor } from './socket'
export type {
  ServerMessage,
  ServerMessageType,
  ServerMessageOf,
  ClientMessage,
  MarketDataUpdate,
  QuoteUpdate,
  PredictionUpdate,
  ExecutionUpdate,
  TradeUpdate,
  PositionUpdate,
  TradeUpdateEvent,
  PositionAction,
  RiskEventUpdate,
  HealthUpdate,
  ResyncRequired,
  Resumed,
  Authenticated,
  StreamErrorData,
  StreamChannel,
  StreamDataByType,
} from './types'
