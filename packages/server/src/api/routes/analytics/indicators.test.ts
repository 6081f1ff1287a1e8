import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ema, rsi, sma } from '../../../analytics/indicators'
import { closedCandles } from '../../../market'
import { createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  token = await ctx.token(['read_market_data'])
})
afterEach(() => ctx.close())

const get = async (query: string, symbol = 'BTCUSDT') => {
  const res = await ctx.call('GET', `/v1/analytics/indicators/${symbol}?${query}`, { token })
  return { status: res.status, body: await res.json() }
}

describe('GET /v1/analytics/indicators/{symbol}', () => {
  it('computes over the latest closed candles: equal to the engine on the same window', async () => {
    ctx.clock.advance(20 * 60_000 + 30_000) // mid-candle: the forming 1h candle must not count
    ctx.services.market.advance()
    const { status, body } = await get('interval=1h&indicators=sma,ema,rsi&sma_periods=20,50&series=3&lookback=200')
    expect(status).toBe(200)
    const cols = closedCandles(ctx.services.market, 'BTCUSDT', '1h', 200)
    const n = cols.close.length
    expect(body.candles_used).toBe(n)
    expect(body.candle_time).toBe(cols.time[n - 1]! / 1000)
    expect(body.sma).toEqual([
      { period: 20, value: sma(cols.close, 20)[n - 1], series: Array.from(sma(cols.close, 20).subarray(n - 3)) },
      { period: 50, value: sma(cols.close, 50)[n - 1], series: Array.from(sma(cols.close, 50).subarray(n - 3)) },
    ])
    expect(body.ema.map((e: { period: number; value: number }) => [e.period, e.value])).toEqual([
      [12, ema(cols.close, 12)[n - 1]],
      [26, ema(cols.close, 26)[n - 1]],
    ])
    expect(body.rsi.value).toBe(rsi(cols.close, 14)[n - 1])
    expect(body.series_times).toEqual(Array.from(cols.time.subarray(n - 3)).map((t) => t / 1000))
    expect(body.macd).toBeUndefined()
  })

  it('the forming candle never changes an answer; a closed one does', async () => {
    const before = await get('interval=1h')
    ctx.clock.advance(10 * 60_000)
    ctx.services.market.advance()
    const during = await get('interval=1h')
    expect({ ...during.body, timestamp: null }).toEqual({ ...before.body, timestamp: null })
    ctx.clock.advance(55 * 60_000)
    ctx.services.market.advance()
    token = await ctx.token(['read_market_data']) // the first one has expired by now
    const after = await get('interval=1h')
    expect(after.body.candle_time).toBe(before.body.candle_time + 3600)
    expect(after.body.rsi.value).not.toBe(before.body.rsi.value)
  })

  it('not enough history is null, never NaN', async () => {
    const { body } = await get('interval=1d&indicators=sma,rsi,macd,bollinger&sma_periods=200&lookback=50')
    expect(body.candles_used).toBeLessThan(10)
    expect(body.sma[0].value).toBeNull()
    expect(body.rsi.value).toBeNull()
    expect(body.macd).toMatchObject({ macd: null, signal: null, histogram: null })
    expect(body.bollinger).toMatchObject({ middle: null, upper: null, lower: null })
    expect(JSON.stringify(body)).not.toContain('NaN')
  })

  it.each([
    ['interval=2h', 'interval'],
    ['indicators=rsi,vwap', 'indicators'],
    ['sma_periods=1', 'sma_periods'],
    ['sma_periods=20,x', 'sma_periods'],
    ['rsi_period=0', 'rsi_period'],
    ['bb_k=0', 'bb_k'],
    ['macd_fast=30&macd_slow=26', 'macd_fast'],
    ['series=5000', 'series'],
    ['lookback=1e3', 'lookback'],
  ])('%s → 400 VALIDATION_FAILED naming %s', async (query, field) => {
    const { status, body } = await get(query)
    expect(status).toBe(400)
    expect(body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } })
  })

  it('an unknown symbol is INVALID_SYMBOL', async () => {
    const { status, body } = await get('interval=1h', 'NOPEUSDT')
    expect([status, body.error.code]).toEqual([400, 'INVALID_SYMBOL'])
  })
})
