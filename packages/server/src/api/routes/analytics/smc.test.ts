import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTERVAL_MINUTES, type Interval } from '../../../market'
import { analyzeSmc, analyzeSmcCausal } from '../../../smc'
import { createTestContext, TEST_EPOCH, type TestContext } from '../../../testing'

let ctx: TestContext
let token: string
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  token = await ctx.token(['read_market_data'])
})
afterAll(() => ctx.close())

// Every response below goes through the contract validator (status, headers, body).
const get = (path: string, t: string | undefined = token) => ctx.call('GET', path, { token: t })

/** The latest `lookback` closed candles of the market, as the endpoint should analyse them. */
function closedCandles(symbol: string, interval: Interval, lookback: number) {
  const cols = ctx.services.market.candleColumns(symbol, interval, { limit: 100_000 })
  const now = ctx.services.market.lastUpdate()
  let end = cols.time.length
  while (end > 0 && cols.time[end - 1]! + INTERVAL_MINUTES[interval] * 60_000 > now) end--
  const start = Math.max(0, end - lookback)
  const cut = (a: Float64Array) => a.slice(start, end)
  return { time: cut(cols.time), open: cut(cols.open), high: cut(cols.high), low: cut(cols.low), close: cut(cols.close), volume: cut(cols.volume) }
}

