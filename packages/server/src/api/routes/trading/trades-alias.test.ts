import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import contract from '../../../generated/openapi.json' with { type: 'json' }
import { createTestContext, type TestContext } from '../../../testing'

let ctx: TestContext
beforeEach(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
})
afterEach(() => ctx.close())

describe("GET /v1/trades (seed 000's path) is a deprecated alias of GET /v1/trades/history", () => {
  it('answers the same page', async () => {
    const token = await ctx.token(['read_trades', 'write_trades'])
    await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 } })
    const alias = await ctx.call('GET', '/v1/trades?symbol=BTCUSDT', { token })
    const canonical = await ctx.call('GET', '/v1/trades/history?symbol=BTCUSDT', { token })
    expect(alias.status).toBe(200)
    const body = await alias.json()
    expect(body.total_count).toBe(1)
    expect(body).toEqual(await canonical.json())
  })

  it('the contract declares it deprecated, otherwise identical', () => {
    const paths = contract.paths as unknown as Record<string, { get: Record<string, unknown> }>
    const { operationId, summary, description, deprecated, ...alias } = paths['/v1/trades']!.get
    const { operationId: id2, summary: s2, description: d2, ...canonical } = paths['/v1/trades/history']!.get
    expect([deprecated, operationId]).toEqual([true, `${id2}Alias`])
    expect(alias).toEqual(canonical)
  })
})
