import type { components } from '../generated/api'

type S = components['schemas']

/** Any frame the server sends on `/v1/ws`, discriminated by `type`. */
export type ServerMessage = S['ServerMessage']
/** The `type` of a server frame. */
export type ServerMessageType = ServerMessage['type']
/** The server frame of one `type`. */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>
/** Any message a client may send on `/v1/ws`. */
export type ClientMessage = S['ClientMessage']

/** `market_data_update` data (channel `market_data.{symbol}`). */
export type MarketDataUpdate = S['MarketDataUpdate']
/** `quote_update` data (channel `trading.{symbol}`). */
export type QuoteUpdate = S['QuoteUpdate']
/** `trade_update` data (channels `trades`, `orders.{symbol}`). */
export type TradeUpdate = S['TradeUpdate']
/** `position_update` data (channel `positions`). */
export type PositionUpdate = S['PositionUpdate']
/** `risk_event` data (channel `risk`). */
export type RiskEventUpdate = S['RiskEvent']
/** `health_update` data (channel `system.health`). */
export type HealthUpdate = S['HealthUpdate']
/** `resync_required` data: the missed events are gone; reload state over REST. */
export type ResyncRequired = S['StreamResyncRequired']
/** `resumed` data: replay after a reconnect finished. */
export type Resumed = S['StreamResumed']
/** `authenticated` data. */
export type Authenticated = S['StreamAuthenticated']
/** `error` data. */
export type StreamErrorData = S['StreamError']

/** Channels: `market_data`, `trading`, `orders` take a symbol; `trades`, `positions`, `risk`, `system.health` do not. */
export type StreamChannel = 'market_data' | 'trading' | 'orders' | 'trades' | 'positions' | 'risk' | 'system.health' | (string & {})

/** Data of each event-carrying frame type, for typed callbacks. */
export interface StreamDataByType {
  market_data_update: MarketDataUpdate
  quote_update: QuoteUpdate
  trade_update: TradeUpdate
  position_update: PositionUpdate
  risk_event: RiskEventUpdate
  health_update: HealthUpdate
}

/** Account event types: they carry resumable ids (`evt_…`). */
export const ACCOUNT_EVENT_TYPES: readonly ServerMessageType[] = ['trade_update', 'position_update', 'risk_event']
