import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext | undefined
afterEach(async () => {
  await ctx?.close()
  ctx = undefined
})

describe('GET/PUT /v1/config', () => {
  it('shows the effective config without secrets', async () => {
    ctx = await createTestContext()
    const res = await ctx.call('GET', '/v1/config', { token: ctx.adminToken })
    expect(res.status).toBe(200)
    const cfg = await res.json()
    expect(cfg.trading).toEqual({ max_position_size: 1000, max_daily_loss: 500, risk_enabled: true })
    expect(cfg.exchanges.simulated.symbols).toContain('BTCUSDT')
    expect(cfg.rate_limits).toMatchObject({ requests_per_minute: 100, burst_per_second: 20 })
    expect(cfg.rate_limits.tiers).toEqual({
      trading: { limit: 100, window_seconds: 60, burst_per_second: 20 },
      market_data: { limit: 100, window_seconds: 60, burst_per_second: 20 },
      health: { limit: 100, window_seconds: 10, burst_per_second: null },
      metrics: { limit: 30, window_seconds: 60, burst_per_second: null },
      admin: { limit: 10, window_seconds: 60, burst_per_second: null },
      ml: { limit: 20, window_seconds: 60, burst_per_second: null },
    })
    expect(JSON.stringify(cfg)).not.toMatch(/secret|smc_demo|smc_admin/)
  })

  it('updates dotted keys, applies them at once and persists them across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smc-config-'))
    try {
      const db = join(dir, 'smc.db')
      ctx = await createTestContext({ DATABASE_URL: db })
      const res = await ctx.call('PUT', '/v1/config', {
        token: ctx.adminToken,
        body: { 'trading.max_position_size': 1500, 'exchanges.simulated.symbols': ['BTCUSDT', 'ETHUSDT'] },
      })
      expect(res.status).toBe(200)
      const cfg = await res.json()
      expect(cfg.trading.max_position_size).toBe(1500)
      expect(cfg.exchanges.simulated.symbols).toEqual(['BTCUSDT', 'ETHUSDT'])
      // A disabled symbol is no longer served.
      const t = await ctx.token(['read_market_data'])
      expect((await ctx.call('GET', '/v1/market-data/SOLUSDT', { token: t })).status).toBe(400)
      await ctx.close()

      ctx = await createTestContext({ DATABASE_URL: db })
      const again = await (await ctx.call('GET', '/v1/config', { token: ctx.adminToken })).json()
      expect(again.trading.max_position_size).toBe(1500)
      expect(again.exchanges.simulated.symbols).toEqual(['BTCUSDT', 'ETHUSDT'])
    } finally {
      await ctx?.close()
      ctx = undefined
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects unknown keys, bad values, empty updates and unknown symbols, changing nothing', async () => {
    ctx = await createTestContext()
    const bad: [unknown, string][] = [
      [{ 'trading.unknown': 1 }, 'VALIDATION_FAILED'],
      [{ 'trading.max_position_size': -5 }, 'VALIDATION_FAILED'],
      [{ 'trading.risk_enabled': 'yes' }, 'VALIDATION_FAILED'],
      [{}, 'VALIDATION_FAILED'],
      [{ 'trading.max_daily_loss': 10, 'exchanges.simulated.symbols': ['BTCUSDT', 'NOPEUSDT'] }, 'INVALID_SYMBOL'],
    ]
    for (const [body, code] of bad) {
      const res = await ctx.call('PUT', '/v1/config', { token: ctx.adminToken, body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json()).error.code).toBe(code)
    }
    const cfg = await (await ctx.call('GET', '/v1/config', { token: ctx.adminToken })).json()
    expect(cfg.trading.max_daily_loss).toBe(500)
  })
})
