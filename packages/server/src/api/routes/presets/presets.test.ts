import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext
let alice: string
let bob: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  alice = await ctx.token(['read_market_data', 'write_trades'], 'alice')
  bob = await ctx.token(['read_market_data', 'write_trades'], 'bob')
})
afterEach(() => ctx.close())

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await ctx.call(method, path, { token, body })
  return { status: res.status, body: await res.json() }
}

describe('presets over the API', () => {
  it('lists the built-ins; a change of one is your copy, invisible to others; deleting it restores the built-in', async () => {
    const { body: list } = await call(alice, 'GET', '/v1/presets')
    expect(list.presets.map((p: { name: string }) => p.name).slice(0, 3)).toEqual(['conservative', 'balanced', 'aggressive'])
    const { body: balanced } = await call(alice, 'GET', '/v1/presets/balanced')
    expect(balanced).toMatchObject({ builtin: true, modified: false, updated_at: null })
    // A GET → edit → PUT round trip: the read-only fields are sent back and ignored.
    const edited = { ...balanced, risk: { ...balanced.risk, risk_per_trade: 0.005 } }
    const put = await call(alice, 'PUT', '/v1/presets/balanced', edited)
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ name: 'balanced', builtin: true, modified: true, risk: { risk_per_trade: 0.005 } })
    expect((await call(alice, 'GET', '/v1/presets/balanced')).body.risk.risk_per_trade).toBe(0.005)
    expect((await call(bob, 'GET', '/v1/presets/balanced')).body.risk.risk_per_trade).toBe(balanced.risk.risk_per_trade)
    const del = await call(alice, 'DELETE', '/v1/presets/balanced')
    expect(del.status).toBe(200)
    expect(del.body).toMatchObject({ deleted: 'balanced', restored: { name: 'balanced', modified: false } })
    expect((await call(alice, 'GET', '/v1/presets/balanced')).body.risk.risk_per_trade).toBe(balanced.risk.risk_per_trade)
  })

  it('own presets: create (201), a taken name is 400 naming name, delete (restored: null), then 404', async () => {
    const { body: base } = await call(alice, 'GET', '/v1/presets/aggressive')
    const { builtin, modified, updated_at, ...config } = base
    const created = await call(alice, 'POST', '/v1/presets', { ...config, name: 'mine' })
    expect([created.status, created.body.name, created.body.builtin]).toEqual([201, 'mine', false])
    const taken = await call(alice, 'POST', '/v1/presets', { ...config, name: 'mine' })
    expect([taken.status, taken.body.error.details.field]).toEqual([400, 'name'])
    expect((await call(bob, 'GET', '/v1/presets/mine')).status).toBe(404)
    expect((await call(alice, 'DELETE', '/v1/presets/mine')).body).toEqual({ deleted: 'mine', restored: null })
    expect((await call(alice, 'GET', '/v1/presets/mine')).status).toBe(404)
  })

  it.each([
    [{ risk: { risk_per_trade: 0.2 } }, 'risk.risk_per_trade'],
    [{ risk: { risk_per_trade: 0 } }, 'risk.risk_per_trade'],
    [{ scanner: { interval: '2h' } }, 'scanner.interval'],
    [{ scanner: { ema_fast: 50, ema_slow: 20 } }, 'scanner.ema_slow'],
    [{ levels: { swing_lenght: 5 } }, 'levels'],
  ])('bad values → 400 VALIDATION_FAILED naming the dotted field (%#)', async (change, field) => {
    const { body: base } = await call(alice, 'GET', '/v1/presets/balanced')
    const merged = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, (change as Record<string, object>)[k] ? { ...(v as object), ...(change as Record<string, object>)[k] } : v]))
    const res = await call(alice, 'PUT', '/v1/presets/balanced', merged)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('VALIDATION_FAILED')
    expect(String(res.body.error.details.field)).toContain(field)
  })

  it('a body naming another preset is 400 PRESET_MISMATCH; an unmodified built-in cannot be deleted; reads need read_market_data, writes write_trades', async () => {
    const { body: base } = await call(alice, 'GET', '/v1/presets/balanced')
    const mismatch = await call(alice, 'PUT', '/v1/presets/balanced', { ...base, name: 'aggressive' })
    expect([mismatch.status, mismatch.body.error.code]).toEqual([400, 'PRESET_MISMATCH'])
    const builtin = await call(alice, 'DELETE', '/v1/presets/conservative')
    expect([builtin.status, builtin.body.error.details.field]).toEqual([400, 'name'])
    const reader = await ctx.token(['read_market_data'], 'carol')
    expect((await call(reader, 'PUT', '/v1/presets/balanced', base)).status).toBe(403)
  })
})
