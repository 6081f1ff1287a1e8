import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tables } from '../store'
import { createTestContext, type TestContext } from '../testing'

let ctx: TestContext
let token: string
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  token = await ctx.token(['read_trades', 'write_trades', 'read_risk_metrics'], 'alice')
})
afterEach(() => ctx.close())

const FAIL_FILLS = "CREATE TRIGGER fail_fill BEFORE INSERT ON fills BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"

/** A market buy worth about 85 % of the 10,000 USDT account: past the 80 % exposure warning. */
async function bigBuy(): Promise<Response> {
  const price = ctx.services.market.ticker('BTCUSDT').price
  const quantity = Math.floor((8_500 / price) * 1e5) / 1e5
  return ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity } })
}

const riskEvents = () => ctx.services.db.select().from(tables.riskEvents).all()

describe('a rolled-back state change leaves every in-memory cache as it was', () => {
  it('risk: no phantom open event survives the rollback, so the retried order stores its exposure_warning', async () => {
    ctx.services.db.$client.exec(FAIL_FILLS)
    const failed = await bigBuy()
    expect(failed.status).toBe(500)
    expect(riskEvents()).toHaveLength(0)

    ctx.services.db.$client.exec('DROP TRIGGER fail_fill')
    const ok = await bigBuy()
    expect(ok.status).toBe(201)
    const types = riskEvents().map((r) => r.type)
    expect(types).toContain('exposure_warning')
    const listed = await (await ctx.call('GET', '/v1/risk/events', { token })).json()
    expect(listed.events.map((e: { type: string }) => e.type)).toContain('exposure_warning')
  })

  it('execution: balances, positions and open orders after the rollback equal those before it', async () => {
    const price = Math.round(ctx.services.market.ticker('BTCUSDT').price * 0.95)
    const limit = await ctx.call('POST', '/v1/trades', {
      token,
      body: { symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: 0.001, price, time_in_force: 'GTC' },
    })
    expect(limit.status, await limit.clone().text()).toBe(201)
    const before = {
      account: await (await ctx.call('GET', '/v1/account', { token })).json(),
      positions: await (await ctx.call('GET', '/v1/positions', { token })).json(),
      orders: await (await ctx.call('GET', '/v1/orders?status=open', { token })).json(),
    }
    ctx.services.db.$client.exec(FAIL_FILLS)
    expect((await bigBuy()).status).toBe(500)
    ctx.services.db.$client.exec('DROP TRIGGER fail_fill')
    const after = {
      account: await (await ctx.call('GET', '/v1/account', { token })).json(),
      positions: await (await ctx.call('GET', '/v1/positions', { token })).json(),
      orders: await (await ctx.call('GET', '/v1/orders?status=open', { token })).json(),
    }
    expect(after).toEqual(before)
  })
})
