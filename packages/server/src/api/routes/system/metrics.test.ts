import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false' })
})
afterEach(() => ctx.close())

const json = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await ctx.call(method, path, { token, body })
  return { status: res.status, body: await res.json() }
}

describe('GET /v1/metrics/summary (admin_full)', () => {
  it('counts the requests answered since start and now, the store’s today and the working orders', async () => {
    const before = (await json('GET', '/v1/metrics/summary', ctx.adminToken)).body
    const token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'])
    const ticker = (await json('GET', '/v1/market-data/BTCUSDT', token)).body
    expect((await json('GET', '/v1/market-data/NOPE', token)).status).toBe(400)
    const limit = await json('POST', '/v1/trades', token, { symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: 0.01, price: Math.floor(ticker.bid * 0.9) })
    expect(limit.status).toBe(201)
    const after = (await json('GET', '/v1/metrics/summary', ctx.adminToken)).body
    // The first summary itself, the ticker, the 400 and the order: four requests, one of them 4xx.
    expect(after.requests.total - before.requests.total).toBe(4)
    expect(after.requests.client_errors - before.requests.client_errors).toBe(1)
    expect(after.requests.server_errors).toBe(0)
    expect(after.last_minute.requests_per_minute).toBeGreaterThanOrEqual(after.requests.total - before.requests.total)
    expect(after.trading).toEqual({ working_orders: before.trading.working_orders + 1, open_positions: before.trading.open_positions, trading_paused: false })
    expect(after.executions_today.orders_placed - before.executions_today.orders_placed).toBe(1)
    expect(after.executions_today.orders_open - before.executions_today.orders_open).toBe(1)
    expect(after.process.rss_mb).toBeGreaterThan(0)
    expect(after.websocket.active_connections).toBe(0)
  })

  it('needs admin_full', async () => {
    const res = await json('GET', '/v1/metrics/summary', await ctx.token(['read_trades']))
    expect([res.status, res.body.error.code]).toEqual([403, 'INSUFFICIENT_PERMISSIONS'])
    expect((await ctx.call('GET', '/v1/metrics/performance')).status).toBe(401)
  })
})

describe('GET /v1/metrics/performance (admin_full)', () => {
  it('reports each route by its template, the busiest first, with ordered percentiles', async () => {
    const token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'])
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'BTCUSDT']) expect((await ctx.call('GET', `/v1/market-data/${symbol}`, { token })).status).toBe(200)
    for (let i = 0; i < 5; i++) expect((await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.001 } })).status).toBe(201)
    expect((await ctx.call('GET', '/v1/nowhere', { token })).status).toBe(404)
    const p = (await json('GET', '/v1/metrics/performance', ctx.adminToken)).body
    const route = (method: string, r: string) => p.routes.find((x: { method: string; route: string }) => x.method === method && x.route === r)
    expect(route('POST', '/v1/trades')).toMatchObject({ requests: 5, errors: 0 })
    expect(route('GET', '/v1/market-data/:symbol')).toMatchObject({ requests: 3 })
    expect(route('GET', 'unmatched')).toMatchObject({ requests: 1 })
    expect(p.routes[0]).toMatchObject({ method: 'POST', route: '/v1/trades' })
    const counts = p.routes.map((r: { requests: number }) => r.requests)
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a))
    expect(p.requests).toBe(counts.reduce((a: number, n: number) => a + n, 0))
    const l = p.latency_ms
    expect(l.p50).toBeLessThanOrEqual(l.p95)
    expect(l.p95).toBeLessThanOrEqual(l.p99)
    expect(l.p99).toBeLessThanOrEqual(l.max)
    expect(p.requests_per_second).toBeCloseTo(p.requests / 60, 3)
    expect(p.event_loop_delay_ms.p95).toBeGreaterThanOrEqual(0)
  })
})

