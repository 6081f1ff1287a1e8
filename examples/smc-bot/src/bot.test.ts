import { execFile } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { SMCClient } from 'smc-trading-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../../packages/server/src/http-server'
import { contractFetch, createTestContext, TEST_DEMO_KEY, type TestContext } from '../../../packages/server/src/testing'
import { SmcBot, type Decision } from './bot'

// The bot against a real server on the deterministic test market (15m analysis at TEST_EPOCH:
// BTCUSDT has a confirmed bullish CHoCH with a bullish trend, ETHUSDT a bearish one).
const here = dirname(fileURLToPath(import.meta.url))
let ctx: TestContext
let server: RunningServer
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

// Every answer the bot gets is checked against the contract on the way.
const fetch = contractFetch((req) => globalThis.fetch(req))
let users = 0
async function botFor(symbols: string[]): Promise<{ bot: SmcBot; client: SMCClient; lines: string[] }> {
  const token = await ctx.token(['read_market_data', 'read_trades', 'write_trades', 'read_risk_metrics'], `bot${++users}`)
  const client = new SMCClient(token, { baseUrl: server.url, fetch, retry: false })
  const lines: string[] = []
  return { bot: new SmcBot(client, { symbols, interval: '15m', log: (l) => lines.push(l) }), client, lines }
}

describe('SmcBot', () => {
  it('opens with the signal, sized to 2 % of the balance on the lot grid, with SL/TP on the tick grid; then holds', async () => {
    const { bot, client, lines } = await botFor(['BTCUSDT', 'ETHUSDT'])
    const available = (await client.getAccount()).available_balance
    const decisions = await bot.cycle()
    expect(decisions.map((d) => [d.symbol, d.action])).toEqual([
      ['BTCUSDT', 'open'],
      ['ETHUSDT', 'open'],
    ])
    expect(lines).toHaveLength(2)
    for (const d of decisions) {
      const order = await client.getOrder(d.orderId!)
      const instrument = await client.getInstrument(d.symbol)
      const long = order.side === 'buy'
      expect(order).toMatchObject({ status: 'filled', type: 'market' })
      expect(Math.abs(order.quantity / instrument.lot_size - Math.round(order.quantity / instrument.lot_size))).toBeLessThan(1e-6)
      expect(order.quantity * order.average_price!).toBeCloseTo(available * 0.02, -1)
      const exits = (await client.listOrders({ symbol: d.symbol, status: 'open' })).orders
      expect(exits.map((o) => o.link_type).sort()).toEqual(['stop_loss', 'take_profit'])
      for (const o of exits) {
        const level = o.stop_price ?? o.price!
        expect(Math.abs(level / instrument.tick_size - Math.round(level / instrument.tick_size))).toBeLessThan(1e-6)
        const below = o.link_type === (long ? 'stop_loss' : 'take_profit')
        expect(level < order.average_price!).toBe(below)
      }
      const [p] = (await client.getPositions({ symbol: d.symbol, status: 'open' })).positions
      expect(p).toMatchObject({ side: long ? 'long' : 'short', quantity: order.quantity })
    }
    const again = await bot.cycle()
    expect(again.map((d) => d.action)).toEqual(['hold', 'hold'])
    expect(again[0]!.detail).toMatch(/holding long/)
    expect((await client.listOrders({ symbol: 'BTCUSDT', status: 'filled' })).orders).toHaveLength(1)
  })

  it('never trades one structure break twice, even after the position is gone', async () => {
    const { bot, client } = await botFor(['BTCUSDT'])
    const [first] = await bot.cycle()
    expect(first!.action).toBe('open')
    await bot.closeAll()
    expect((await client.getPositions({ status: 'open' })).positions).toEqual([])
    const [second] = await bot.cycle()
    expect(second).toMatchObject<Partial<Decision>>({ action: 'hold' })
    expect(second!.detail).toMatch(/already traded/)
    // A restarted bot (no memory of its orders) sends the same client order id a second later: the
    // server answers with the first order and the bot reports it instead of opening again.
    ctx.clock.advance(1000)
    const [third] = await new SmcBot(client, { symbols: ['BTCUSDT'], interval: '15m', log: () => {} }).cycle()
    expect(third).toMatchObject<Partial<Decision>>({ action: 'hold', orderId: first!.orderId })
    expect(third!.detail).toMatch(/already traded \(order /)
    expect((await client.listOrders({ symbol: 'BTCUSDT' })).orders.filter((o) => o.client_order_id?.startsWith('smc-bot-'))).toHaveLength(1)
  })

  it('waits out an administrator’s pause', async () => {
    const { bot } = await botFor(['BTCUSDT', 'ETHUSDT'])
    await ctx.call('POST', '/v1/admin/pause', { token: ctx.adminToken, body: { reason: 'maintenance', duration_seconds: 300 } })
    const paused = await bot.cycle()
    expect(paused.map((d) => d.action)).toEqual(['paused', 'paused'])
    expect(paused[0]!.detail).toMatch(/^maintenance \(until \d{4}-/)
    await ctx.call('POST', '/v1/admin/resume', { token: ctx.adminToken, body: {} })
    expect((await bot.cycle()).map((d) => d.action)).toEqual(['open', 'open'])
  })

  it('runs from the command line (one cycle) and fails clearly on a bad setting', async () => {
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(here, 'index.ts')], {
        env: { ...process.env, SMC_BASE_URL: server.url, SMC_API_KEY: TEST_DEMO_KEY, SMC_ONCE: '1', ...env },
        cwd: resolve(here, '..'),
      })
    const { stdout } = await run({ SMC_SYMBOLS: 'btcusdt, ethusdt' })
    expect(stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['BTCUSDT', 'open'],
      ['ETHUSDT', 'open'],
    ])
    const err = await run({ SMC_INTERVAL: '2m' }).catch((e) => e)
    expect(err.code).toBe(1)
    expect(err.stderr).toContain('SMC_INTERVAL must be one of')
  })
})
