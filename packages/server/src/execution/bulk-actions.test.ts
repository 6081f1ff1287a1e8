import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DomainEvent } from '../core'
import { createTestContext, type TestContext } from '../testing'

// Closing every position is one transaction: a failure on any close leaves every position as it
// was, and nothing is published for the closes that were rolled back.
let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', PAPER_INITIAL_BALANCE: '100000' })
  token = await ctx.token(['read_trades', 'write_trades'], 'alice')
})
afterEach(() => ctx.close())

const json = async (method: string, path: string, body?: unknown) => {
  const res = await ctx.call(method, path, { token, body })
  return { status: res.status, body: await res.json() }
}

describe('DELETE /v1/positions is all or nothing', () => {
  it('a failure on the second close rolls back the first: 500, both positions open, no events; then it closes both', async () => {
    expect((await json('POST', '/v1/trades', { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 })).status).toBe(201)
    expect((await json('POST', '/v1/trades', { symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.1 })).status).toBe(201)
    const before = (await json('GET', '/v1/positions')).body
    const account = (await json('GET', '/v1/account')).body
    const events: DomainEvent[] = []
    const off = ctx.services.events.subscribe((e) => events.push(e))
    ctx.services.db.$client.exec("CREATE TRIGGER fail_eth BEFORE INSERT ON fills WHEN NEW.symbol = 'ETHUSDT' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")

    const failed = await json('DELETE', '/v1/positions')
    expect(failed.status).toBe(500)
    expect(failed.body.error.code).toBe('INTERNAL_ERROR')
    expect(events).toEqual([])
    expect((await json('GET', '/v1/positions')).body).toEqual(before)
    expect((await json('GET', '/v1/account')).body).toEqual(account)

    ctx.services.db.$client.exec('DROP TRIGGER fail_eth')
    const ok = await json('DELETE', '/v1/positions')
    expect([ok.status, ok.body.closed_count, ok.body.positions_open]).toEqual([200, 2, 0])
    expect(events.filter((e) => e.kind === 'position_update').map((e) => e.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT'])
    off()
  })

  it('bad input gets the envelope: a malformed symbol or cancel_orders is 400 VALIDATION_FAILED', async () => {
    for (const q of ['symbol=../etc', 'cancel_orders=maybe']) {
      const r = await json('DELETE', `/v1/positions?${q}`)
      expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    }
    const r = await json('DELETE', '/v1/orders?symbol=%20')
    expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
  })
})
