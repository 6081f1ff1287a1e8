import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, TEST_ADMIN_KEY, TEST_DEMO_KEY, type TestContext } from '../../../testing'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext()
})
afterEach(() => ctx.close())

const generate = (body: unknown, headers: Record<string, string>) =>
  ctx.call('POST', '/v1/auth/generate-token', { body, headers })

describe('POST /v1/auth/generate-token', () => {
  it('issues a token for the API key holder with the requested scopes', async () => {
    const res = await generate({ user_id: 'demo', permissions: ['read_market_data'], expires_in: 120 }, { 'X-API-Key': TEST_DEMO_KEY })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.permissions).toEqual(['read_market_data'])
    expect(Date.parse(body.expires_at)).toBe(ctx.clock.now() - (ctx.clock.now() % 1000) + 120_000)
    const use = await ctx.call('GET', '/v1/market-data/BTCUSDT', { token: body.token })
    expect(use.status).toBe(200)
  })

  it('defaults expires_in to 3600 seconds', async () => {
    const res = await generate({ user_id: 'demo', permissions: ['read_trades'] }, { 'X-API-Key': TEST_DEMO_KEY })
    const body = await res.json()
    expect(Date.parse(body.expires_at) - ctx.clock.now()).toBeGreaterThan(3599_000)
    expect(Date.parse(body.expires_at) - ctx.clock.now()).toBeLessThanOrEqual(3600_000)
  })

  it('never grants scopes the key does not hold', async () => {
    const res = await generate({ user_id: 'demo', permissions: ['admin_full'] }, { 'X-API-Key': TEST_DEMO_KEY })
    expect(res.status).toBe(403)
    const { error } = await res.json()
    expect(error.code).toBe('INSUFFICIENT_PERMISSIONS')
    expect(error.details.missing).toEqual(['admin_full'])
  })

  it('only issues tokens for the key owner unless the key is admin', async () => {
    const other = await generate({ user_id: 'mallory', permissions: ['read_trades'] }, { 'X-API-Key': TEST_DEMO_KEY })
    expect(other.status).toBe(403)
    const admin = await generate({ user_id: 'alice', permissions: ['read_trades', 'write_trades'] }, { 'X-API-Key': TEST_ADMIN_KEY })
    expect(admin.status).toBe(200)
  })

  it('accepts an admin_full bearer token instead of an API key, but not a lesser token', async () => {
    const ok = await ctx.call('POST', '/v1/auth/generate-token', { token: ctx.adminToken, body: { user_id: 'bob', permissions: ['read_trades'] } })
    expect(ok.status).toBe(200)
    const lesser = await ctx.token(['read_trades', 'write_trades'])
    const denied = await ctx.call('POST', '/v1/auth/generate-token', { token: lesser, body: { user_id: 'demo', permissions: ['read_trades'] } })
    expect(denied.status).toBe(403)
  })

  it('rejects missing and invalid credentials with 401', async () => {
    const none = await generate({ user_id: 'demo', permissions: ['read_trades'] }, {})
    expect(none.status).toBe(401)
    expect((await none.json()).error.code).toBe('AUTHENTICATION_FAILED')
    const bad = await generate({ user_id: 'demo', permissions: ['read_trades'] }, { 'X-API-Key': 'smc_demo_wrong_key_000000' })
    expect(bad.status).toBe(401)
  })

  it('validates the body: unknown scope, empty permissions, out-of-range expiry', async () => {
    for (const body of [
      { user_id: 'demo', permissions: ['root'] },
      { user_id: 'demo', permissions: [] },
      { user_id: 'demo', permissions: ['read_trades'], expires_in: 10 },
      { user_id: '', permissions: ['read_trades'] },
      { permissions: ['read_trades'] },
    ]) {
      const res = await generate(body, { 'X-API-Key': TEST_DEMO_KEY })
      expect(res.status).toBe(400)
      expect((await res.json()).error.code).toBe('VALIDATION_FAILED')
    }
  })
})

describe('access tokens', () => {
  it('expire', async () => {
    const res = await generate({ user_id: 'demo', permissions: ['read_market_data'], expires_in: 60 }, { 'X-API-Key': TEST_DEMO_KEY })
    const { token } = await res.json()
    ctx.clock.advance(61_000)
    const late = await ctx.call('GET', '/v1/market-data/BTCUSDT', { token })
    expect(late.status).toBe(401)
    expect((await late.json()).error.message).toMatch(/expired/)
  })

  it('reject tampered and malformed tokens', async () => {
    const token = await ctx.token(['read_market_data'])
    const tampered = token.slice(0, -2) + (token.endsWith('a') ? 'bb' : 'aa')
    for (const t of [tampered, 'not-a-jwt']) {
      const res = await ctx.call('GET', '/v1/market-data/BTCUSDT', { token: t })
      expect(res.status).toBe(401)
    }
    const basic = await ctx.request('/v1/market-data/BTCUSDT', { headers: { Authorization: 'Basic abc' } })
    expect(basic.status).toBe(401)
  })
})

