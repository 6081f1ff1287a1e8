// Test-only: a whole server (all services, in-memory SQLite, simulated market, manual clock).
import type { App } from '../api'
import type { ManualClock } from '../core'
import type { MarketData } from '../market'
import type { Scope } from '../auth'
import { listen, type RunningServer } from '../http-server'
import type { AppServices } from '../services'
import { closeDatabase } from '../store'
import { contractFetch } from './contract'
import { createTestServices } from './test-services'

export { TEST_EPOCH, TEST_DEMO_KEY, TEST_ADMIN_KEY } from './test-services'

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
  const { services, clock, creds, app } = await createTestServices(envOverrides, options)
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
      services.system.close()
      services.market.stop()
      closeDatabase(services.db)
    },
  }
  return ctx
}
