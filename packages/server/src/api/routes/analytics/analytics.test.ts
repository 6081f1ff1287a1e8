import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SMCApiError, SMCClient } from 'smc-trading-sdk'
import { contractFetch, createTestContext, TEST_EPOCH, type TestContext } from '../../../testing'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
})
afterEach(() => ctx.close())

const DAY = 86_400_000

describe('GET /v1/analytics/performance: without trades', () => {
  it('an account without closed round trips: zeros and nulls, default period 1m', async () => {
    const token = await ctx.token(['read_trades'])
    const res = await ctx.call('GET', '/v1/analytics/performance', { token })
    expect(res.status).toBe(200)
    const body = await res.json()
    const initial = ctx.services.env.PAPER_INITIAL_BALANCE
    expect(body).toEqual({
      period: '1m',
      symbol: null,
      period_start: new Date(TEST_EPOCH - 30 * DAY).toISOString(),
      period_end: new Date(TEST_EPOCH).toISOString(),
      // the account opens on first use, after period_start: its opening balance
      starting_equity: initial,
      total_trades: 0,
      winning_trades: 0,
      losing_trades: 0,
      breakeven_trades: 0,
      win_rate: 0,
      total_pnl: 0,
      gross_profit: 0,
      gross_loss: 0,
      average_win: 0,
      average_loss: 0,
      profit_factor: null,
      sharpe_ratio: null,
      max_drawdown: 0,
      average_trade_duration: 0,
      best_trade: null,
      worst_trade: null,
    })
  })

  it('every period is a rolling window ending now; symbols are upper-cased', async () => {
    const token = await ctx.token(['read_trades'])
    const days = { '1d': 1, '1w': 7, '1m': 30, '3m': 90, '6m': 180, '1y': 365 }
    for (const [period, n] of Object.entries(days)) {
      const res = await ctx.call('GET', `/v1/analytics/performance?period=${period}&symbol=btcusdt`, { token })
      expect(res.status, period).toBe(200)
      const body = await res.json()
      expect(body.period).toBe(period)
      expect(body.symbol).toBe('BTCUSDT')
      expect(Date.parse(body.period_end) - Date.parse(body.period_start)).toBe(n * DAY)
    }
  })

  it('unknown symbol → 400 INVALID_SYMBOL; bad period or malformed symbol → 400 VALIDATION_FAILED', async () => {
    const token = await ctx.token(['read_trades'])
    const unknown = await ctx.call('GET', '/v1/analytics/performance?symbol=DOGEUSDT', { token })
    expect(unknown.status).toBe(400)
    const e = await unknown.json()
    expect(e.error.code).toBe('INVALID_SYMBOL')
    expect(e.error.details.available).toEqual(ctx.services.market.symbols())
    for (const q of ['period=2w', 'period=', 'symbol=BTC-USDT', 'symbol=X']) {
      const res = await ctx.call('GET', `/v1/analytics/performance?${q}`, { token })
      expect(res.status, q).toBe(400)
      expect((await res.json()).error.code, q).toBe('VALIDATION_FAILED')
    }
  })

  it('needs read_trades: 401 without a token, 403 with only read_market_data; admin_full passes', async () => {
    expect((await ctx.call('GET', '/v1/analytics/performance')).status).toBe(401)
    const market = await ctx.token(['read_market_data'])
    const res = await ctx.call('GET', '/v1/analytics/performance', { token: market })
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('INSUFFICIENT_PERMISSIONS')
    expect((await ctx.call('GET', '/v1/analytics/performance', { token: ctx.adminToken })).status).toBe(200)
  })
})

describe('SMCClient.getPerformance', () => {
  it('reads performance through the SDK; an unknown symbol throws SMCApiError INVALID_SYMBOL', async () => {
    const server = await ctx.listen()
    const fetch = contractFetch((req) => globalThis.fetch(req))
    const client = new SMCClient(await ctx.token(['read_trades']), { baseUrl: server.url, fetch })
    const perf = await client.getPerformance({ period: '1w', symbol: 'ETHUSDT' })
    expect(perf.period).toBe('1w')
    expect(perf.symbol).toBe('ETHUSDT')
    expect(perf.total_trades).toBe(0)
    expect(perf.profit_factor).toBeNull()
    expect((await client.getPerformance()).period).toBe('1m')
    const err = await client.getPerformance({ symbol: 'NOPEUSDT' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect((err as SMCApiError).status).toBe(400)
    expect((err as SMCApiError).code).toBe('INVALID_SYMBOL')
  })
})
