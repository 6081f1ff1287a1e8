import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'
import { tables } from '../../../store'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext()
})
afterEach(() => ctx.close())

describe('GET /v1/health', () => {
  it('checks the database and the market feed', async () => {
    const res = await ctx.call('GET', '/v1/health')
    expect(res.status).toBe(200)
    const h = await res.json()
    expect(h.status).toBe('healthy')
    expect(h.components.database.status).toBe('healthy')
    expect(typeof h.components.database.response_time).toBe('number')
    expect(h.components.market_data.status).toBe('healthy')
  })

  it('reports a stale feed as degraded, then unhealthy with 503', async () => {
    ctx.clock.advance(30_000)
    const degraded = await (await ctx.call('GET', '/v1/health')).json()
    expect(degraded.status).toBe('degraded')
    ctx.clock.advance(60_000)
    const res = await ctx.call('GET', '/v1/health')
    expect(res.status).toBe(503)
    expect((await res.json()).components.market_data.status).toBe('unhealthy')
    ctx.services.market.advance()
    expect((await ctx.call('GET', '/v1/health')).status).toBe(200)
  })

  it('shares one measured report between polls within HEALTH_CACHE_MS, then measures again', async () => {
    const cached = await createTestContext({ HEALTH_CACHE_MS: '250' })
    try {
      const first = await cached.call('GET', '/v1/health')
      expect(first.headers.get('content-type')).toBe('application/json')
      const body = await first.text()
      expect(JSON.parse(body).components.execution.trading_paused).toBe(false)
      // A state change inside the window is not seen yet: the poll gets the same bytes.
      expect((await cached.call('POST', '/v1/admin/pause', { token: cached.adminToken, body: { reason: 'maintenance' } })).status).toBe(200)
      cached.clock.advance(249)
      expect(await (await cached.call('GET', '/v1/health')).text()).toBe(body)
      cached.clock.advance(1)
      const fresh = await (await cached.call('GET', '/v1/health')).json()
      expect(fresh.components.execution).toMatchObject({ status: 'degraded', trading_paused: true })
      expect(Date.parse(fresh.timestamp)).toBe(cached.clock.now())
    } finally {
      cached.close()
    }
  })

  it('reports an unreachable database as unhealthy', async () => {
    ctx.services.db.$client.close()
    const res = await ctx.call('GET', '/v1/health')
    expect(res.status).toBe(503)
    expect((await res.json()).components.database.status).toBe('unhealthy')
    ;(ctx.services.db as { $client: { close(): void } }).$client = { close() {} }
  })
})

describe('GET /v1/metrics', () => {
  it('exposes request counts by status and latency histograms in Prometheus format', async () => {
    const token = await ctx.token(['read_market_data'])
    await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })
    await ctx.call('GET', '/v1/market-data/NOPE', { token })
    const res = await ctx.call('GET', '/v1/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toMatch(/smc_api_requests_total\{method="GET",route="\/v1\/market-data\/:symbol",status="200"\} 1/)
    expect(text).toMatch(/smc_api_requests_total\{method="GET",route="\/v1\/market-data\/:symbol",status="400"\} 1/)
    expect(text).toMatch(/smc_api_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/v1\/market-data\/:symbol"\}/)
    expect(text).toContain('# HELP smc_cpu_usage')
    expect(text).toMatch(/^smc_trades_total 0$/m)
    expect(text).toMatch(/^smc_pnl_total 0$/m)
  })

  it('counts filled orders in smc_trades_total', async () => {
    const token = await ctx.token(['write_trades'])
    const res = await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.001 } })
    expect(res.status).toBe(201)
    const text = await (await ctx.call('GET', '/v1/metrics')).text()
    expect(text).toMatch(/^smc_trades_total 1$/m)
    expect(text).toContain('# HELP smc_memory_usage')
  })

  it('reports realized PnL net of commissions over all accounts in smc_pnl_total', async () => {
    const order = { symbol: 'BTCUSDT', type: 'market', quantity: 0.01 }
    for (const user of ['alice', 'bob']) {
      const token = await ctx.token(['write_trades', 'read_trades'], user)
      expect((await ctx.call('POST', '/v1/trades', { token, body: { ...order, side: 'buy' } })).status).toBe(201)
      expect((await ctx.call('POST', '/v1/trades', { token, body: { ...order, side: 'sell' } })).status).toBe(201)
    }
    // Every account's ledger: balance − initial = realized − commissions.
    const accounts = ctx.services.db.select().from(tables.accounts).all()
    const expected = accounts.reduce((sum, a) => sum + (a.balance - a.initialBalance), 0) / 1e8
    expect(expected).toBeLessThan(0) // a round trip at the touch pays the spread and two fees
    const text = await (await ctx.call('GET', '/v1/metrics')).text()
    const value = Number(/^smc_pnl_total (\S+)$/m.exec(text)?.[1])
    expect(value).toBeCloseTo(expected, 8)
  })
})

describe('API root and the served contract', () => {
  it('GET /v1 says what this is, its version, status and where the docs are', async () => {
    const res = await ctx.request('/v1')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ message: 'SMC Trading API', version: ctx.services.version, status: 'healthy', docs: '/v1/docs' })
  })

  it('GET /v1/openapi.json is byte for byte the bundle the build produces', async () => {
    const res = await ctx.request('/v1/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const bundle = readFileSync(new URL('../../../generated/openapi.json', import.meta.url), 'utf8')
    expect(await res.text()).toBe(bundle)
  })

  it('GET /v1/asyncapi.json and /v1/asyncapi.yaml are byte for byte the socket bundle the build produces', async () => {
    const json = await ctx.request('/v1/asyncapi.json')
    expect(json.status).toBe(200)
    expect(json.headers.get('content-type')).toContain('application/json')
    const jsonText = await json.text()
    expect(jsonText).toBe(readFileSync(new URL('../../../generated/asyncapi.json', import.meta.url), 'utf8'))
    const yaml = await ctx.request('/v1/asyncapi.yaml')
    expect(yaml.status).toBe(200)
    expect(yaml.headers.get('content-type')).toContain('application/yaml')
    const yamlText = await yaml.text()
    expect(yamlText).toBe(readFileSync(new URL('../../../generated/asyncapi.yaml', import.meta.url), 'utf8'))
    // One document in two formats, self-contained: the payload schemas came along, no file refs remain.
    const doc = JSON.parse(jsonText)
    expect(parse(yamlText)).toEqual(doc)
    expect(doc.asyncapi).toBe('3.0.0')
    expect(doc.components.schemas.SubscribeRequest).toBeDefined()
    expect(jsonText).not.toMatch(/"\$ref": "\.\//)
  })
})
