import { DomainError, isoOrNull } from '../../../core'
import { accountView, orderView, positionView, tradeView } from '../../../execution'
import {
  cancelAllOrdersRoute,
  cancelOrderRoute,
  closeAllPositionsRoute,
  executeTradeRoute,
  getAccountRoute,
  getTradingStatusRoute,
  getOrderRoute,
  getPositionRoute,
  getPositionsRoute,
  getTradeHistoryAliasRoute,
  getTradeHistoryRoute,
  listOrdersRoute,
  listRoundTripsRoute,
  updatePositionRoute,
} from '../../../generated'
import type { AppServices } from '../../../services'
import { timeOf as time, userOf } from '../../route-helpers'
import { secured } from '../../middleware/security'
import type { App } from '../../types'


/** A list query's symbol (upper-cased), status and page, as the ledger's filter. */
const pageFilter = <S>(q: { symbol?: string; status?: S; limit: number; offset: number }) => ({
  symbol: q.symbol?.toUpperCase(),
  status: q.status,
  limit: q.limit,
  offset: q.offset,
})

export function registerTradingRoutes(app: App, s: AppServices): void {
  const ex = s.execution
  const mark = (symbol: string): number => ex.mark(symbol)

  app.openapi(secured(executeTradeRoute, s), (c) => {
    const b = c.req.valid('json')
    const result = ex.submit(userOf(c), {
      symbol: b.symbol,
      side: b.side,
      type: b.type,
      quantity: b.quantity,
      price: b.price,
      stopPrice: b.stop_price,
      timeInForce: b.time_in_force,
      expiresAt: b.expires_at === undefined || b.expires_at === null ? b.expires_at : Date.parse(b.expires_at),
      stopLoss: b.stop_loss,
      takeProfit: b.take_profit,
      clientOrderId: b.client_order_id,
      precision: b.precision,
    })
    if (!result.ok) throw result.denial
    return c.json(orderView(result.order, s.market), result.created ? 201 : 200)
  })

  app.openapi(secured(getPositionsRoute, s), (c) => {
    const q = c.req.valid('query')
    const st = ex.state(userOf(c))
    const { rows, total } = ex.queries.listPositions(st.account.id, pageFilter(q))
    const exits = ex.exitPrices(st.account.id)
    const now = s.clock.now()
    // Open positions come from memory: the live state the next order will see.
    const positions = rows.map((r) =>
      positionView(r.status === 'open' ? (st.positions.get(r.symbol) ?? r) : r, s.market, mark, { now, exits: exits.get(r.symbol) }),
    )
    let exposure = 0
    let pnl = 0
    for (const p of positions) {
      if (p.status === 'open') exposure += p.quantity * p.current_price
      pnl += p.unrealized_pnl + p.realized_pnl
    }
    return c.json({ positions, total_exposure: round(exposure), total_pnl: round(pnl), total_count: total }, 200)
  })

  app.openapi(secured(getPositionRoute, s), (c) => {
    const { position_id } = c.req.valid('param')
    const st = ex.state(userOf(c))
    const row = ex.queries.position(position_id)
    if (!row || row.accountId !== st.account.id)
      throw new DomainError('POSITION_NOT_FOUND', `Position ${position_id} not found`, { position_id })
    const live = row.status === 'open' ? (st.positions.get(row.symbol) ?? row) : row
    return c.json(positionView(live, s.market, mark, { now: s.clock.now(), exits: ex.exitPrices(st.account.id).get(row.symbol) }), 200)
  })

  app.openapi(secured(updatePositionRoute, s), (c) => {
    const { position_id } = c.req.valid('param')
    const b = c.req.valid('json')
    const st = ex.state(userOf(c))
    const r = ex.updatePositionExits(userOf(c), position_id, { stopLoss: b.stop_loss, takeProfit: b.take_profit })
    if (!r.ok) throw r.denial
    return c.json(positionView(r.position, s.market, mark, { now: s.clock.now(), exits: ex.exitPrices(st.account.id).get(r.position.symbol) }), 200)
  })

  app.openapi(secured(listOrdersRoute, s), (c) => {
    const q = c.req.valid('query')
    const st = ex.state(userOf(c))
    const { since, until } = dateRange(q)
    // `active` is seed 002's name for `open`; `all` is no filter.
    const status = q.status === 'all' ? undefined : q.status === 'active' ? 'open' : q.status
    const { rows, total } = ex.queries.listOrders(st.account.id, { ...pageFilter({ ...q, status }), since, until })
    const orders = rows.map((o) => orderView(o, s.market))
    return c.json({ orders, total_count: total, limit: q.limit, offset: q.offset, has_more: q.offset + rows.length < total }, 200)
  })

  app.openapi(secured(getOrderRoute, s), (c) => {
    const { order_id } = c.req.valid('param')
    const order = ex.order(userOf(c), order_id)
    if (!order) throw new DomainError('ORDER_NOT_FOUND', `Order ${order_id} not found`, { order_id })
    return c.json(orderView(order, s.market), 200)
  })

  app.openapi(secured(cancelOrderRoute, s), (c) => {
    const { order_id } = c.req.valid('param')
    const result = ex.cancel(userOf(c), order_id)
    if (!result.ok) throw result.denial
    return c.json({ order_id, status: 'cancelled' as const, cancelled_at: new Date(result.order.closedAt ?? s.clock.now()).toISOString() }, 200)
  })

  app.openapi(secured(cancelAllOrdersRoute, s), (c) => {
    const symbol = c.req.valid('query').symbol?.toUpperCase()
    const orders = ex.cancelAll(userOf(c), symbol)
    return c.json({ cancelled_count: orders.length, orders: orders.map((o) => orderView(o, s.market)), symbol: symbol ?? null }, 200)
  })

  app.openapi(secured(closeAllPositionsRoute, s), (c) => {
    const q = c.req.valid('query')
    const symbol = q.symbol?.toUpperCase()
    const userId = userOf(c)
    const r = ex.closeAll(userId, { symbol, cancelOrders: q.cancel_orders })
    const st = ex.state(userId)
    let open = 0
    for (const p of st.positions.values()) if (symbol === undefined || p.symbol === symbol) open++
    return c.json(
      {
        closed_count: r.closed.filter((x) => x.flat).length,
        closed: r.closed.map((x) => ({
          position_id: x.positionId,
          symbol: x.symbol,
          side: x.side,
          quantity: x.quantity,
          order: orderView(x.order, s.market),
          realized_pnl: x.realizedPnl,
          flat: x.flat,
        })),
        denied: r.denied.map((x) => ({ position_id: x.positionId, symbol: x.symbol, code: x.denial.code, message: x.denial.message })),
        cancelled_orders: r.cancelled.map((o) => o.id),
        positions_open: open,
      },
      200,
    )
  })

  app.openapi(secured(listRoundTripsRoute, s), (c) => {
    const q = c.req.valid('query')
    const st = ex.state(userOf(c))
    const { since, until } = dateRange(q)
    const { trips, total } = ex.roundTripPage(st.account.id, { symbol: q.symbol?.toUpperCase(), since, until, limit: q.limit, offset: q.offset })
    return c.json(
      {
        round_trips: trips.map((t) => ({
          position_id: t.positionId,
          symbol: t.symbol,
          side: t.side,
          quantity: t.quantity,
          entry_price: t.entryPrice,
          exit_price: t.exitPrice,
          pnl: t.pnl,
          fees: t.commission,
          opened_at: new Date(t.openedAt).toISOString(),
          closed_at: new Date(t.closedAt).toISOString(),
          duration_seconds: Math.max(0, Math.floor((t.closedAt - t.openedAt) / 1000)),
          exit_reason: t.exitReason,
        })),
        total_count: total,
        limit: q.limit,
        offset: q.offset,
        has_more: q.offset + trips.length < total,
      },
      200,
    )
  })

  // GET /v1/trades is seed 000's path for the same operation (a deprecated alias in the contract).
  for (const route of [getTradeHistoryRoute, getTradeHistoryAliasRoute] as const)
    app.openapi(secured(route, s), (c) => {
      const q = c.req.valid('query')
      const st = ex.state(userOf(c))
      const { since, until } = dateRange(q)
      const { rows, total } = ex.queries.trades(st.account.id, {
        symbol: q.symbol?.toUpperCase(),
        since,
        until,
        status: q.status,
        limit: q.limit,
        page: q.page,
      })
      return c.json(
        { trades: rows.map((f) => tradeView(f, s.market)), total_count: total, page: q.page, total_pages: Math.ceil(total / q.limit) },
        200,
      )
    })

  app.openapi(secured(getTradingStatusRoute, s), (c) => {
    const pause = s.risk.pauseOf(ex.accountIdOf(userOf(c)))
    if (!pause) return c.json({ status: 'active' as const, scope: null, reason: null, paused_at: null, resume_at: null }, 200)
    return c.json(
      {
        status: 'paused' as const,
        // Without a symbol only global and account pauses apply (market pauses show in the denials).
        scope: pause.scope === 'market' ? ('global' as const) : pause.scope,
        reason: pause.reason,
        paused_at: isoOrNull(pause.pausedAt),
        resume_at: isoOrNull(pause.resumeAt),
      },
      200,
    )
  })

  app.openapi(secured(getAccountRoute, s), (c) => {
    const st = ex.state(userOf(c))
    const p = ex.portfolio(st)
    return c.json(accountView(st.account, p.equity, p.exposure), 200)
  })
}

const round = (x: number): number => Math.round(x * 1e8) / 1e8

/** A list query's start_date / end_date as epoch ms (VALIDATION_FAILED when the start is after the end). */
function dateRange(q: { start_date?: string; end_date?: string }): { since?: number; until?: number } {
  const since = time(q.start_date)
  const until = time(q.end_date)
  if (since !== undefined && until !== undefined && since > until)
    throw new DomainError('VALIDATION_FAILED', 'start_date must not be after end_date', { field: 'start_date' })
  return { since, until }
}
