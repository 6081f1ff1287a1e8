// The bot's suite as a bot author would write it: only smc-trading-sdk and smc-server/testing.
import { SMCClient } from 'smc-trading-sdk'
import { startTestServer, type TestServer } from 'smc-server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enterLong } from './bot'

let server: TestServer
let client: SMCClient
beforeAll(async () => {
  server = await startTestServer()
  const { token } = await new SMCClient(undefined, { baseUrl: server.baseUrl }).generateToken(
    { user_id: 'demo', permissions: ['read_market_data', 'read_trades', 'write_trades'] },
    { apiKey: server.apiKey },
  )
  client = new SMCClient(token, { baseUrl: server.baseUrl })
})
afterAll(() => server?.close())

describe('the protective-entry bot', () => {
  it('gets stopped out when the planted price path falls through its stop loss', async () => {
    const entry = await enterLong(client, { symbol: 'BTCUSDT', riskAmount: 50, stopPercent: 2 })
    expect(entry.status).toBe('filled')
    const price = entry.average_price!
    // A three-minute path down through the stop (2 % below), flat after.
    const path = server.market.plant('BTCUSDT', [
      { open: price, high: price * 1.002, low: price * 0.99, close: price * 0.992 },
      { open: price * 0.992, high: price * 0.993, low: price * 0.96, close: price * 0.965 },
      { open: price * 0.965, high: price * 0.97, low: price * 0.962, close: price * 0.968 },
    ])
    // Before the path's second minute nothing triggers: the position is still open.
    await server.setClock(path.from + 60_000)
    expect((await client.getPositions({ symbol: 'BTCUSDT', status: 'open' })).positions).toHaveLength(1)
    await server.setClock(path.to)
    const { orders } = await client.listOrders({ symbol: 'BTCUSDT', status: 'filled' })
    const stop = orders.find((o) => o.link_type === 'stop_loss')
    expect(stop, 'the stop loss filled').toBeDefined()
    expect(stop!.average_price!).toBeLessThanOrEqual(price * 0.98 + 1)
    expect((await client.getPositions({ symbol: 'BTCUSDT', status: 'open' })).positions).toHaveLength(0)
    // The take profit was the other leg of the pair: cancelled with the position.
    const tp = (await client.listOrders({ symbol: 'BTCUSDT', status: 'cancelled' })).orders.find((o) => o.link_type === 'take_profit')
    expect(tp).toBeDefined()
    // About the planned risk was lost (the stop fills at or below its price; fees on top).
    const account = await client.getAccount()
    expect(account.realized_pnl).toBeLessThan(-40)
    expect(account.realized_pnl).toBeGreaterThan(-80)
  })
})