describe('GET /v1/analytics/smc/{symbol}', () => {
  it('defaults: 15m, lookback 500 (fewer when history is shorter), swing length 10, closed candles only', async () => {
    const res = await get('/v1/analytics/smc/BTCUSDT')
    expect(res.status).toBe(200)
    const body = await res.json()
    // 3 days of history from midnight: 12 Jan 00:00 … 15 Jan 11:45 are closed (12:00 is forming).
    const expected = closedCandles('BTCUSDT', '15m', 500)
    expect(expected.time.length).toBe(((TEST_EPOCH - Date.UTC(2024, 0, 12)) / 60_000) / 15)
    expect(body).toMatchObject({ symbol: 'BTCUSDT', interval: '15m', timestamp: new Date(TEST_EPOCH).toISOString() })
    expect(body.candles_analyzed).toBe(expected.time.length)
    expect(body.analysis).toEqual(analyzeSmc(expected, { swingLength: 10, priceDecimals: ctx.services.market.requireInstrument('BTCUSDT').pricePrecision }))
    // A random walk over 336 candles has structure: the response is not trivially empty.
    expect(body.analysis.trend).not.toBe('neutral')
    expect(body.analysis.order_blocks.length).toBeGreaterThan(0)
  })

  it('lookback, interval and swing_length select what is analysed; symbols are case-insensitive', async () => {
    const res = await get('/v1/analytics/smc/ethusdt?interval=5m&lookback=120&swing_length=3')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ symbol: 'ETHUSDT', interval: '5m', candles_analyzed: 120 })
    const expected = closedCandles('ETHUSDT', '5m', 120)
    expect(body.analysis).toEqual(analyzeSmc(expected, { swingLength: 3, priceDecimals: ctx.services.market.requireInstrument('ETHUSDT').pricePrecision }))
    for (const o of body.analysis.order_blocks) {
      expect(o.price_level[0]).toBeLessThanOrEqual(o.price_level[1])
      const t = Date.parse(o.timestamp)
      expect(t).toBeGreaterThanOrEqual(expected.time[0]!)
      expect(t).toBeLessThanOrEqual(expected.time[119]!)
    }
  })

  it('uses the history that exists when it is shorter than lookback (1d: three closed days)', async () => {
    const body = await (await get('/v1/analytics/smc/BTCUSDT?interval=1d&lookback=5000')).json()
    expect(body.candles_analyzed).toBe(3)
    expect(body.analysis).toEqual({
      trend: 'neutral',
      order_blocks: [],
      choch_bos: { confirmed: false, price_level: null, direction: null, type: null },
      fvg: expect.objectContaining({ detected: expect.any(Boolean) }),
      liquidity_sweeps: [],
    })
  })

  it('does not change while a candle forms, and moves on when it closes', async () => {
    const before = await (await get('/v1/analytics/smc/SOLUSDT?interval=1m&lookback=200&swing_length=5')).json()
    ctx.clock.advance(40_000) // 12:00:40, the 12:00 minute is still forming
    ctx.services.market.advance()
    const during = await (await get('/v1/analytics/smc/SOLUSDT?interval=1m&lookback=200&swing_length=5')).json()
    expect(during.analysis).toEqual(before.analysis)
    ctx.clock.advance(20_000) // 12:01:00: the 12:00 candle is closed
    ctx.services.market.advance()
    const after = await (await get('/v1/analytics/smc/SOLUSDT?interval=1m&lookback=200&swing_length=5')).json()
    expect(after.candles_analyzed).toBe(200)
    expect(after.analysis).toEqual(analyzeSmc(closedCandles('SOLUSDT', '1m', 200), { swingLength: 5, priceDecimals: ctx.services.market.requireInstrument('SOLUSDT').pricePrecision }))
    expect(closedCandles('SOLUSDT', '1m', 200).time[199]).toBe(TEST_EPOCH)
  })

  it('mode=causal adds the no-look-ahead analysis and leaves `analysis` as it is', async () => {
    const standard = await (await get('/v1/analytics/smc/BTCUSDT?interval=5m&lookback=600&swing_length=3')).json()
    expect(standard).not.toHaveProperty('causal')
    const res = await get('/v1/analytics/smc/BTCUSDT?interval=5m&lookback=600&swing_length=3&mode=causal')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.analysis).toEqual(standard.analysis)
    const candles = closedCandles('BTCUSDT', '5m', 600)
    expect(body.causal).toEqual(analyzeSmcCausal(candles, { swingLength: 3, interval: '5m', intervalMs: 300_000 }))
    const { base } = body.causal
    expect(base).toMatchObject({ interval: '5m', candles_analyzed: 600 })
    expect(body.causal).not.toHaveProperty('higher_timeframe')
    // A random walk has structure: breaks, live zones of every kind, a dealing range.
    expect(base.last_break).not.toBeNull()
    expect(base.dealing_range).not.toBeNull()
    expect(base.dealing_range.low).toBeLessThan(base.dealing_range.high)
    expect(new Set(base.zones.map((z: { kind: string }) => z.kind)).size).toBeGreaterThanOrEqual(2)
    for (const z of base.zones) {
      // Known at or after its own candle, tested / mitigated after it became known.
      expect(Date.parse(z.confirmed_at)).toBeGreaterThanOrEqual(Date.parse(z.timestamp))
      if (z.tested_at) expect(Date.parse(z.tested_at)).toBeGreaterThan(Date.parse(z.confirmed_at))
      if (z.mitigated_at) expect(Date.parse(z.mitigated_at)).toBeGreaterThanOrEqual(Date.parse(z.tested_at))
      expect(z.bottom).toBeLessThanOrEqual(z.top)
    }
  })

  it('higher_timeframe: 1h structure aggregated from the 5m candles, each record known once its hour closed', async () => {
    const body = await (await get('/v1/analytics/smc/ETHUSDT?interval=5m&lookback=2000&swing_length=2&mode=causal&higher_timeframe=1h')).json()
    const candles = closedCandles('ETHUSDT', '5m', 2000)
    expect(body.causal).toEqual(
      analyzeSmcCausal(candles, { swingLength: 2, interval: '5m', intervalMs: 300_000, higher: { interval: '1h', intervalMs: 3_600_000 } }),
    )
    const h = body.causal.higher_timeframe
    // Whole hours only: the first (partial) one counts too, a still-open last one does not.
    const first = Math.floor(candles.time[0]! / 3_600_000)
    const last = Math.floor((candles.time.at(-1)! + 300_000) / 3_600_000)
    expect(h.candles_analyzed).toBe(last - first)
    expect(h.zones.length).toBeGreaterThan(0)
    for (const z of h.zones) {
      // The zone's hour ends before the 5m candle that confirmed it closes.
      expect(Date.parse(z.confirmed_at) + 300_000).toBeGreaterThanOrEqual(Date.parse(z.timestamp) + 3_600_000)
      expect(Date.parse(z.timestamp) % 3_600_000).toBe(0)
    }
    // The market's own 1h candles agree with the aggregation (same source, UTC hours).
    const hourly = closedCandles('ETHUSDT', '1h', 500)
    const zoneHour = Date.parse(h.zones[0].timestamp)
    const k = hourly.time.indexOf(zoneHour)
    expect(k).toBeGreaterThanOrEqual(0)
    if (h.zones[0].kind !== 'fair_value_gap') expect([h.zones[0].bottom, h.zones[0].top]).toEqual([hourly.low[k], hourly.high[k]])
  })

  it.each([
    ['higher_timeframe=1h', 'higher_timeframe'],
    ['mode=causal&interval=1h&higher_timeframe=15m', 'higher_timeframe'],
    ['mode=causal&interval=1h&higher_timeframe=1h', 'higher_timeframe'],
    ['mode=fast', 'mode'],
    ['mode=causal&higher_timeframe=2h', 'higher_timeframe'],
  ])('rejects %s with 400 VALIDATION_FAILED', async (query, field) => {
    const res = await get(`/v1/analytics/smc/BTCUSDT?${query}`)
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(JSON.stringify(error.details)).toContain(field)
  })

  it.each([
    ['lookback=9', 'lookback'],
    ['lookback=5001', 'lookback'],
    ['lookback=1.5', 'lookback'],
    ['lookback=abc', 'lookback'],
    ['swing_length=0', 'swing_length'],
    ['swing_length=101', 'swing_length'],
    ['interval=2h', 'interval'],
  ])('rejects %s with 400 VALIDATION_FAILED', async (query, field) => {
    const res = await get(`/v1/analytics/smc/BTCUSDT?${query}`)
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(JSON.stringify(error.details)).toContain(field)
  })

  it('rejects an unknown symbol with 400 INVALID_SYMBOL', async () => {
    const res = await get('/v1/analytics/smc/NOPEUSDT')
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('INVALID_SYMBOL')
  })

  it('needs read_market_data', async () => {
    expect((await ctx.call('GET', '/v1/analytics/smc/BTCUSDT')).status).toBe(401)
    expect((await get('/v1/analytics/smc/BTCUSDT', await ctx.token(['read_trades']))).status).toBe(403)
    expect((await get('/v1/analytics/smc/BTCUSDT', await ctx.token(['read_market_data']))).status).toBe(200)
  })
})
