// The published test server (`import { startTestServer } from 'smc-server/testing'`): the real
// server on an ephemeral port, in memory, on a clock and market the test drives. For bots' CI.
import type { Scope } from '../auth'
import { listen } from '../http-server'
import { createPlantedMarket, createSimulatedMarket, type PlantedCandle, type PlantedMarket, type PlantedPath } from '../market'
import { closeDatabase } from '../store'
import { createTestServices, TEST_EPOCH } from './test-services'

export type { PlantedCandle, PlantedPath } from '../market'

export interface TestServerOptions {
  /** Clock start: epoch ms, a Date or an ISO 8601 text. Default 2024-01-15T12:00:00Z. */
  start?: number | Date | string
  /** Market seed: same seed and start, same prices. Default `42`. */
  seed?: string
  /** Days of simulated 1m history before the start. Default 2 (a start well under a second). */
  historyDays?: number
  /** Port to listen on (default 0: a free one) and host (default 127.0.0.1). */
  port?: number
  host?: string
  /** Server settings (the environment variables of `smc-server`), e.g. `{ PAPER_INITIAL_BALANCE: '50000' }`. Rate limits are off unless set here. */
  env?: Record<string, string>
}

export interface TestServer {
  /** `http://127.0.0.1:<port>`: the SDK's `baseUrl`. */
  baseUrl: string
  /** `ws://127.0.0.1:<port>/v1/ws`. */
  wsUrl: string
  port: number
  /** The demo API key (trading scopes) and the admin API key (`admin_full`). */
  apiKey: string
  adminKey: string
  /** An access token for `user` (default `demo`) holding exactly `scopes`. */
  token(scopes: string[], user?: string): Promise<string>
  /** The server's clock (ms). It moves only through {@link TestServer.advance} and {@link TestServer.setClock}. */
  now(): number
  /**
   * Move the clock forward by `ms` in steps of `stepMs` (default 1000), the market ticking at each
   * step: stops, resting orders and the stream see every price on the way.
   */
  advance(ms: number, options?: { stepMs?: number }): Promise<void>
  /** Move the clock forward to `time` (ticking as {@link TestServer.advance} does); it never goes back. */
  setClock(time: number | Date | string, options?: { stepMs?: number }): Promise<void>
  market: {
    /** Tradable symbols. */
    symbols(): string[]
    /** Last price of a symbol. */
    price(symbol: string): number
    /** Advance by whole minutes (default 1). */
    step(minutes?: number): Promise<void>
    /** Plant a 1m price path for a symbol from the next minute on (see the returned times); advance to play it. */
    plant(symbol: string, candles: readonly PlantedCandle[]): PlantedPath
  }
  close(): Promise<void>
}

const toMs = (t: number | Date | string): number => {
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime()
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(t)}`)
  return ms
}

/**
 * Start the real SMC Trading server for a test: in-memory store, deterministic simulated market,
 * a manual clock, demo and admin keys, listening on a free port.
 *
 * @example
 * const server = await startTestServer()
 * const client = await SMCClient.fromApiKey(server.apiKey, { baseUrl: server.baseUrl })
 * server.market.plant('BTCUSDT', [{ open: 42000, high: 42100, low: 40000, close: 40500 }])
 * await server.advance(120_000)   // the path plays; a stop below 41000 has triggered
 * await server.close()
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let planted: PlantedMarket | undefined
  const { services, clock, creds, app } = await createTestServices(
    { RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: String(options.historyDays ?? 2), MARKET_SEED: options.seed ?? '42', ...options.env },
    {
      epoch: options.start === undefined ? TEST_EPOCH : toMs(options.start),
      market: (clk, env) => (planted = createPlantedMarket(createSimulatedMarket({ clock: clk, seed: env.MARKET_SEED, historyDays: env.MARKET_HISTORY_DAYS }), clk, env.MARKET_SEED)),
    },
  )
  const market = planted!
  const running = await listen(app, options.port ?? 0, options.host ?? '127.0.0.1', { hub: services.stream })
  const advanceTo = async (target: number, stepMs = 1000): Promise<void> => {
    if (!(stepMs > 0)) throw new RangeError('stepMs must be positive')
    if (target < clock.now()) throw new RangeError(`the clock never goes back (now ${new Date(clock.now()).toISOString()})`)
    while (clock.now() < target) {
      clock.set(Math.min(target, clock.now() + stepMs))
      market.advance()
    }
    // Let the stream's sends and other queued work run before the test looks.
    await new Promise((r) => setImmediate(r))
  }
  let closed = false
  return {
    baseUrl: running.url,
    wsUrl: running.wsUrl,
    port: running.port,
    apiKey: creds.demoApiKey,
    adminKey: creds.adminApiKey,
    async token(scopes, user = 'demo') {
      const pair = await services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, user, scopes as Scope[], 3600)
      return pair.token
    },
    now: () => clock.now(),
    advance: (ms, o = {}) => advanceTo(clock.now() + ms, o.stepMs),
    setClock: (time, o = {}) => advanceTo(toMs(time), o.stepMs),
    market: {
      symbols: () => market.symbols(),
      price: (symbol) => market.ticker(symbol).price,
      step: (minutes = 1) => advanceTo(clock.now() + minutes * 60_000),
      plant: (symbol, candles) => market.plant(symbol, candles),
    },
    async close() {
      if (closed) return
      closed = true
      await running.close()
      await services.stream.close()
      services.market.stop()
      closeDatabase(services.db)
    },
  }
}
