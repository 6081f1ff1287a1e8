// The whole server's services on an in-memory database and a manual clock: what the suite's test
// context and the published test server (smc-server/testing) are both built on.
import { createApp, type App } from '../api'
import { loadEnv, type Env } from '../config'
import { ManualClock } from '../core'
import type { MarketData } from '../market'
import { bootstrapCredentials, createServices, type AppServices, type BootstrapCredentials } from '../services'

/** A fixed start time so every test run sees the same simulated market. */
export const TEST_EPOCH = Date.UTC(2024, 0, 15, 12, 0, 0)
export const TEST_DEMO_KEY = 'smc_demo_test_key_0123456789'
export const TEST_ADMIN_KEY = 'smc_admin_test_key_0123456789'

export interface TestServicesOptions {
  /** Clock start (ms); default {@link TEST_EPOCH}. */
  epoch?: number
  /** Another market on the context's clock (a CSV replay, a live feed), instead of the simulated one. */
  market?: (clock: ManualClock, env: Env) => MarketData | Promise<MarketData>
}

export interface TestServices {
  env: Env
  clock: ManualClock
  services: AppServices
  creds: BootstrapCredentials
  app: App
}

export async function createTestServices(envOverrides: Record<string, string> = {}, options: TestServicesOptions = {}): Promise<TestServices> {
  const env: Env = loadEnv({
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'silent',
    // Tests change state and read health at once, on a clock that may not move.
    HEALTH_CACHE_MS: '0',
    MARKET_HISTORY_DAYS: '3',
    SMC_DEMO_API_KEY: TEST_DEMO_KEY,
    SMC_ADMIN_API_KEY: TEST_ADMIN_KEY,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...envOverrides,
  })
  const clock = new ManualClock(options.epoch ?? TEST_EPOCH)
  const market = options.market ? await options.market(clock, env) : undefined
  const services = createServices(env, { clock, market })
  const creds = await bootstrapCredentials(services)
  return { env, clock, services, creds, app: createApp(services) }
}
