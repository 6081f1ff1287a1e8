import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCApiError, SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, TEST_DEMO_KEY, type TestContext } from '../testing'

// The SDK exactly as a bot uses it, against a real server on an ephemeral port; every response is
// also checked against the contract.
let ctx: TestContext
let server: RunningServer
const fetch = contractFetch((req) => globalThis.fetch(req))
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const client = (token?: string) => new SMCClient(token, { baseUrl: server.url, fetch, retry: { baseDelayMs: 5 } })

describe('SMCClient against a real server', () => {
  it('gets a token with an API key, then reads market data', async () => {
    const pair = await client().generateToken({ user_id: 'demo', permissions: ['read_market_data'] }, { apiKey: TEST_DEMO_KEY })
    const c = client(pair.token)
    const ticker = await c.getMarketData('BTCUSDT')
    expect(ticker.symbol).toBe('BTCUSDT')
    const candles = await c.getOhlcv('BTCUSDT', { interval: '15m', limit: 10 })
    expect(candles.data).toHaveLength(10)
    const book = await c.getOrderBook('BTCUSDT', { limit: 5 })
    expect(book.bids).toHaveLength(5)
    expect(Number(book.bids[0]![0])).toBe(ticker.bid)
  })

  it('rotates tokens with refreshToken({ use: true })', async () => {
    const c = client()
    const pair = await c.generateToken({ user_id: 'demo', permissions: ['read_market_data'] }, { apiKey: TEST_DEMO_KEY })
    const next = await c.refreshToken(pair.refresh_token, { use: true })
    expect(next.token).not.toBe(pair.token)
    expect((await c.getMarketData('ETHUSDT')).symbol).toBe('ETHUSDT')
    const reuse = await c.refreshToken(pair.refresh_token).catch((e) => e)
    expect(reuse).toBeInstanceOf(SMCApiError)
    expect(reuse.status).toBe(401)
  })

  it('throws SMCApiError with status, code, details and request id', async () => {
    const c = client(await ctx.token(['read_market_data']))
    const err = await c.getMarketData('NOPE').catch((e) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect(err.status).toBe(400)
    expect(err.code).toBe('INVALID_SYMBOL')
    expect(err.details.symbol).toBe('NOPE')
    // The SDK names each call (X-Request-Id) and the server keeps that id.
    expect(err.requestId).toMatch(/^sdk_/)
    const denied = await c.getConfig().catch((e) => e)
    expect(denied.code).toBe('INSUFFICIENT_PERMISSIONS')
  })

  it('health, metrics and config', async () => {
    const admin = client(ctx.adminToken)
    expect((await admin.getHealth()).status).toBe('healthy')
    expect(await admin.getMetrics()).toContain('smc_api_requests_total')
    const cfg = await admin.updateConfig({ 'notifications.slack_enabled': true })
    expect(cfg.notifications.slack_enabled).toBe(true)
    expect((await admin.getConfig()).notifications.slack_enabled).toBe(true)
  })

  it('reports a refused connection as NETWORK_ERROR after its retries', async () => {
    const c = new SMCClient(undefined, { baseUrl: 'http://127.0.0.1:9', retry: { maxRetries: 1, baseDelayMs: 1 } })
    const err = await c.getHealth().catch((e) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect(err.code).toBe('NETWORK_ERROR')
  })
})

describe('SMCClient retries against the real rate limiter', () => {
  it('waits out a 429 (Retry-After) on GET and succeeds', async () => {
    const limited = await createTestContext({ RATE_LIMIT_BURST_PER_SECOND: '1' })
    try {
      // The test server runs on the manual clock: move it on when the client starts waiting.
      const s = await limited.listen()
      const counted: string[] = []
      const c = new SMCClient(await limited.token(['read_market_data']), {
        baseUrl: s.url,
        fetch: async (req) => {
          const res = await fetch(req)
          counted.push(`${req.method} ${res.status}`)
          if (res.status === 429) limited.clock.advance(1000)
          return res
        },
      })
      await c.getMarketData('BTCUSDT')
      await c.getMarketData('BTCUSDT')
      expect(counted).toEqual(['GET 200', 'GET 429', 'GET 200'])
      // POST is never retried: the 429 surfaces as an error.
      limited.clock.advance(1000)
      await c.generateToken({ user_id: 'demo', permissions: ['read_trades'] }, { apiKey: TEST_DEMO_KEY })
      const err = await c.generateToken({ user_id: 'demo', permissions: ['read_trades'] }, { apiKey: TEST_DEMO_KEY }).catch((e) => e)
      expect(err.code).toBe('RATE_LIMIT_EXCEEDED')
      expect(counted.slice(-2)).toEqual(['POST 200', 'POST 429'])
    } finally {
      await limited.close()
    }
  })

  it('retries an order with a client_order_id whose answer was lost, and gets the one order booked', async () => {
    const token = await ctx.token(['write_trades', 'read_trades'], 'lossy')
    let posts = 0
    // The network drops the answer of the first POST after the server has booked the order.
    const lossy = async (req: Request): Promise<Response> => {
      const res = await fetch(req)
      if (req.method === 'POST' && ++posts === 1) throw new TypeError('socket hang up')
      return res
    }
    const c = new SMCClient(token, { baseUrl: server.url, fetch: lossy, retry: { baseDelayMs: 5 } })
    const order = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.001, client_order_id: 'lost-answer-1' })
    expect(posts).toBe(2)
    expect(order).toMatchObject({ client_order_id: 'lost-answer-1', status: 'filled' })
    expect((await c.listOrders()).orders.map((o) => o.order_id)).toEqual([order.order_id])
    // Without a client_order_id a lost answer is not retried: it could hide a booked order.
    posts = 0
    const err = await c.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.001 }).catch((e) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect(err.code).toBe('NETWORK_ERROR')
    expect(posts).toBe(1)
  })
})
