import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { plantedMarket, type PlantedMarket } from '../ml/test-markets'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// Issue 13: the SDK's analytics methods (snapshot, prices, indicators, presets, scanner, model)
// against a real server on an ephemeral port, each answer equal to the REST answer for the same call
// at the same instant (the test clock and the planted market move only when told to). Every
// response, the SDK's and the REST one, is checked against the contract.
let ctx: TestContext
let planted: PlantedMarket
let server: RunningServer
let client: SMCClient
let token: string
beforeAll(async () => {
  ctx = await createTestContext(
    { RATE_LIMIT_ENABLED: 'false', ML_INTERVAL: '1h', SCHEDULER_ENABLED: 'false' },
    { market: () => (planted = plantedMarket({ candles: 1500, phi: 0 })).market },
  )
  server = await ctx.listen()
  token = await ctx.token(['read_market_data', 'write_trades'], 'sdk-analytics')
  client = new SMCClient(token, { baseUrl: server.url, fetch: contractFetch((req) => fetch(req)), retry: false })
})
afterAll(() => ctx.close())

const rest = async (method: string, path: string, body?: unknown) => {
  const res = await ctx.call(method, path, { token, body })
  return { status: res.status, body: await res.json() }
}
const restOk = async (method: string, path: string, body?: unknown) => {
  const r = await rest(method, path, body)
  expect(r.status, `${method} ${path}`).toBeLessThan(300)
  return r.body
}

describe('SDK analytics methods = REST', () => {
  it('market snapshot and prices', async () => {
    const symbol = planted.symbol
    expect(await client.getMarketSnapshot()).toEqual(await restOk('GET', '/v1/market-data'))
    expect(await client.getPrices()).toEqual(await restOk('GET', '/v1/prices'))
    expect(await client.getPrice(symbol)).toEqual(await restOk('GET', `/v1/prices/${symbol}`))
  })

  it('indicators, defaults and custom periods with series', async () => {
    const symbol = planted.symbol
    expect(await client.getIndicators(symbol, { interval: '1h' })).toEqual(await restOk('GET', `/v1/analytics/indicators/${symbol}?interval=1h`))
    const custom = await client.getIndicators(symbol, { interval: '4h', indicators: 'sma,rsi,bollinger', sma_periods: '10,30', series: 5 })
    expect(custom).toEqual(await restOk('GET', `/v1/analytics/indicators/${symbol}?interval=4h&indicators=sma,rsi,bollinger&sma_periods=10,30&series=5`))
  })

  it('presets: list, get, create, update, delete', async () => {
    expect(await client.listPresets()).toEqual(await restOk('GET', '/v1/presets'))
    const balanced = await client.getPreset('balanced')
    expect(balanced).toEqual(await restOk('GET', '/v1/presets/balanced'))

    const { builtin: _b, modified: _m, updated_at: _u, ...config } = balanced
    const created = await client.createPreset({ ...config, name: 'sdk_mine' })
    expect(created).toEqual(await restOk('GET', '/v1/presets/sdk_mine'))
    expect(created).toMatchObject({ name: 'sdk_mine', builtin: false })

    const updated = await client.updatePreset('sdk_mine', { ...config, name: 'sdk_mine', risk: { ...config.risk, risk_per_trade: 0.004 } })
    expect(updated.risk.risk_per_trade).toBe(0.004)
    expect(updated).toEqual(await restOk('GET', '/v1/presets/sdk_mine'))

    // The same delete through REST answers as the SDK's does.
    await restOk('POST', '/v1/presets', { ...config, name: 'rest_mine' })
    const bySdk = await client.deletePreset('sdk_mine')
    const byRest = await restOk('DELETE', '/v1/presets/rest_mine')
    expect(bySdk).toEqual({ ...byRest, deleted: 'sdk_mine' })
    expect((await rest('GET', '/v1/presets/sdk_mine')).status).toBe(404)
  })

  it('scanner: a scan through the SDK is the last scan through REST, and the other way round', async () => {
    // The planted market's candles are 1h: the presets' scanner interval is overridden to match.
    const { scanner } = await client.getPreset('balanced')
    const overrides = { scanner: { ...scanner, interval: '1h' } }
    const bySdk = await client.scan('balanced', { overrides })
    expect(bySdk.total_scanned).toBeGreaterThan(0)
    expect((await restOk('GET', '/v1/scanner/last')).scan).toEqual(bySdk)
    const byRest = await restOk('POST', '/v1/scanner/scan/aggressive', { overrides })
    expect(await client.getLastScan()).toEqual({ scan: byRest })
  })

  it('model: info and predictions, 503 before training in both', async () => {
    const before = await rest('GET', '/v1/ml/model/info')
    expect([before.status, before.body.error.code]).toEqual([503, 'MODEL_UNAVAILABLE'])
    await expect(client.getModelInfo()).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', status: 503 })

    ctx.services.ml.train(ctx.services.market)
    const info = await client.getModelInfo()
    expect(info.status).toBe('ready')
    expect(info).toEqual(await restOk('GET', '/v1/ml/model/info'))
    const symbol = planted.symbol
    const all = await client.getPredictions({ symbol })
    expect(all.predictions.map((p) => p.horizon)).toEqual([1, 4, 12])
    expect(all).toEqual(await restOk('GET', `/v1/ml/predictions?symbol=${symbol}`))
    expect(await client.getPredictions({ symbol, horizon: 4 })).toEqual(await restOk('GET', `/v1/ml/predictions?symbol=${symbol}&horizon=4`))
  })
})
