import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../../../http-server'
import { contractFetch, createTestContext, type TestContext } from '../../../testing'

// OHLCV beyond one page: forward pages from start_time with next_start_time, and the SDK's
// ohlcvHistory iterator over a 10,000-candle window, against a real server.
let ctx: TestContext
let server: RunningServer
let client: SMCClient
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '8' })
  server = await ctx.listen()
  client = new SMCClient(await ctx.token(['read_market_data']), { baseUrl: server.url, fetch: contractFetch((req) => fetch(req)), retry: false })
})
afterAll(() => ctx.close())

describe('OHLCV paging', () => {
  it('a page from start_time runs forward and names the next page; the last page names none', async () => {
    const [oldest] = ctx.services.market.candles('BTCUSDT', '1m', { startTime: 0, limit: 1, anchor: 'start' })
    const start = oldest!.time / 1000
    const page = await client.getOhlcv('BTCUSDT', { interval: '1m', start_time: start, limit: 1000 })
    expect(page.data).toHaveLength(1000)
    expect(page.data[0]!.timestamp).toBe(start)
    expect(page.next_start_time).toBe(start + 1000 * 60)
    const end = start + 1499 * 60
    const second = await client.getOhlcv('BTCUSDT', { interval: '1m', start_time: page.next_start_time!, end_time: end, limit: 1000 })
    expect(second.data).toHaveLength(500)
    expect(second.data.at(-1)!.timestamp).toBe(end)
    expect(second.next_start_time).toBeNull()
  })

  it('ohlcvHistory walks a 10,000-candle window: each candle once, ascending, equal to the market', async () => {
    const [oldest] = ctx.services.market.candles('BTCUSDT', '1m', { startTime: 0, limit: 1, anchor: 'start' })
    const start = oldest!.time / 1000
    const end = start + 9_999 * 60
    const seen = []
    for await (const k of client.ohlcvHistory('BTCUSDT', { interval: '1m', start_time: start, end_time: end })) seen.push(k)
    expect(seen).toHaveLength(10_000)
    seen.forEach((k, i) => expect(k.timestamp).toBe(start + i * 60))
    const direct = ctx.services.market.candles('BTCUSDT', '1m', { startTime: start * 1000, endTime: end * 1000, limit: 1000, anchor: 'start' })
    expect(seen.slice(0, 1000).map((k) => k.close)).toEqual(direct.map((k) => k.close))
    expect(seen.every((k) => k.closed)).toBe(true)
  })

  it('only the newest candle, still forming, is not closed', async () => {
    const { data } = await client.getOhlcv('BTCUSDT', { interval: '1h', limit: 5 })
    expect(data.map((k) => k.closed)).toEqual([true, true, true, true, false])
    const { data: minutes } = await client.getOhlcv('BTCUSDT', { interval: '1m', limit: 2 })
    expect(minutes.map((k) => k.closed)).toEqual([true, false])
  })
})
