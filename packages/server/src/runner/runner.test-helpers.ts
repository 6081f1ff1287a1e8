// Test-only: the runner over a whole test server (in-memory SQLite, simulated market, manual clock)
// and strategies written for tests.
import { z } from 'zod'
import { STRATEGIES } from '../strategies/registry'
import type { StrategyDefinition } from '../strategies/types'
import { createTestContext, type TestContext } from '../testing'
import { catalogOf } from './catalog'
import { createRunner, type Runner } from './runner'
import type { RunnerEventKind, StrategyCatalog } from './types'

const FlipParams = z.strictObject({
  risk_fraction: z.number().gt(0).max(0.1).default(0.002),
  stop_pct: z.number().gt(0).max(0.5).default(0.01),
})
type FlipParams = z.infer<typeof FlipParams>

/** Opens (long, or short for `flip_short`) when flat, closes when not: a round trip every two decisions. */
const flipOf = (name: string, side: 'long' | 'short'): StrategyDefinition<FlipParams> => ({
  name,
  description: 'test: open when flat, close when not',
  params: FlipParams,
  create: (p) => ({
    onCandle(ctx) {
      const close = ctx.candles.close[ctx.index]!
      if (ctx.account.position === null)
        return {
          action: 'open',
          side,
          type: 'market',
          stop_loss: side === 'long' ? close * (1 - p.stop_pct) : close * (1 + p.stop_pct),
          take_profit: null,
          reason: `flat at ${close}: open ${side}`,
          confidence: 0.7,
        }
      return { action: 'close', reason: 'not flat: close', confidence: 0.6 }
    },
  }),
})

/** Throws on every candle. */
export const thrower: StrategyDefinition<{ risk_fraction: number }> = {
  name: 'thrower',
  description: 'test: always throws',
  params: z.object({ risk_fraction: z.number().default(0.01) }),
  create: () => ({
    onCandle() {
      throw new Error('boom')
    },
  }),
}

/** Every candle time fed to any `counter` instance, by instance (symbol). */
export const fed = new Map<string, number[]>()
export const counter: StrategyDefinition<{ risk_fraction: number }> = {
  name: 'counter',
  description: 'test: holds, remembering each candle it is fed',
  params: z.object({ risk_fraction: z.number().default(0.01) }),
  create: (_p, setup) => {
    const times: number[] = []
    fed.set(`${setup.symbol}:${fed.size}`, times)
    return {
      onCandle(ctx) {
        if (ctx.index !== ctx.candles.close.length - 1) throw new Error('index is not the newest candle')
        times.push(ctx.candles.time[ctx.index]!)
        return { action: 'hold', reason: `seen ${times.length}`, confidence: 0 }
      },
    }
  },
}

export const flip = flipOf('flip', 'long')
export const flipShort = flipOf('flip_short', 'short')

export const TEST_STRATEGIES = catalogOf([...Object.values(STRATEGIES), flip, flipShort, thrower, counter] as StrategyDefinition[])

export interface RunnerContext {
  ctx: TestContext
  r: Runner
  events: { kind: RunnerEventKind; data: Record<string, unknown>; owner: string | null }[]
  minutes: { value: number }
  close(): Promise<void>
}

export async function runnerContext(opts: { interval?: number; maxAccountsPerUser?: number; strategies?: StrategyCatalog; executions?: boolean; checkpointEvery?: number } = {}): Promise<RunnerContext> {
  // The services' own runner stays idle: these tests drive their own (with test strategies).
  const ctx = await createTestContext({ SCHEDULER_ENABLED: 'false' })
  const s = ctx.services
  const events: RunnerContext['events'] = []
  const minutes = { value: opts.interval ?? 5 }
  const r = createRunner({
    db: s.db,
    clock: s.clock,
    market: s.market,
    settings: s.settings,
    risk: s.risk,
    execution: s.execution,
    events: s.events,
    strategies: opts.strategies ?? TEST_STRATEGIES,
    takerFeeBps: s.env.PAPER_TAKER_FEE_BPS,
    defaultInitialBalance: 10_000,
    intervalMinutes: () => minutes.value,
    maxAccountsPerUser: opts.maxAccountsPerUser,
    onEvent: (kind, data, owner) => events.push({ kind, data, owner }),
    ...(opts.executions ? { executions: s.executions, checkpointEvery: opts.checkpointEvery } : {}),
  })
  return {
    ctx,
    r,
    events,
    minutes,
    async close() {
      r.close()
      await ctx.close()
    },
  }
}

/** Move the clock and the market on by `minutes`, one minute at a time, ticking the scheduler (and awaiting its cycles). */
export async function runMinutes(rc: RunnerContext, minutes: number): Promise<number> {
  let cycles = 0
  for (let i = 0; i < minutes; i++) {
    rc.ctx.clock.advance(60_000)
    rc.ctx.services.market.advance()
    const p = rc.r.scheduler.tick()
    if (p) {
      cycles++
      await p
    }
  }
  return cycles
}
