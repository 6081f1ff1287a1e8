import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrderWaitTimeoutError, SMCApiError, SMCClient, type ClientOptions, type RequestEventInfo, type ResponseEventInfo, type RetryEventInfo } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// Issue 20's SDK conveniences, end to end against a real server on an ephemeral port (every
// response checked against the contract on the way).
let ctx: TestContext
let server: RunningServer
let user = 0
const fetch = contractFetch((req) => globalThis.fetch(req))
beforeAll(async () => {
  ctx = await createTestContext({ PAPER_INITIAL_BALANCE: '100000' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const SCOPES = ['read_trades', 'write_trades', 'read_market_data'] as const
async function trader(options: ClientOptions = {}): Promise<{ client: SMCClient; token: string }> {
  const token = await ctx.token([...SCOPES], `conv${++user}`)
  return { client: new SMCClient(token, { baseUrl: server.url, fetch, retry: false, ...options }), token }
}
const below = (symbol: string, pct: number): number => {
  const p = ctx.services.market.ticker(symbol).price
  return Math.round(p * (1 - pct / 100) * 100) / 100
}

describe('cancelAllOrders', () => {
  it('cancels the open orders of one symbol, then of every symbol; nothing open is an empty answer', async () => {
    const { client } = await trader()
    const limit = (symbol: string) => client.executeTrade({ symbol, side: 'buy', type: 'limit', quantity: 0.01, price: below(symbol, 10), time_in_force: 'GTC' })
    const [b1, b2, e1] = [await limit('BTCUSDT'), await limit('BTCUSDT'), await limit('ETHUSDT')]
    const btc = await client.cancelAllOrders({ symbol: 'btcusdt' })
    expect(btc.symbol).toBe('BTCUSDT')
    expect(btc.cancelled_count).toBe(2)
    expect(btc.orders.map((o) => o.order_id).sort()).toEqual([b1.order_id, b2.order_id].sort())
    expect(btc.orders.every((o) => o.status === 'cancelled')).toBe(true)
    expect((await client.listOrders({ status: 'open' })).orders.map((o) => o.order_id)).toEqual([e1.order_id])
    const rest = await client.cancelAllOrders()
    expect([rest.cancelled_count, rest.symbol, rest.orders[0]?.order_id]).toEqual([1, null, e1.order_id])
    expect(await client.cancelAllOrders()).toEqual({ cancelled_count: 0, orders: [], symbol: null })
  })

  it('only touches the caller’s orders, and needs write_trades', async () => {
    const a = await trader()
    const b = await trader()
    await a.client.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: 0.01, price: below('BTCUSDT', 10), time_in_force: 'GTC' })
    expect((await b.client.cancelAllOrders()).cancelled_count).toBe(0)
    expect((await a.client.listOrders({ status: 'open' })).orders).toHaveLength(1)
    const reader = new SMCClient(await ctx.token(['read_trades'], 'reader'), { baseUrl: server.url, fetch, retry: false })
    const err = await reader.cancelAllOrders().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect((err as SMCApiError).status).toBe(403)
  })
})

describe('closeAllPositions', () => {
  it('closes every position at market (their linked exits cancelled with cancel_orders), reports each, leaves nothing open', async () => {
    const { client } = await trader()
    await client.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.02, stop_loss: below('BTCUSDT', 5) })
    await client.executeTrade({ symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: 0.5 })
    await client.executeTrade({ symbol: 'SOLUSDT', side: 'buy', type: 'limit', quantity: 1, price: below('SOLUSDT', 10), time_in_force: 'GTC' })
    expect((await client.getPositions()).positions).toHaveLength(2)
    const r = await client.closeAllPositions({ cancel_orders: true })
    expect(r.closed_count).toBe(2)
    expect(r.positions_open).toBe(0)
    expect(r.denied).toEqual([])
    const bySymbol = Object.fromEntries(r.closed.map((c) => [c.symbol, c]))
    expect(bySymbol.BTCUSDT).toMatchObject({ side: 'long', quantity: 0.02, flat: true, order: { side: 'sell', type: 'market', status: 'filled' } })
    expect(bySymbol.ETHUSDT).toMatchObject({ side: 'short', quantity: 0.5, flat: true, order: { side: 'buy', status: 'filled' } })
    // The stop loss and the SOL limit were cancelled first.
    expect(r.cancelled_orders).toHaveLength(2)
    expect((await client.listOrders({ status: 'open' })).orders).toEqual([])
    expect((await client.getPositions()).positions).toEqual([])
    const closed = await client.getPositions({ status: 'closed' })
    for (const c of r.closed) expect(closed.positions.find((p) => p.id === c.position_id)?.realized_pnl).toBeCloseTo(c.realized_pnl, 8)
    expect(await client.closeAllPositions()).toEqual({ closed_count: 0, closed: [], denied: [], cancelled_orders: [], positions_open: 0 })
  })

  it('with a symbol, closes only that one and keeps resting orders without cancel_orders', async () => {
    const { client } = await trader()
    await client.executeTrade({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01, stop_loss: below('BTCUSDT', 5) })
    await client.executeTrade({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.1 })
    const r = await client.closeAllPositions({ symbol: 'ETHUSDT' })
    expect(r.closed.map((c) => c.symbol)).toEqual(['ETHUSDT'])
    expect(r.cancelled_orders).toEqual([])
    expect((await client.getPositions()).positions.map((p) => p.symbol)).toEqual(['BTCUSDT'])
    expect((await client.listOrders({ status: 'open' })).orders.map((o) => o.link_type)).toEqual(['stop_loss'])
  })
})

