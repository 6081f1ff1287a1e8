import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../api'
import type { Scope } from '../auth'
import { loadEnv } from '../config'
import { ManualClock } from '../core'
import { listen, type RunningServer } from '../http-server'
import { createLogger } from '../observability'
import { bootstrapCredentials, createServices, type AppServices } from '../services'
import { closeDatabase } from '../store'
import { contractFetch, createTestContext, type TestContext } from '../testing'
import { killAll, missingPythonModules, prepare, readSeed, runCurl, SEED_000, startNode, startPython, type SnippetId } from '.'

// Seed 000's own client examples — the complete trading bot, the data analyzer, the WebSocket
// clients, the rate limiter and backoff snippets, the curl commands — cut out of the seed at run
// time, patched only where the snippet itself is wrong (patches.ts), with the base URL and tokens
// substituted, run against real servers on ephemeral ports.

const seed = readSeed()
if (seed === undefined) console.warn(`seed-examples: SKIPPED: seed 000 not found at ${SEED_000}`)
const PYTHON_MODULES = ['requests', 'websocket', 'pandas', 'matplotlib', 'tenacity']
const missing = seed === undefined ? [] : missingPythonModules(PYTHON_MODULES)
if (missing.length > 0)
  console.warn(
    `seed-examples: SKIPPING the Python examples that need ${missing.join(', ')}: /usr/bin/python3 cannot import ` +
      `${missing.length === 1 ? 'it' : 'them'}. Install the Debian packages (apt-get install python3-requests ` +
      'python3-websocket python3-pandas python3-matplotlib python3-tenacity; .ci/run does so as root).',
  )
/** True when a module the example imports is missing (the test is then skipped, with the warning above). */
const lacks = (...modules: string[]): boolean => modules.some((m) => missing.includes(m))

const ALL_SCOPES: Scope[] = ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics']
const cfetch = contractFetch((req) => globalThis.fetch(req))

/** `fn` every `ms` until the returned function is called. */
function every(ms: number, fn: () => void): () => void {
  const t = setInterval(fn, ms)
  return () => clearInterval(t)
}

/**
 * A server whose manual clock starts at `start` instead of the test epoch: the data analyzer asks
 * for "the last 30 days" by the machine's clock (`datetime.now()`), so the server's trades and
 * candles must lie in that window.
 */
