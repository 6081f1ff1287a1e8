import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'

// GET /v1/risk/metrics' tail-risk figures and correlation matrix, checked against a recomputation
// from the public hourly candles (independent of the server's risk code).
let ctx: TestContext
let token: string

beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', PAPER_INITIAL_BALANCE: '100000' })
  // Valid for a week of test time: one test moves the clock by hours.
  const scopes = ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics'] as const
  token = (await ctx.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'risk-metrics', [...scopes], 7 * 86_400)).token
})
afterEach(() => ctx.close())

const trade = async (symbol: string, side: 'buy' | 'sell', quantity: number): Promise<void> => {
  const res = await ctx.call('POST', '/v1/trades', { token, body: { symbol, side, type: 'market', quantity } })
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
}

/** The last 168 hourly simple returns of a symbol, from GET /v1/market-data/{symbol}/ohlcv. */
async function hourlyReturns(symbol: string): Promise<number[]> {
  const res = await ctx.call('GET', `/v1/market-data/${symbol}/ohlcv?interval=1h&limit=169`, { token })
  const closes = ((await res.json()) as { data: { close: number }[] }).data.map((c) => c.close)
  return closes.slice(1).map((c, i) => c / closes[i]! - 1)
}

function correlation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length)
  const x = a.slice(-n)
  const y = b.slice(-n)
  const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length
  const mx = mean(x)
  const my = mean(y)
  const cov = x.reduce((s, e, i) => s + (e - mx) * (y[i]! - my), 0)
  const sx = Math.sqrt(x.reduce((s, e) => s + (e - mx) ** 2, 0))
  const sy = Math.sqrt(y.reduce((s, e) => s + (e - my) ** 2, 0))
  return cov / (sx * sy)
}

interface Metrics {
  var_95: number
  expected_shortfall_95: number
  var_95_1d: number
  correlation_matrix: Record<string, Record<string, number | null>>
}

const metrics = async (): Promise<Metrics> => (await (await ctx.call('GET', '/v1/risk/metrics', { token })).json()) as Metrics

describe('risk metrics: expected shortfall, one-day VaR, correlation matrix', () => {
  it('without positions: zeros and an empty matrix', async () => {
    const m = await metrics()
    expect(m).toMatchObject({ var_95: 0, expected_shortfall_95: 0, var_95_1d: 0, correlation_matrix: {} })
  })

  it('ES ≥ VaR, VaR 1d = VaR·√24, and the matrix equals a recomputation from the hourly candles', async () => {
    await trade('BTCUSDT', 'buy', 0.2)
    await trade('ETHUSDT', 'buy', 3)
    await trade('SOLUSDT', 'sell', 40)
    const m = await metrics()
    expect(m.var_95).toBeGreaterThan(0)
    expect(m.expected_shortfall_95).toBeGreaterThanOrEqual(m.var_95)
    expect(m.var_95_1d).toBeCloseTo(m.var_95 * Math.sqrt(24), 1)

    const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']
    expect(Object.keys(m.correlation_matrix).sort()).toEqual(symbols)
    const r = Object.fromEntries(await Promise.all(symbols.map(async (s) => [s, await hourlyReturns(s)] as const)))
    for (const a of symbols) {
      expect(Object.keys(m.correlation_matrix[a]!).sort()).toEqual(symbols)
      expect(m.correlation_matrix[a]![a]).toBe(1)
      for (const b of symbols) {
        expect(m.correlation_matrix[a]![b]).toBe(m.correlation_matrix[b]![a])
        if (a !== b) expect(m.correlation_matrix[a]![b]).toBeCloseTo(correlation(r[a]!, r[b]!), 5)
      }
    }
  })

  it('ES ≥ VaR holds as the market moves (hour by hour)', async () => {
    await trade('BTCUSDT', 'buy', 0.3)
    await trade('XRPUSDT', 'sell', 900)
    for (let h = 0; h < 6; h++) {
      ctx.clock.advance(3_600_000)
      ctx.services.market.advance()
      const m = await metrics()
      expect(m.expected_shortfall_95).toBeGreaterThanOrEqual(m.var_95)
      expect(m.var_95).toBeGreaterThan(0)
    }
  })
})