describe('POST /v1/auth/refresh-token', () => {
  it('rotates: the new pair works, the used refresh token stops working and its family is revoked', async () => {
    const first = await (await generate({ user_id: 'demo', permissions: ['read_market_data'] }, { 'X-API-Key': TEST_DEMO_KEY })).json()
    const refresh = (t: string) => ctx.request('/v1/auth/refresh-token', { method: 'POST', headers: { Authorization: `Bearer ${t}` } })

    const second = await refresh(first.refresh_token)
    expect(second.status).toBe(200)
    const pair = await second.json()
    expect(pair.refresh_token).not.toBe(first.refresh_token)
    expect(pair.permissions).toEqual(['read_market_data'])
    expect((await ctx.call('GET', '/v1/market-data/BTCUSDT', { token: pair.token })).status).toBe(200)

    const reuse = await refresh(first.refresh_token)
    expect(reuse.status).toBe(401)
    // The reuse revoked the whole family, including the newest refresh token.
    expect((await refresh(pair.refresh_token)).status).toBe(401)
  })

  it('rejects unknown and missing refresh tokens', async () => {
    expect((await ctx.request('/v1/auth/refresh-token', { method: 'POST', headers: { Authorization: 'Bearer smcr_nope' } })).status).toBe(401)
    expect((await ctx.request('/v1/auth/refresh-token', { method: 'POST' })).status).toBe(401)
  })

  it('rejects expired refresh tokens', async () => {
    const first = await (await generate({ user_id: 'demo', permissions: ['read_trades'] }, { 'X-API-Key': TEST_DEMO_KEY })).json()
    ctx.clock.advance(31 * 24 * 3600 * 1000)
    const res = await ctx.request('/v1/auth/refresh-token', { method: 'POST', headers: { Authorization: `Bearer ${first.refresh_token}` } })
    expect(res.status).toBe(401)
  })
})

describe("seed 000's auth paths: /api/auth/… are deprecated aliases", () => {
  it('POST /api/auth/generate-token and /api/auth/refresh-token serve the same operations', async () => {
    const res = await ctx.call('POST', '/api/auth/generate-token', { body: { user_id: 'demo', permissions: ['read_market_data'] }, headers: { 'X-API-Key': TEST_DEMO_KEY } })
    expect(res.status).toBe(200)
    const pair = await res.json()
    expect((await ctx.call('GET', '/v1/market-data/BTCUSDT', { token: pair.token })).status).toBe(200)
    const refreshed = await ctx.request('/api/auth/refresh-token', { method: 'POST', headers: { Authorization: `Bearer ${pair.refresh_token}` } })
    expect(refreshed.status).toBe(200)
    // One rotation family across both paths: reusing the spent refresh token on the canonical path fails.
    expect((await ctx.request('/v1/auth/refresh-token', { method: 'POST', headers: { Authorization: `Bearer ${pair.refresh_token}` } })).status).toBe(401)
  })

  it('the contract declares them deprecated, otherwise identical to the canonical operations', async () => {
    const { default: contract } = await import('../../../generated/openapi.json', { with: { type: 'json' } })
    const paths = contract.paths as unknown as Record<string, { post: Record<string, unknown> }>
    for (const name of ['generate-token', 'refresh-token']) {
      const { operationId, summary, description, deprecated, ...alias } = paths[`/api/auth/${name}`]!.post
      const { operationId: canonicalId, summary: s2, description: d2, ...canonical } = paths[`/v1/auth/${name}`]!.post
      expect(deprecated).toBe(true)
      expect(operationId).toBe(`${canonicalId}Alias`)
      expect(alias).toEqual(canonical)
    }
  })

  it('a call without a credential is 401 naming the missing header and where the key comes from', async () => {
    const res = await ctx.call('POST', '/api/auth/generate-token', { body: { user_id: 'demo', permissions: ['read_trades'] } })
    expect(res.status).toBe(401)
    const { error } = await res.json()
    expect(error.details.missing_header).toBe('X-API-Key')
    expect(error.message).toContain('"X-API-Key" header')
    expect(error.message).toContain('the server prints its demo API key')
    const noToken = await ctx.call('GET', '/v1/positions')
    const e2 = (await noToken.json()).error
    expect([noToken.status, e2.details.missing_header]).toEqual([401, 'Authorization'])
    expect(e2.message).toContain('POST /v1/auth/generate-token')
  })
})