async function serverAt(start: number): Promise<{ clock: ManualClock; services: AppServices; server: RunningServer; close(): Promise<void> }> {
  const env = loadEnv({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', MARKET_HISTORY_DAYS: '3', RATE_LIMIT_ENABLED: 'false' })
  const clock = new ManualClock(start)
  const services = createServices(env, { clock, logger: createLogger('silent') })
  await bootstrapCredentials(services)
  const server = await listen(createApp(services), 0, '127.0.0.1', { hub: services.stream })
  return {
    clock,
    services,
    server,
    async close() {
      await server.close()
      await services.stream.close()
      services.market.stop()
      closeDatabase(services.db)
    },
  }
}

async function tokenOf(services: AppServices, user: string, scopes = ALL_SCOPES, ttl = 30 * 86_400): Promise<string> {
  const pair = await services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, user, scopes, ttl)
  return pair.token
}

interface LoggedTrade {
  symbol: string
  signal: { action: 'buy' | 'sell'; stop_loss: number; take_profit: number }
  trade_result: {
    status: string
    side: string
    quantity: number
    requested_quantity: number
    stop_loss: number | null
    take_profit: number | null
    adjustments: Array<{ field: string; requested: number; applied: number }>
  }
}

/** `x` on the grid of `step` (a power of ten), rounded `down` or up, without binary noise. */
function onGrid(x: number, step: number, direction: 'down' | 'up'): number {
  const decimals = Math.max(0, Math.round(-Math.log10(step)))
  const units = x * 10 ** decimals
  const n = direction === 'down' ? Math.floor(units + 1e-9) : Math.ceil(units - 1e-9)
  return Number((n / 10 ** decimals).toFixed(decimals))
}

describe.skipIf(seed === undefined)("seed 000's client examples against a real server", () => {
  const text = seed ?? ''
  /** The market server: the test epoch's simulated market, moving 1 s every 250 ms (like `npm start`, 4× faster). */
  let market: TestContext
  let marketServer: RunningServer
  let stopMarket = (): void => {}
  const at = (id: SnippetId, tokens: Record<string, string> = {}, extra = '') =>
    prepare(text, id, { origin: marketServer.url, tokens }, { append: extra })

  beforeAll(async () => {
    market = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
    marketServer = await market.listen()
    stopMarket = every(250, () => {
      market.clock.advance(1000)
      market.services.market.advance()
    })
  })
  afterAll(async () => {
    stopMarket()
    await killAll()
    await market?.close()
  })

  describe('Integration Examples', () => {
    it.skipIf(lacks('requests', 'websocket'))(
      'the complete trading bot subscribes, places orders sized as the seed sizes them, and closes them on Ctrl-C',
      async () => {
        const token = await market.token(ALL_SCOPES, 'seed-bot')
        const bot = startPython('the trading bot', at('trading-bot', { YOUR_API_TOKEN: token }), { timeoutMs: 45_000 })
        // At the test epoch BTCUSDT shows a bullish CHoCH in a bullish trend and ETHUSDT the bearish
        // mirror: the seed's strategy buys the one and sells the other on their first market data.
        await bot.waitFor(/Position updated for BTCUSDT/, 20_000)
        await bot.waitFor(/Position updated for ETHUSDT/, 10_000)
        bot.signal('SIGINT') // the seed's own way out: KeyboardInterrupt → bot.stop() closes every position
        const run = await bot.done()
        expect(run.output).toMatch(/Stopping bot\.\.\./)
        expect(run.output).toMatch(/Closed position for BTCUSDT/)
        expect(run.output).toMatch(/Closed position for ETHUSDT/)
        expect(run.output).not.toMatch(/^ERROR:/m)
        expect(run.output).not.toMatch(/Traceback/)
        expect(run).toMatchObject({ code: 0, timedOut: false })

        const trades = [...run.output.matchAll(/Trade logged: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as LoggedTrade)
        expect(trades.map((t) => `${t.symbol} ${t.signal.action}`).sort()).toEqual(['BTCUSDT buy', 'ETHUSDT sell'])
        for (const [i, t] of trades.entries()) {
          const { signal, trade_result: order } = t
          const buy = signal.action === 'buy'
          // The seed's exits: 2 % stop loss and 6 % take profit around the price it saw.
          const price = signal.stop_loss / (buy ? 0.98 : 1.02)
          expect(signal.take_profit / price).toBeCloseTo(buy ? 1.06 : 0.94, 12)
          // The seed's size: available_balance × risk_per_trade (0.02) / price; the first order sees the whole 10,000.
          const notional = order.requested_quantity * price
          if (i === 0) expect(notional / (10_000 * 0.02)).toBeCloseTo(1, 9)
          else expect(notional).toBeLessThanOrEqual(10_000 * 0.02 + 1e-6)
          // Normalised onto the instrument, never worse than asked, and said so.
          const inst = market.services.market.requireInstrument(t.symbol)
          expect(order).toMatchObject({ status: 'filled', side: signal.action })
          expect(order.quantity).toBe(onGrid(order.requested_quantity, inst.lotSize, 'down'))
          expect(order.stop_loss).toBe(onGrid(signal.stop_loss, inst.tickSize, buy ? 'up' : 'down'))
          expect(order.take_profit).toBe(onGrid(signal.take_profit, inst.tickSize, buy ? 'up' : 'down'))
          expect(order.adjustments).toContainEqual({ field: 'quantity', requested: order.requested_quantity, applied: order.quantity })
        }
        // Closed with the exact quantities the socket reported: nothing left open.
        const res = await cfetch(`${marketServer.url}/v1/positions`, { headers: { Authorization: `Bearer ${token}` } })
        expect(res.status).toBe(200)
        const { positions } = (await res.json()) as { positions: Array<{ status: string }> }
        expect(positions.filter((p) => p.status === 'open')).toEqual([])
      },
      60_000,
    )

    it.skipIf(lacks('requests', 'pandas', 'matplotlib'))(
      'the data analyzer prints its performance metrics, draws the equity curve and prints its market analysis',
      async () => {
        // Two days ago by the machine's clock, so "the last 30 days" of the analyzer contain it all.
        const wall = await serverAt(Date.now() - 2 * 86_400_000)
        try {
          const token = await tokenOf(wall.services, 'seed-analyst')
          const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
          // A round trip long, then one short, half an hour apart: fills with profit and loss.
          for (const side of ['buy', 'sell', 'sell', 'buy']) {
            const res = await cfetch(`${wall.server.url}/v1/trades`, {
              method: 'POST',
              headers: auth,
              body: JSON.stringify({ symbol: 'BTCUSDT', side, type: 'market', quantity: 0.01 }),
            })
            expect(res.status).toBe(201)
            wall.clock.advance(30 * 60_000)
            wall.services.market.advance()
          }
          const history = (await (await cfetch(`${wall.server.url}/v1/trades/history?symbol=BTCUSDT&limit=100`, { headers: auth })).json()) as {
            trades: Array<{ pnl: number }>
            total_count: number
          }
          const totalPnl = history.trades.reduce((s, t) => s + t.pnl, 0)

          const analyzer = startPython(
            'the data analyzer',
            prepare(text, 'data-analyzer', { origin: wall.server.url, tokens: { YOUR_API_TOKEN: token } }),
            { timeoutMs: 45_000 },
          )
          const run = await analyzer.done()
          expect(run.output).not.toMatch(/Traceback/)
          expect(run).toMatchObject({ code: 0, timedOut: false })
          const out = run.stdout
          expect(out).not.toMatch(/No trades found/)
          expect(out).toMatch(/^Trading Performance Analysis:$/m)
          expect(out).toMatch(new RegExp(`^total_trades: ${history.total_count}$`, 'm'))
          for (const key of ['winning_trades', 'losing_trades', 'win_rate', 'average_win', 'average_loss', 'profit_factor', 'sharpe_ratio', 'max_drawdown', 'gross_profit', 'gross_loss'])
            expect(out).toMatch(new RegExp(`^${key}: \\S+`, 'm'))
          expect(Number(/^total_pnl: (\S+)$/m.exec(out)?.[1])).toBeCloseTo(totalPnl, 6)
          // plot_equity_curve ran to plt.show() (a no-op on Agg), then the market analysis.
          expect(out).toMatch(/^Market Analysis:$/m)
          const price = Number(/^current_price: (\S+)$/m.exec(out)?.[1])
          expect(price).toBeGreaterThan(0)
          expect(out).toMatch(/^trend: (bullish|bearish|neutral)$/m)
          expect(out).toMatch(/^rsi: \d/m)
          expect(out).toMatch(/^rsi_signal: (oversold|overbought|neutral)$/m)
          expect(out).toMatch(/^volatility: \d/m)
          expect(out).toMatch(/^atr: \d/m)
          expect(out).toMatch(/^smc_analysis: \{'trend': '(bullish|bearish|neutral)'/m)
          expect(out).toMatch(/^recommendation: \{'action': '(buy|sell|hold)', 'confidence': [\d.]+, 'reasoning': \[/m)
        } finally {
          await wall.close()
        }
      },
      60_000,
    )
  })

  describe('WebSocket API', () => {
    it.skipIf(lacks('websocket'))('the Python WebSocket client receives market data, and disconnects on Ctrl-C', async () => {
      const token = await market.token(['read_market_data', 'read_trades'], 'seed-ws-py')
      const client = startPython('the Python WebSocket client', at('ws-python', { YOUR_API_TOKEN: token }), { timeoutMs: 30_000 })
      await client.waitFor(/^Connected to SMC WebSocket API$/m, 10_000)
      const [line] = await client.waitFor(/^Market data update: \{'symbol': 'BTCUSDT', 'price': [\d.]+, 'bid': [\d.]+, 'ask': [\d.]+.*$/m, 10_000)
      expect(line).toMatch(/'volume_24h': [\d.]+, 'change_24h': -?[\d.]+/)
      // Market data can arrive while the main thread is still in subscribe('trades'), outside the
      // snippet's try/except KeyboardInterrupt: give it a moment to reach its keep-alive loop.
      await new Promise((r) => setTimeout(r, 500))
      client.signal('SIGINT') // KeyboardInterrupt → ws_client.disconnect(), then the script ends
      // Its on_close ("WebSocket connection closed") runs on a daemon thread that the ending main
      // thread may cut short, so the clean exit is the test: a 0, no traceback.
      const run = await client.done()
      expect([run.code, run.signal]).toEqual([0, null])
      expect(run.output).not.toMatch(/Traceback|WebSocket error/)
    }, 40_000)

    it('the JavaScript WebSocket client receives market data (node, its WebSocket global)', async () => {
      const token = await market.token(['read_market_data', 'read_trades'], 'seed-ws-js')
      const client = startNode('the JavaScript WebSocket client', at('ws-javascript', { YOUR_API_TOKEN: token }), { timeoutMs: 30_000 })
      await client.waitFor(/^Connected to SMC WebSocket API$/m, 10_000)
      await client.waitFor(/^Market data update: \{\s*symbol: 'BTCUSDT',\s*price: [\d.]+,\s*bid: [\d.]+,\s*ask: [\d.]+/m, 10_000)
      client.signal('SIGTERM') // its onclose reconnects forever, as the seed says
      const run = await client.done()
      expect(run.output).not.toMatch(/WebSocket error|TypeError|ReferenceError|InvalidStateError/)
    }, 40_000)
  })

  describe('Rate limiting and error handling', () => {
    /** A server enforcing a burst of 2 requests a second, its clock following the real one. */
    let limited: TestContext
    let limitedServer: RunningServer
    let stopClock = (): void => {}
    beforeAll(async () => {
      limited = await createTestContext({ RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_BURST_PER_SECOND: '2', RATE_LIMIT_PER_MINUTE: '1000' })
      limitedServer = await limited.listen()
      const [real0, clock0] = [Date.now(), limited.clock.now()]
      stopClock = every(10, () => {
        limited.clock.set(clock0 + (Date.now() - real0))
        limited.services.market.advance()
      })
    })
    afterAll(async () => {
      stopClock()
      await limited?.close()
    })

    it.skipIf(lacks('requests'))(
      "the Python rate limiter keeps a client under the server's limit; the same burst without it meets 429",
      async () => {
        const token = await limited.token(['read_market_data'], 'seed-limiter')
        // Test driver (not from the seed): the snippet's limiter sized to the server's burst, with a margin for the clocks.
        const driver = [
          '',
          '# ---- test driver ----',
          "URL = 'http://localhost:8000/v1/market-data/BTCUSDT'",
          "HEADERS = {'Authorization': 'Bearer YOUR_API_TOKEN'}",
          'rate_limiter = RateLimiter(max_requests=2, time_window=1.2)',
          't0 = time.time()',
          'codes = [make_rate_limited_request(URL, HEADERS).status_code for _ in range(6)]',
          "print('limited:', codes, round(time.time() - t0, 2))",
          "print('unlimited:', [requests.get(URL, headers=HEADERS).status_code for _ in range(4)])",
          '',
        ].join('\n')
        const code = prepare(text, 'rate-limiter', { origin: limitedServer.url, tokens: { YOUR_API_TOKEN: token } }, { append: driver })
        const run = await startPython('the rate limiter', code, { timeoutMs: 30_000 }).done()
        expect(run.output).not.toMatch(/Traceback/)
        expect(run.code).toBe(0)
        const [, codes, seconds] = /^limited: \[([\d, ]+)\] ([\d.]+)$/m.exec(run.stdout) ?? []
        expect(codes).toBe('200, 200, 200, 200, 200, 200')
        expect(Number(seconds)).toBeGreaterThanOrEqual(2.4) // it waited: 2 requests per 1.2 s
        expect(/^unlimited: \[(.*)\]$/m.exec(run.stdout)?.[1]).toContain('429')
      },
      40_000,
    )

    it.skipIf(lacks('requests', 'tenacity'))(
      'the error-handling practices: inputs validated, a 429 waited out by its Retry-After, a 429 retried with exponential backoff',
      async () => {
        const token = await limited.token(['read_market_data', 'read_trades', 'write_trades', 'read_risk_metrics'], 'seed-backoff')
        // Test driver (not from the seed): calls the section's three functions against the limited server.
        const driver = [
          '',
          '# ---- test driver ----',
          "BASE = 'http://localhost:8000/v1'",
          "HEADERS = {'Authorization': 'Bearer YOUR_API_TOKEN', 'Content-Type': 'application/json'}",
          "validate_trade_request('BTCUSDT', 0.001, 'buy')",
          'try:',
          "    validate_trade_request('', -1, 'hold')",
          'except ValueError as e:',
          "    print('validation:', e)",
          'codes = []',
          'while True:',
          "    r = requests.get(BASE + '/market-data/BTCUSDT', headers=HEADERS)",
          '    codes.append(r.status_code)',
          '    if handle_rate_limit(r):',
          '        break',
          "r = requests.get(BASE + '/market-data/BTCUSDT', headers=HEADERS)",
          "print('rate limited:', codes, 'then', r.status_code)",
          '# Spend the burst, then place an order: its first attempt meets 429 (a second may tick over in between: try again).',
          'for _ in range(3):',
          "    while requests.get(BASE + '/market-data/BTCUSDT', headers=HEADERS).status_code != 429:",
          '        pass',
          "    order = make_api_request(BASE + '/trades', HEADERS, {'symbol': 'BTCUSDT', 'side': 'buy', 'type': 'market', 'quantity': 0.001})",
          "    attempts = make_api_request.retry.statistics['attempt_number']",
          '    if attempts > 1:',
          '        break',
          "print('backoff:', attempts, order['status'], order['quantity'])",
          '',
        ].join('\n')
        const code = prepare(text, 'error-handling', { origin: limitedServer.url, tokens: { YOUR_API_TOKEN: token } }, { append: driver })
        const run = await startPython('the error-handling practices', code, { timeoutMs: 40_000 }).done()
        expect(run.output).not.toMatch(/Traceback/)
        expect(run.code).toBe(0)
        expect(run.stdout).toMatch(/^validation: Validation errors: Invalid symbol, Invalid quantity, Invalid side$/m)
        expect(run.stdout).toMatch(/^Rate limit exceeded\. Retrying after 1 seconds\.\.\.$/m)
        expect(run.stdout).toMatch(/^rate limited: \[(200, )+429\] then 200$/m)
        expect(run.stdout).toMatch(/^backoff: 2 filled 0\.001$/m)
      },
      50_000,
    )
  })

  describe('Authentication', () => {
    it('"1. Generate API Key" with the seed\'s own Authorization header: 200 with token, expires_at and permissions', async () => {
      const before = market.clock.now()
      const r = await runCurl(at('curl-generate-token', { YOUR_API_TOKEN: market.adminToken }))
      const after = market.clock.now()
      expect(r.status, r.body).toBe(200)
      const body = JSON.parse(r.body) as { token: string; expires_at: string; permissions: string[] }
      expect(body.token).toMatch(/^eyJ/)
      // "expires_in": 3600
      expect(Date.parse(body.expires_at)).toBeGreaterThanOrEqual(before - 1000 + 3600_000)
      expect(Date.parse(body.expires_at)).toBeLessThanOrEqual(after + 3600_000)
      expect(body.permissions).toEqual(['read_trades', 'write_trades'])
    })

    it('"1. Generate API Key" exactly as written (no credential): 401 naming the header to send', async () => {
      const r = await runCurl(prepare(text, 'curl-generate-token', { origin: marketServer.url }, { patched: false }))
      expect(r.status, r.body).toBe(401)
      const { error } = JSON.parse(r.body) as { error: { code: string; message: string; details: { missing_header?: string } } }
      expect(error.code).toBe('AUTHENTICATION_FAILED')
      expect(error.details.missing_header).toBe('X-API-Key')
      expect(error.message).toMatch(/X-API-Key/)
    })

    it('"2. Refresh Token": 200 with a new access token', async () => {
      const issued = await market.services.auth.generate({ userId: 'admin', scopes: ['admin_full'] }, 'user123', ['read_trades'], 3600)
      const r = await runCurl(at('curl-refresh-token', { YOUR_REFRESH_TOKEN: issued.refresh_token }))
      expect(r.status, r.body).toBe(200)
      const body = JSON.parse(r.body) as { token: string; refresh_token: string }
      expect(body.token).toMatch(/^eyJ/)
      expect(body.refresh_token).not.toBe(issued.refresh_token)
    })

    it.skipIf(lacks('requests'))('the Authentication Examples (Python, JavaScript, cURL) get 200 from GET /v1/trades', async () => {
      const token = await market.token(['read_trades'], 'user123')
      const py = await startPython('the Python example', at('auth-python', { YOUR_API_TOKEN: token }, "\nprint('HTTP status', response.status_code)\n")).done()
      // Test harness (not from the seed): report the status of the snippet's fetch.
      const statusProbe = "const __fetch = fetch;\nglobalThis.fetch = async (...a) => { const r = await __fetch(...a); console.log('HTTP status', r.status); return r; };\n"
      const js = await startNode('the JavaScript example', statusProbe + at('auth-javascript', { YOUR_API_TOKEN: token })).done()
      const curl = await runCurl(at('auth-curl', { YOUR_API_TOKEN: token }))
      expect({ python: /HTTP status (\d+)/.exec(py.output)?.[1], javascript: /HTTP status (\d+)/.exec(js.output)?.[1], curl: String(curl.status) }, curl.body).toEqual({
        python: '200',
        javascript: '200',
        curl: '200',
      })
    })
  })
})