describe('GET /v1/metrics/trading (read_trades, the caller’s account)', () => {
  it('equals a recomputation from the caller’s trade history; another user’s fills are not in it', async () => {
    const token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'alice')
    const other = await ctx.token(['read_trades', 'write_trades'], 'bob')
    const place = async (t: string, symbol: string, side: string, quantity: number) =>
      expect((await ctx.call('POST', '/v1/trades', { token: t, body: { symbol, side, type: 'market', quantity } })).status).toBe(201)
    await place(token, 'BTCUSDT', 'buy', 0.02)
    await place(token, 'ETHUSDT', 'buy', 0.5)
    ctx.clock.advance(60_000)
    ctx.services.market.advance()
    await place(token, 'BTCUSDT', 'sell', 0.02)
    await place(other, 'BTCUSDT', 'buy', 0.05)
    const m = (await json('GET', '/v1/metrics/trading', token)).body
    const history = (await json('GET', '/v1/trades/history?limit=100', token)).body.trades as {
      symbol: string
      price: number
      quantity: number
      commission: number
      liquidity: string
      pnl: number
    }[]
    expect(m.volume.fills).toBe(history.length)
    const notional = (rows: typeof history) => rows.reduce((a, t) => a + t.price * t.quantity, 0)
    expect(m.volume.notional).toBeCloseTo(notional(history), 6)
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const rows = history.filter((t) => t.symbol === symbol)
      const market = m.volume.by_market.find((x: { symbol: string }) => x.symbol === symbol)
      expect(market.fills).toBe(rows.length)
      expect(market.notional).toBeCloseTo(notional(rows), 6)
      expect(market.fees).toBeCloseTo(rows.reduce((a, t) => a + t.commission, 0), 6)
      expect(market.realized_pnl).toBeCloseTo(rows.reduce((a, t) => a + t.pnl, 0), 6)
    }
    expect(m.volume.by_market[0].symbol).toBe('BTCUSDT') // the larger notional first
    expect(m.fills.taker.count).toBe(history.filter((t) => t.liquidity === 'taker').length)
    expect(m.fills.maker.count + m.fills.taker.count).toBe(history.length)
    expect(m.fills.average_fill_notional).toBeCloseTo(notional(history) / history.length, 6)
    // One round trip (BTC bought then sold); ETH still open.
    const btc = history.filter((t) => t.symbol === 'BTCUSDT')
    expect(m.round_trips).toMatchObject({ count: 1 })
    expect(m.round_trips.net_pnl).toBeCloseTo(btc.reduce((a, t) => a + t.pnl - t.commission, 0), 6)
    expect(m.round_trips.wins + m.round_trips.losses).toBeLessThanOrEqual(1)
    const metrics = (await json('GET', '/v1/risk/metrics', await ctx.token(['read_risk_metrics'], 'alice'))).body
    expect(m.risk).toMatchObject({ open_positions: 1, equity: metrics.equity, daily_pnl: metrics.daily_pnl, exposure: metrics.total_exposure })
    expect(m.risk.exposure_percent).toBeCloseTo((metrics.total_exposure / metrics.equity) * 100, 3)

    // A window that ends before the fills holds none of them.
    ctx.clock.advance(2 * 3_600_000)
    const later = (await json('GET', '/v1/metrics/trading?hours=1', await ctx.token(['read_trades'], 'alice'))).body
    expect(later.volume).toEqual({ notional: 0, fills: 0, orders: 0, by_market: [] })
    expect(later.round_trips).toMatchObject({ count: 0, win_rate_percent: null })
    expect(later.fills.average_fill_notional).toBeNull()
  })

  it('bad input and scopes', async () => {
    const token = await ctx.token(['read_trades'])
    const bad = await json('GET', '/v1/metrics/trading?hours=0', token)
    expect([bad.status, bad.body.error.code, bad.body.error.details.field]).toEqual([400, 'VALIDATION_FAILED', 'hours'])
    const denied = await json('GET', '/v1/metrics/trading', await ctx.token(['read_market_data']))
    expect(denied.status).toBe(403)
  })
})
