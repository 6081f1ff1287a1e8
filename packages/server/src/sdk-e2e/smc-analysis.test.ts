import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { SMCApiError, SMCClient, type SmcAnalysis, type SmcAnalysisQuery, type SmcCausalAnalysis, type SmcZone } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// client.getSmcAnalysis against a real server; every response is checked against the contract.
let ctx: TestContext
let server: RunningServer
const fetch = contractFetch((req) => globalThis.fetch(req))
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

describe('SMCClient.getSmcAnalysis', () => {
  it('returns the typed analysis with defaults and with options', async () => {
    type Interval = '1m' | '5m' | '15m' | '1h' | '4h' | '1d'
    expectTypeOf<SmcAnalysisQuery>().toEqualTypeOf<{
      interval?: Interval
      lookback?: number
      swing_length?: number
      mode?: 'standard' | 'causal'
      higher_timeframe?: Interval
    }>()
    const c = new SMCClient(await ctx.token(['read_market_data']), { baseUrl: server.url, fetch })
    const dflt: SmcAnalysis = await c.getSmcAnalysis('BTCUSDT')
    expect(dflt).toMatchObject({ symbol: 'BTCUSDT', interval: '15m' })
    expect(['bullish', 'bearish', 'neutral']).toContain(dflt.analysis.trend)
    const hourly = await c.getSmcAnalysis('ethusdt', { interval: '1h', lookback: 48, swing_length: 3 })
    expect(hourly).toMatchObject({ symbol: 'ETHUSDT', interval: '1h', candles_analyzed: 48 })
    const direction: 'bullish' | 'bearish' | null = hourly.analysis.choch_bos.direction
    expect([null, 'bullish', 'bearish']).toContain(direction)
    expect(hourly.causal).toBeUndefined()
  })

  it("mode: 'causal' with a higher timeframe", async () => {
    const c = new SMCClient(await ctx.token(['read_market_data']), { baseUrl: server.url, fetch })
    const r = await c.getSmcAnalysis('BTCUSDT', { interval: '5m', lookback: 1000, swing_length: 3, mode: 'causal', higher_timeframe: '1h' })
    const causal: SmcCausalAnalysis | undefined = r.causal
    expect(causal?.base).toMatchObject({ interval: '5m', candles_analyzed: 1000 })
    expect(causal?.higher_timeframe?.interval).toBe('1h')
    const zones: SmcZone[] = causal!.base.zones
    expect(zones.length).toBeGreaterThan(0)
    for (const z of zones) expect(['active', 'tested', 'mitigated']).toContain(z.state)
    const wrong = await c.getSmcAnalysis('BTCUSDT', { interval: '1h', mode: 'causal', higher_timeframe: '5m' }).catch((e) => e)
    expect([wrong.status, wrong.code]).toEqual([400, 'VALIDATION_FAILED'])
  })

  it('throws SMCApiError for an unknown symbol and for out-of-range options', async () => {
    const c = new SMCClient(await ctx.token(['read_market_data']), { baseUrl: server.url, fetch })
    const unknown = await c.getSmcAnalysis('NOPE').catch((e) => e)
    expect(unknown).toBeInstanceOf(SMCApiError)
    expect([unknown.status, unknown.code]).toEqual([400, 'INVALID_SYMBOL'])
    const tooLong = await c.getSmcAnalysis('BTCUSDT', { lookback: 6000 }).catch((e) => e)
    expect([tooLong.status, tooLong.code]).toEqual([400, 'VALIDATION_FAILED'])
  })
})
