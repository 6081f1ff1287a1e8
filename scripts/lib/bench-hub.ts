// The real services and /v1/ws hub on loopback for the streaming benchmarks, with the market's ticks
// driven by the bench (a fixed schedule) instead of the simulated market's own timer.
import { loadEnv } from '../../packages/server/src/config'
import { systemClock } from '../../packages/server/src/core'
import { startServer } from '../../packages/server/src/http-server'
import { createSimulatedMarket, type MarketData, type TickListener } from '../../packages/server/src/market'
import { createLogger } from '../../packages/server/src/observability'
import { createServices } from '../../packages/server/src/services'

/** Start the hub; `listeners` are the hub's tick listeners the bench calls with its ticks. */
export async function startBenchHub() {
  const env = loadEnv({
    ...process.env,
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'warn',
    MARKET_HISTORY_DAYS: '1',
    RATE_LIMIT_ENABLED: 'false',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  })
  // The simulated market for everything but ticks.
  const sim = createSimulatedMarket({ clock: systemClock, seed: env.MARKET_SEED, historyDays: env.MARKET_HISTORY_DAYS })
  const listeners = new Set<TickListener>()
  const market: MarketData = {
    ...sim,
    onTick(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
  }
  const services = createServices(env, { clock: systemClock, market, logger: createLogger('warn') })
  const server = await startServer(services, 0, '127.0.0.1')
  /** `count` read_market_data tokens (one per client, or one per 10 clients to exercise the per-token limit). */
  const tokens = async (count: number): Promise<string[]> => {
    const out: string[] = []
    for (let i = 0; i < count; i++) out.push((await services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, `bench${i}`, ['read_market_data'], 3600)).token)
    return out
  }
  return { services, server, market, listeners, tokens }
}
