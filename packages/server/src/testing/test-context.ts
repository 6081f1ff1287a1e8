// Test-only: a whole server (all services, in-memory SQLite, simulated market, manual clock).
import { createApp, type App } from '../api'
import { loadEnv, type Env } from '../config'
import { ManualClock } from '../core'
import type { MarketData } from '../market'
import type { Scope } from '../auth'
import { listen, type RunningServer } from '../http-server'
import { bootstrapCredentials, createServices, type AppServices } from '../services'
import { closeDatabase } from '../store'
import { contractFetch } from './contract'

/** A fixed start time so every test run sees the same simulated market. */
export const TEST_EPOCH = Date.UTC(2024, 0, 15, 12, 0, 0)
export const TEST_DEMO_KEY = 'smc_demo_test_key_0123456789'
export const TEST_ADMIN_KEY = 'smc_admin_test_key_0123456789'

export interface TestContext {
  app: App
  services: AppServices
  clock: ManualClock
  adminToken: string
  /** `app.request` through the contract check: every response is validated. */
  request(path: string, init?: RequestInit): Promise<Response>
  /** A fresh access token for `user` with exactly `scopes`. */
  token(scopes: string[], user?: string): Promise<string>
  /** Request with `Authorization: Bearer <token>` and a JSON body when given. */
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>
  /** Serve the app and the /v1/ws hub on an ephemeral port (or `port`, e.g. to restart on the same one). */
  listen(opts?: { port?: number }): Promise<RunningServer>
  close(): Promise<void>
}

export interface TestContextOptions {
  /** Clock start (ms); default {@link TEST_EPOCH}. */
  epoch?: number
  /** Another market on the context's clock (a CSV replay, a live feed), instead of the simulated one. */
  market?: (clock: ManualClock) => MarketData | Promise<MarketData>
}

export async function createTestContext(envOverrides: Record<string, string> = {}, options: TestContextOptions = {}): Promise<TestContext> {
  const env: Env = loadEnv({
    DATABASE_URL: ':memory:',
    LOG_LEVEL: 'silent',
    MARKET_HISTORY_DAYS: '3',
    SMC_DEMO_API_KEY: TEST_DEMO_KEY,
    SMC_ADMIN_API_KEY: TEST_ADMIN_KEY,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...envOverrides,
  })
  const clock = new ManualClock(options.epoch ?? TEST_EPOCH)
  const market = options.market ? await options.market(clock) : undefined
  const services = createServices(env, { clock, market })
  const creds = await bootstrapCredentials(services)
  const app = createApp(services)
  const checked = contractFetch((req) => app.fetch(req))
  const servers: RunningServer[] = []
  const ctx: TestContext = {
    app,
    services,
    clock,
    adminToken: creds.adminToken,
    request: (path, init) => checked(new Request(new URL(path, 'http://test.local'), init)),
    async token(scopes, user = 'demo') {
      // Tests also ask for unknown scopes on purpose; the server must reject those tokens' use, not their issue.

      const pair = await services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, user, scopes as Scope[], 3600)
      return pair.token
    },
    call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) }
      if (opts.token) headers.Authorization = `Bearer ${opts.token}`
      if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
      return ctx.request(path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
      })
    },
    async listen(opts = {}) {
      const s = await listen(app, opts.port ?? 0, '127.0.0.1', { hub: services.stream })
      servers.push(s)
      return s
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()))
      await services.stream.close()
      services.market.stop()
      closeDatabase(services.db)
    },
  }
  return ctx
}