describe('submitAndWait', () => {
  it('resolves a market order filled', async () => {
    const { client } = await trader()
    const o = await client.submitAndWait({ symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 }, { timeoutMs: 5_000 })
    expect(o.status).toBe('filled')
  })

  it('is woken by the stream: a resting order cancelled elsewhere resolves at once (polling set to a minute)', async () => {
    const { client, token } = await trader()
    const other = new SMCClient(token, { baseUrl: server.url, retry: false })
    const started = Date.now()
    const waiting = client.submitAndWait(
      { symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: 0.01, price: below('BTCUSDT', 10), time_in_force: 'GTC' },
      { timeoutMs: 20_000, pollIntervalMs: 60_000 },
    )
    let open: string | undefined
    for (let i = 0; i < 100 && open === undefined; i++) {
      open = (await other.listOrders({ status: 'open' })).orders[0]?.order_id
      if (open === undefined) await new Promise((r) => setTimeout(r, 10))
    }
    await other.cancelOrder(open!)
    const done = await waiting
    expect([done.order_id, done.status]).toEqual([open, 'cancelled'])
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('falls back to polling without a stream', async () => {
    const { client, token } = await trader()
    const other = new SMCClient(token, { baseUrl: server.url, retry: false })
    const waiting = client.submitAndWait(
      { symbol: 'ETHUSDT', side: 'buy', type: 'limit', quantity: 0.1, price: below('ETHUSDT', 10), time_in_force: 'GTC' },
      { timeoutMs: 20_000, pollIntervalMs: 20, stream: false },
    )
    let open: string | undefined
    for (let i = 0; i < 100 && open === undefined; i++) {
      open = (await other.listOrders({ status: 'open' })).orders[0]?.order_id
      if (open === undefined) await new Promise((r) => setTimeout(r, 10))
    }
    await other.cancelOrder(open!)
    expect((await waiting).status).toBe('cancelled')
  })

  it('times out with a typed error carrying the order id; the order stays open', async () => {
    const { client } = await trader()
    const err = await client
      .submitAndWait({ symbol: 'BTCUSDT', side: 'sell', type: 'limit', quantity: 0.01, price: below('BTCUSDT', -20), time_in_force: 'GTC' }, { timeoutMs: 300, pollIntervalMs: 50 })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OrderWaitTimeoutError)
    expect(err).toBeInstanceOf(SMCApiError)
    const e = err as OrderWaitTimeoutError
    expect([e.code, e.order.status]).toEqual(['TIMEOUT', 'new'])
    expect((await client.getOrder(e.orderId)).status).toBe('new')
  })

  it('rejects with the server error when the order is refused', async () => {
    const { client } = await trader()
    const order = { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 1_000 } as const
    const err = await client.submitAndWait(order).catch((e: unknown) => e)
    const plain = await client.executeTrade(order).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect(err).not.toBeInstanceOf(OrderWaitTimeoutError)
    expect([(err as SMCApiError).status, (err as SMCApiError).code]).toEqual([400, (plain as SMCApiError).code])
  })
})

describe('request hooks, redaction and rate-limit info', () => {
  it('request and response hooks see method, path, attempt, status, duration and the request id the server echoed; never the token', async () => {
    const lines: string[] = []
    const { client, token } = await trader({ debug: (l) => lines.push(l) })
    const requests: RequestEventInfo[] = []
    const responses: ResponseEventInfo[] = []
    const offReq = client.on('request', (r) => requests.push(r))
    client.on('response', (r) => responses.push(r))
    client.on('response', () => {
      throw new Error('a broken hook never fails the call')
    })
    expect(client.rateLimit).toBeNull()
    await client.getPositions({ status: 'open' })
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/positions?status=open', attempt: 1 })
    expect(requests[0]!.headers.authorization).toBe('Bearer ***')
    expect(responses[0]).toMatchObject({ method: 'GET', status: 200, request_id: requests[0]!.request_id })
    expect(responses[0]!.duration_ms).toBeGreaterThan(0)
    // The server logged and echoed the SDK's id.
    expect(requests[0]!.request_id).toMatch(/^sdk_/)
    expect(client.rateLimit).toEqual({ limit: 100, remaining: 99, reset: expect.any(Number) })
    expect(lines.length).toBe(2)
    expect(lines.join('\n')).not.toContain(token)
    expect(JSON.stringify([requests, responses])).not.toContain(token)
    offReq()
    await client.getAccount()
    expect(requests).toHaveLength(1)
  })

  it('the retry hook sees each retry with its reason and delay (a 503 from the network, then success)', async () => {
    let calls = 0
    const flaky = (req: Request): Promise<Response> => (++calls === 1 ? Promise.resolve(new Response('busy', { status: 503, headers: { 'retry-after': '0' } })) : fetch(req))
    const { client } = await trader({ fetch: flaky, retry: { baseDelayMs: 1, maxDelayMs: 2 } })
    const retries: RetryEventInfo[] = []
    const seen: RequestEventInfo[] = []
    client.on('retry', (r) => retries.push(r))
    client.on('request', (r) => seen.push(r))
    await client.getAccount()
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatchObject({ method: 'GET', path: '/v1/account', attempt: 1, status: 503, reason: 'HTTP 503' })
    expect(seen.map((r) => r.attempt)).toEqual([1, 2])
    expect(new Set(seen.map((r) => r.request_id)).size).toBe(1)
  })
})
