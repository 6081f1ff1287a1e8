// Test-only: the whole app on a market whose prices a test plants (per-symbol 1m paths), so a
// take profit or a stop loss is hit on purpose, not by waiting for the random walk.
import { expect } from 'vitest'
import { createPlantedMarket, createSimulatedMarket, type PlantedMarket } from '../../../market'
import { createTestContext, type TestContext } from '../../../testing'

export interface PlantedContext {
  ctx: TestContext
  market: PlantedMarket
  token: string
  /** Move the clock `ms` forward in 1 s ticks: stops and resting exits see every price on the way. */
  play(ms: number): void
  /** A request as the trader; resolves with the status and the parsed body. */
  json(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>
  /** A market order as the trader (201 expected); resolves with the order. */
  trade(body: Record<string, unknown>): Promise<any>
  /** Plant one 1m candle from `open` through `low`/`high` to `close` (fractions of the price now). */
  move(symbol: string, f: { high: number; low: number; close: number }): number
}

export async function plantedContext(env: Record<string, string> = {}): Promise<PlantedContext> {
  let market!: PlantedMarket
  const ctx = await createTestContext(
    { RATE_LIMIT_ENABLED: 'false', PAPER_INITIAL_BALANCE: '100000', MARKET_HISTORY_DAYS: '1', ...env },
    { market: (clock) => (market = createPlantedMarket(createSimulatedMarket({ clock, seed: '42', historyDays: 1 }), clock)) },
  )
  const token = await ctx.token(['read_trades', 'write_trades', 'read_market_data'], 'rt-trader')
  const json = async (method: string, path: string, body?: unknown, t = token) => {
    const res = await ctx.call(method, path, { token: t, body })
    return { status: res.status, body: await res.json() }
  }
  return {
    ctx,
    market,
    token,
    play(ms) {
      const end = ctx.clock.now() + ms
      while (ctx.clock.now() < end) {
        ctx.clock.advance(1000)
        market.advance()
      }
    },
    json,
    async trade(body) {
      const r = await json('POST', '/v1/trades', body)
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      return r.body
    },
    move(symbol, f) {
      const p = market.ticker(symbol).price
      market.plant(symbol, [{ open: p, high: p * f.high, low: p * f.low, close: p * f.close }])
      return p
    },
  }
}
