import type { components } from '../generated/api'

type S = components['schemas']

/**
 * Any frame the server sends on `/v1/ws`, discriminated by `type`.
 * @example
 * for await (const m of stream.messages()) if (m.type === 'trade_update') console.log(m.data.status, m.id)
 */
export type ServerMessage = S['ServerMessage']
/**
 * The `type` of a server frame.
 * @example
 * const wanted: ServerMessageType[] = ['trade_update', 'position_update']
 */
export type ServerMessageType = ServerMessage['type']
/**
 * The server frame of one `type`.
 * @example
 * const onFill = (m: ServerMessageOf<'trade_update'>) => console.log(m.data.order_id, m.replayed === true)
 */
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>
/**
 * Any message a client may send on `/v1/ws`.
 * @example
 * const msg: ClientMessage = { type: 'subscribe', channel: 'market_data', symbol: 'BTCUSDT' }
 */
export type ClientMessage = S['ClientMessage']

/**
 * `market_data_update` data (channel `market_data.{symbol}`).
 * @example
 * stream.on('market_data_update', (m: MarketDataUpdate) => console.log(m.symbol, m.price, m.bid, m.ask))
 */
export type MarketDataUpdate = S['MarketDataUpdate']
/**
 * `quote_update` data (channel `trading.{symbol}`).
 * @example
 * stream.on('quote_update', (q: QuoteUpdate) => console.log(q.spread_bps))
 */
export type QuoteUpdate = S['QuoteUpdate']
/**
 * `prediction_update` data (channel `predictions.{symbol}`): the model's new predictions after a candle closed.
 * @example
 * stream.on('prediction_update', (p: PredictionUpdate) => console.log(p.candle_time, p.predictions[0]?.prediction))
 */
export type PredictionUpdate = S['PredictionUpdate']
/**
 * `execution_update` data (channel `executions.{execution_id}`): the run's status and latest checkpoint.
 * @example
 * stream.on('execution_update', (s: ExecutionUpdate) => console.log(s.status, s.progress))
 */
export type ExecutionUpdate = S['ExecutionStatus']
/**
 * `trade_update` data (channels `trades`, `orders.{symbol}`).
 * @example
 * stream.onTradeUpdate((t: TradeUpdate) => t.status === 'filled' && console.log(t.average_price))
 */
export type TradeUpdate = S['TradeUpdate']
/**
 * `position_update` data (channel `positions`).
 * @example
 * stream.onPositionUpdate((p: PositionUpdate) => console.log(p.symbol, p.quantity, p.unrealized_pnl))
 */
export type PositionUpdate = S['PositionUpdate']
/**
 * What a `trade_update` reports: placed, triggered, partially_filled, filled, cancelled, rejected, expired.
 * @example
 * stream.onTradeUpdate((t) => { const e: TradeUpdateEvent = t.event; if (e === 'filled') console.log(t.fill_price, t.fee) })
 */
export type TradeUpdateEvent = S['TradeUpdateEvent']
/**
 * What a `position_update` reports the fills did: opened, increased, reduced, closed, reversed.
 * @example
 * stream.onPositionUpdate((p) => { const a: PositionAction = p.action; if (a === 'closed') console.log(p.realized_pnl) })
 */
export type PositionAction = S['PositionAction']
/**
 * `risk_event` data (channel `risk`).
 * @example
 * stream.onRiskEvent((r: RiskEventUpdate) => console.log(r.severity, r.message))
 */
export type RiskEventUpdate = S['RiskEvent']
/**
 * `health_update` data (channel `system.health`).
 * @example
 * stream.on('health_update', (h: HealthUpdate) => console.log(h.status, h.websocket_connections))
 */
export type HealthUpdate = S['HealthUpdate']
/**
 * `resync_required` data: the missed events are gone; reload state over REST.
 * @example
 * stream.on('resync_required', async (r: ResyncRequired) => reload(await client.getPositions()))
 */
export type ResyncRequired = S['StreamResyncRequired']
/**
 * `resumed` data: replay after a reconnect finished.
 * @example
 * stream.on('resumed', (r: Resumed) => console.log(`replayed ${r.replayed} missed events`))
 */
export type Resumed = S['StreamResumed']
/**
 * `authenticated` data.
 * @example
 * stream.on('connected', ({ user }) => console.log(user.user_id, user.scopes))
 */
export type Authenticated = S['StreamAuthenticated']
/**
 * `error` data.
 * @example
 * stream.on('message', (m) => m.type === 'error' && console.log(m.data.code, m.data.details))
 */
export type StreamErrorData = S['StreamError']

/**
 * Channels: `market_data`, `trading`, `orders` take a symbol; `trades`, `positions`, `risk`, `system.health` do not.
 * @example
 * await stream.subscribe('orders', 'BTCUSDT') // orders.BTCUSDT
 */
export type StreamChannel = 'market_data' | 'trading' | 'orders' | 'predictions' | 'trades' | 'positions' | 'risk' | 'system.health' | (string & {})

/**
 * Data of each event-carrying frame type, for typed callbacks.
 * @example
 * const last: Partial<StreamDataByType> = {}
 */
export interface StreamDataByType {
  market_data_update: MarketDataUpdate
  quote_update: QuoteUpdate
  prediction_update: PredictionUpdate
  execution_update: ExecutionUpdate
  trade_update: TradeUpdate
  position_update: PositionUpdate
  risk_event: RiskEventUpdate
  health_update: HealthUpdate
}

/**
 * Account event types: they carry resumable ids (`evt_…`).
 * @example
 * if (ACCOUNT_EVENT_TYPES.includes(m.type)) save(m.id)
 */
export const ACCOUNT_EVENT_TYPES: readonly ServerMessageType[] = ['trade_update', 'position_update', 'risk_event']
