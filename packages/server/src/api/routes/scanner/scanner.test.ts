import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { plantedMarket } from '../../../scanner/scan/test-markets'
import { createTestContext, type TestContext } from '../../../testing'

// The scanner over the API on the planted market: BRKUSDT has a volume surge and breaks a clustered
// resistance, NEARUSDT sits just under it, CALMUSDT and FLATUSDT are calm.
let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' }, { market: () => plantedMarket().market })
  token = await ctx.token(['read_market_data', 'write_trades'], 'alice')
})
afterEach(() => ctx.close())

const call = async (method: string, path: string, body?: unknown, t = token) => {
  const res = await ctx.call(method, path, { token: t, body })
  return { status: res.status, body: await res.json() }
}

describe('scanner over the API', () => {
  it('ranks the planted breakout first, explains why, rejects the calm symbols; /last returns the same scan', async () => {
    const { status, body } = await call('POST', '/v1/scanner/scan/balanced')
    expect(status).toBe(200)
    expect(body).toMatchObject({ preset: 'balanced', interval: '15m', total_scanned: 4, passed_filters: 2 })
    expect(body.candidates[0]).toMatchObject({ symbol: 'BRKUSDT', rank: 1, direction: 'up' })
    expect(body.candidates[0].reasons.join(' ')).toMatch(/volume surge: 5\.00×/)
    expect(body.candidates[0].reasons.join(' ')).toMatch(/breakout: closed [\d.]+ ATR above resistance 104\.10/)
    expect(body.rejected.map((r: { symbol: string }) => r.symbol).sort()).toEqual(['CALMUSDT', 'FLATUSDT'])
    expect((await call('GET', '/v1/scanner/last')).body).toEqual({ scan: body })
    const other = await ctx.token(['read_market_data'], 'bob')
    expect((await call('GET', '/v1/scanner/last', undefined, other)).body).toEqual({ scan: null })
  })

  it('body overrides and symbols apply to this scan only; a body naming another preset is PRESET_MISMATCH', async () => {
    const strict = await call('POST', '/v1/scanner/scan/balanced', { overrides: { scanner: { min_volume_ratio: 3 } }, symbols: ['BRKUSDT', 'NEARUSDT'] })
    expect(strict.body).toMatchObject({ total_scanned: 2, passed_filters: 1 })
    expect(strict.body.candidates.map((c: { symbol: string }) => c.symbol)).toEqual(['BRKUSDT'])
    const bad = await call('POST', '/v1/scanner/scan/balanced', { overrides: { risk: { risk_per_trade: 1 } } })
    expect([bad.status, bad.body.error.details.field]).toEqual([400, 'risk.risk_per_trade'])
    const mismatch = await call('POST', '/v1/scanner/scan/balanced', { preset: 'aggressive' })
    expect([mismatch.status, mismatch.body.error.code]).toEqual([400, 'PRESET_MISMATCH'])
    expect((await call('POST', '/v1/scanner/scan/nope')).status).toBe(404)
  })

  it("a scan uses the caller's copy of the preset", async () => {
    const { body: p } = await call('GET', '/v1/presets/balanced')
    await call('PUT', '/v1/presets/balanced', { ...p, scanner: { ...p.scanner, min_volume_ratio: 3 } })
    expect((await call('POST', '/v1/scanner/scan/balanced')).body.passed_filters).toBe(1)
  })

  it('one symbol: its figures and filters whether it passes or not', async () => {
    const { body } = await call('GET', '/v1/scanner/market-data/CALMUSDT?preset=balanced')
    expect(body).toMatchObject({ symbol: 'CALMUSDT', passed: false, filters: { history: true } })
    expect(body.failures.length).toBeGreaterThan(0)
    const brk = await call('GET', '/v1/scanner/market-data/brkusdt')
    expect(brk.body).toMatchObject({ symbol: 'BRKUSDT', passed: true })
  })
})
