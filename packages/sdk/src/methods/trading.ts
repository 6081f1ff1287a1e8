import { retryingFetch } from '../client'
import type {
  Account,
  CancelAllOrdersResponse,
  CancelOrderResponse,
  CloseAllPositionsResponse,
  Order,
  OrderList,
  OrdersQuery,
  Position,
  PositionList,
  PositionsQuery,
  RoundTrip,
  RoundTripList,
  RoundTripsQuery,
  Trade,
  TradeHistory,
  TradeHistoryQuery,
  TradeRequest,
  UpdatePositionRequest,
} from '../types'
import { RunnerMethods } from './runner'

/** The items of an offset-paginated list, page by page (`limit` a page) until a short or the last page. */
async function* offsetPages<P extends { total_count: number }, T>(
  limit: number,
  fetchPage: (offset: number) => Promise<P>,
  items: (page: P) => T[],
): AsyncGenerator<T, void, undefined> {
  for (let offset = 0; ; offset += limit) {
    const page = await fetchPage(offset)
    const list = items(page)
    yield* list
    if (list.length < limit || offset + limit >= page.total_count) return
  }
}

/** `SMCClient`'s trading methods: orders, positions, fills and the account. */
export class TradingMethods extends RunnerMethods {
  /** Retries POSTs too: used only for requests the server deduplicates (an order's client_order_id). */
  private readonly keyedFetch: (req: Request) => Promise<Response> = retryingFetch(this.options, true, this.hooks)

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
   * Move, add or remove an open position's stop loss / take profit (a price moves or creates that
   * linked exit, null removes it); resolves with the position showing its exits now. Prices are put
   * on the tick grid; one on the wrong side of the current price throws `SMCApiError`
   * VALIDATION_FAILED (`details.field`); a closed position INVALID_STATE_TRANSITION.
   * @example
   * const pos = await client.updatePosition('pos_123', { stop_loss: 44000 })   // move the stop
   * await client.updatePosition(pos.id, { take_profit: null })                 // drop the take profit
   */
  updatePosition(positionId: string, change: UpdatePositionRequest): Promise<Position> {
    return this.unwrap(this.api.PATCH('/v1/positions/{position_id}', { params: { path: { position_id: positionId } }, body: change }))
  }

  /**
   * Every position matching `query`, fetched page by page as you iterate.
   * @example
   * for await (const p of client.positions({ status: 'closed' })) console.log(p.symbol, p.realized_pnl)
   */
  async *positions(query: Omit<PositionsQuery, 'offset'> = {}): AsyncGenerator<Position, void, undefined> {
    const limit = query.limit ?? 100
    yield* offsetPages(limit, (offset) => this.getPositions({ ...query, limit, offset }), (page) => page.positions)
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
    yield* offsetPages(limit, (offset) => this.listOrders({ ...query, limit, offset }), (page) => page.orders)
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
   * Cancel every open order (of one symbol) in one request and one server transaction: all of them
   * are cancelled or none is. Linked exits are cancelled too. Nothing open resolves with an empty list.
   * @example
   * const { cancelled_count } = await client.cancelAllOrders({ symbol: 'BTCUSDT' })
   */
  cancelAllOrders(query: { symbol?: string } = {}): Promise<CancelAllOrdersResponse> {
    return this.unwrap(this.api.DELETE('/v1/orders', { params: { query } }))
  }

  /**
   * Close every open position (of one symbol) at market in one request and one server transaction;
   * `cancel_orders: true` cancels those symbols' open orders first. A denied close is listed in
   * `denied` and the others still close.
   * @example
   * const r = await client.closeAllPositions({ cancel_orders: true })
   * console.log(`${r.closed_count} closed, ${r.positions_open} still open`, r.denied)
   */
  closeAllPositions(query: { symbol?: string; cancel_orders?: boolean } = {}): Promise<CloseAllPositionsResponse> {
    return this.unwrap(this.api.DELETE('/v1/positions', { params: { query } }))
  }

  /**
   * Closed round trips (open → flat), newest close first: net PnL, fees, duration and why each ended
   * (TAKE_PROFIT, STOP_LOSS, SIGNAL, MANUAL, EMERGENCY_STOP). `start_date` / `end_date` bound the close time.
   * @example
   * const { round_trips, has_more } = await client.listRoundTrips({ symbol: 'BTCUSDT', limit: 50 })
   * const stopped = round_trips.filter((t) => t.exit_reason === 'STOP_LOSS').length
   */
  listRoundTrips(query: RoundTripsQuery = {}): Promise<RoundTripList> {
    return this.unwrap(this.api.GET('/v1/round-trips', { params: { query } }))
  }

  /**
   * Every round trip matching `query`, fetched page by page as you iterate.
   * @example
   * for await (const t of client.roundTrips({ symbol: 'BTCUSDT' })) console.log(t.exit_reason, t.pnl)
   */
  async *roundTrips(query: Omit<RoundTripsQuery, 'offset'> = {}): AsyncGenerator<RoundTrip, void, undefined> {
    const limit = query.limit ?? 100
    yield* offsetPages(limit, (offset) => this.listRoundTrips({ ...query, limit, offset }), (page) => page.round_trips)
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
}
