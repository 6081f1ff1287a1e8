import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCClient, type RoundTrip } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// Issue 17's round trips and position management through the SDK, against a real server on an
// ephemeral port (every response checked against the contract on the way).
let ctx: TestContext
let server: RunningServer
let user = 0
const fetch = contractFetch((req) => globalThis.fetch(req))
beforeAll(async () => {
  ctx = await createTestContext({ PAPER_INITIAL_BALANCE: '100000', RATE_LIMIT_ENABLED: 'false' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

async function trader(): Promise<SMCClient> {
  const token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], `sdkpos${++user}`)
  return new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
}

describe('listRoundTrips / roundTrips', () => {
  it('lists closed round trips newest first with their exit reasons; the iterator walks every page', async () => {
    const client = await trader()
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'BTCUSDT']) {
      await client.executeTrade({ symbol, side: 'buy', type: 'market', quantity: 0.01 })
      ctx.clock.advance(30_000)
      await client.executeTrade({ symbol, side: 'sell', type: 'market', quantity: 0.01 })
      ctx.clock.advance(1_000)
    }
    await client.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.01 })
    await client.closeAllPositions()
    const page = await client.listRoundTrips({ limit: 2 })
    expect(page).toMatchObject({ total_count: 4, limit: 2, offset: 0, has_more: true })
    expect(page.round_trips.map((t) => [t.symbol, t.exit_reason])).toEqual([
      ['ETHUSDT', 'MANUAL'],
      ['BTCUSDT', 'SIGNAL'],
    ])
    const all: RoundTrip[] = []
    for await (const t of client.roundTrips({ limit: 3 })) all.push(t)
    expect(all.map((t) => t.exit_reason)).toEqual(['MANUAL', 'SIGNAL', 'SIGNAL', 'SIGNAL'])
    expect(all.slice(1).every((t) => t.duration_seconds === 30)).toBe(true)
    expect((await client.listRoundTrips({ symbol: 'BTCUSDT' })).round_trips).toHaveLength(2)
  })
})
