import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SMCApiError, SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../../../http-server'
import { contractFetch, createTestContext, type TestContext } from '../../../testing'

// Trading scenarios through the SDK against a real server on an ephemeral port; every response is
// checked against the contract on the way.
let ctx: TestContext
let server: RunningServer
let user = 0
const fetch = contractFetch((req) => globalThis.fetch(req))

beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  server = await ctx.listen()
})
afterEach(() => ctx.close())

/** A client for a fresh user (so a fresh 10,000 USDT paper account). */
async function trader(): Promise<SMCClient> {
  const token = await ctx.token(['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics'], `trader${++user}`)
  return new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
}

describe('market orders', () => {
  it('fill against the book at the VWAP of the levels walked and open a long position', async () => {
    const c = await trader()
    const book = await c.getOrderBook('BTCUSDT', { limit: 100 })
    const order = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.1, client_order_id: 'first' })
    expect(order.status).toBe('filled')
    expect(order.filled_quantity).toBe(0.1)
    // VWAP over the asks the order walked.
    let left = 0.1
    let cost = 0
    for (const [p, q] of book.asks.map(([p, q]) => [Number(p), Number(q)] as const)) {
      const take = Math.min(left, q)
      cost += take * p
      left = +(left - take).toFixed(8)
      if (left <= 0) break
    }
    expect(order.average_price).toBeCloseTo(cost / 0.1, 6)
    expect(order.commission).toBeCloseTo(cost * 0.001, 6)
    const { positions, total_exposure } = await c.getPositions()
    expect(positions).toHaveLength(1)
    expect(positions[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'long', quantity: 0.1, status: 'open' })
    expect(positions[0]!.entry_price).toBeCloseTo(order.average_price!, 6)
    expect(total_exposure).toBeCloseTo(0.1 * positions[0]!.current_price, 6)
    const account = await c.getAccount()
    expect(account.balance).toBeCloseTo(10_000 - order.commission, 8)
  })
})

describe('denials', () => {
  it('INSUFFICIENT_BALANCE carries required vs available', async () => {
    const c = await trader()
    const err = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 1 }).catch((e) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect(err.status).toBe(400)
    expect(err.code).toBe('INSUFFICIENT_BALANCE')
    expect(err.details.required).toBeGreaterThan(err.details.available)
    expect((await c.getPositions()).positions).toHaveLength(0)
  })
})
