import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen, type RunningServer } from '../http-server'
import { Proc, PYTHON, killAll, missingPythonModules, prepare, readSeed, repoRoot, snippets, startPython, substitute } from '../seed-examples'
import { createTestContext, TEST_DEMO_KEY, type TestContext } from '../testing'
import { contractCheckedApp, streamProxy, type StreamProxy } from '.'

// The Python SDK (clients/python, `smc_trading`) against a real server on an ephemeral port: its
// own suite (clients/python/tests, run by /usr/bin/python3 — Debian's interpreter, the one that sees
// the python3-* packages) and seed 000's SDK snippets, run as written but for the token and the
// base URL (SMC_BASE_URL). Every HTTP response the server gives them is checked against the
// contract, every stream frame (both ways) against smc-trading.ws.yaml, through a proxy.

const CLIENT_DIR = resolve(repoRoot, 'clients/python')
const SRC = resolve(CLIENT_DIR, 'src')
const OPTIONAL = ['websockets', 'pandas', 'pytest', 'requests', 'websocket', 'matplotlib']

function pythonProblem(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`
  const missing = missingPythonModules(['sys'])
  if (missing.length) return `${PYTHON} does not run`
  return undefined
}
const problem = pythonProblem()
const lacking = problem ? OPTIONAL : missingPythonModules(OPTIONAL)
if (problem) console.warn(`python-sdk: SKIPPED the Python SDK suite: ${problem} (install python3 ≥ 3.10).`)
else if (lacking.length)
  console.warn(
    `python-sdk: /usr/bin/python3 lacks ${lacking.join(', ')}: the Python SDK suite SKIPS the tests that need ` +
      `${lacking.length === 1 ? 'it' : 'them'} (apt-get install ${lacking.map((m) => `python3-${m}`).join(' ')}; .ci/run does so as root).` +
      (lacking.includes('pytest') ? ' Without pytest the suite runs under unittest.' : ''),
  )
const seed = readSeed()
if (!seed) console.warn('python-sdk: SKIPPED the seed 000 SDK snippets: seed 000 not found next to the project.')

const ALL_SCOPES = ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics']

/** Run a process to its end with a hard timeout. */
function run(name: string, args: string[], env: Record<string, string>, timeoutMs: number): Proc {
  const child = spawn(PYTHON, args, {
    cwd: CLIENT_DIR,
    env: { ...process.env, PYTHONPATH: SRC, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Proc(name, child, timeoutMs)
}

describe.skipIf(problem !== undefined)('the Python SDK against a real server', () => {
  let ctx: TestContext
  let server: RunningServer
  let proxy: StreamProxy
  let ticker: ReturnType<typeof setInterval> | undefined
  const failures: string[] = []
  const seen = { count: 0 }
  let env: Record<string, string>

  beforeAll(async () => {
    ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false' })
    server = await listen(contractCheckedApp(ctx.app, failures, seen), 0, '127.0.0.1', { hub: ctx.services.stream })
    proxy = await streamProxy(server.wsUrl, failures)
    // The simulated market moves a second every 250 ms, as `npm start` does (4× faster).
    ticker = setInterval(() => {
      ctx.clock.advance(1000)
      ctx.services.market.advance()
    }, 250)
    env = {
      SMC_BASE_URL: server.url,
      SMC_WS_URL: proxy.wsUrl,
      SMC_PROXY_URL: proxy.controlUrl,
      SMC_TOKEN: await ctx.token(ALL_SCOPES, 'py-sdk'),
      SMC_ADMIN_TOKEN: ctx.adminToken,
      SMC_API_KEY: TEST_DEMO_KEY,
    }
  })
  afterAll(async () => {
    if (ticker) clearInterval(ticker)
    await killAll()
    await proxy?.close()
    await server?.close()
    await ctx?.close()
  })

  it('passes its own suite (clients/python/tests), every response within the contract', async () => {
    const before = seen.count
    const runner = lacking.includes('pytest')
      ? ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v']
      : ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests']
    const r = await run('the Python SDK suite', runner, env, 150_000).done()
    if (r.code !== 0) console.log(r.output)
    expect(r).toMatchObject({ code: 0, timedOut: false })
    expect(r.output).not.toMatch(/\bFAILED\b|\bERROR\b(?!:root)/)
    expect(seen.count - before).toBeGreaterThan(20)
    expect(failures).toEqual([])
  }, 160_000)

  describe.skipIf(!seed)("seed 000's Python SDK snippets", () => {
    const text = seed ?? ''
    const snippet = (heading: string): string => {
      const found = snippets(text, { heading, lang: 'python' })
      if (found.length !== 1) throw new Error(`seed 000 has ${found.length} python blocks under "${heading}"`)
      return found[0]!
    }

    it.skipIf(lacking.includes('websockets'))(
      '"SDKs and Libraries" → Python SDK: positions, a market buy, market data, then trade updates from the stream',
      async () => {
        const token = await ctx.token(ALL_SCOPES, 'py-seed-usage')
        const code = substitute(snippet('Python SDK'), { origin: server.url, tokens: { YOUR_API_TOKEN: token } })
        const proc = startPython('seed 000 Python SDK usage', code, { env: { PYTHONPATH: SRC, SMC_BASE_URL: server.url }, timeoutMs: 40_000 })
        // The snippet ends subscribed to trade updates, listening: an order of its account is reported.
        const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
        let update: RegExpExecArray | undefined
        for (let i = 0; i < 40 && !update; i++) {
          await new Promise((r) => setTimeout(r, 500))
          if (i >= 2 && i % 2 === 0) {
            const res = await fetch(`${server.url}/v1/trades`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: 0.01 }),
            })
            expect(res.status).toBe(201)
          }
          update = /Trade update: (\{.*\})$/m.exec(proc.output) ?? undefined
          if (/Traceback/.test(proc.output)) break
        }
        proc.signal('SIGKILL')
        const out = await proc.done()
        expect(out.output).not.toMatch(/Traceback/)
        expect(update?.[1]).toMatch(/'symbol': '(BTC|ETH)USDT'/)
        // The snippet's own market buy of 0.1 BTCUSDT was booked for its account.
        const positions = (await (await fetch(`${server.url}/v1/positions?symbol=BTCUSDT`, { headers })).json()) as {
          positions: Array<{ side: string; quantity: number }>
        }
        expect(positions.positions[0]).toMatchObject({ side: 'long', quantity: 0.1 })
        expect(failures).toEqual([])
      },
      45_000,
    )

    // The seed's other Python examples talk to the API with requests and websocket-client, not the
    // SDK (seed-examples.test.ts checks what they print): here they run once more against the
    // checked server, so every answer they get is validated against the contract.
    it.skipIf(lacking.includes('websocket'))('"WebSocket Example (Python)" through the checking proxy', async () => {
      const token = await ctx.token(ALL_SCOPES, 'py-seed-ws')
      const code = prepare(text, 'ws-python', { origin: proxy.controlUrl, tokens: { YOUR_API_TOKEN: token } })
      const frames = proxy.frames
      const proc = startPython('seed 000 WebSocket example', code, { timeoutMs: 30_000 })
      await proc.waitFor(/^Connected to SMC WebSocket API$/m, 10_000)
      await proc.waitFor(/^Market data update: \{'symbol': 'BTCUSDT'/m, 10_000)
      proc.signal('SIGKILL')
      await proc.done()
      expect(proxy.frames - frames).toBeGreaterThan(2)
      expect(failures).toEqual([])
    }, 40_000)

    it.skipIf(lacking.some((m) => ['requests', 'pandas', 'matplotlib'].includes(m)))(
      '"Data Analysis Integration" against a checked server whose clock is the machine\'s',
      async () => {
        // Two days ago by the machine's clock: the analyzer asks for "the last 30 days".
        const wall = await createTestContext({ RATE_LIMIT_ENABLED: 'false' }, { epoch: Date.now() - 2 * 86_400_000 })
        const wallServer = await listen(contractCheckedApp(wall.app, failures, seen), 0, '127.0.0.1', { hub: wall.services.stream })
        try {
          // 30 days of life: the token is stamped by the server's clock, two days behind the machine's.
          const admin = { userId: 'admin', scopes: ['admin_full' as const] }
          const { token } = await wall.services.auth.generate(admin, 'py-seed-analyst', ['read_trades', 'write_trades', 'read_market_data', 'read_risk_metrics'], 30 * 86_400)
          for (const side of ['buy', 'sell', 'sell', 'buy']) {
            const res = await wall.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side, type: 'market', quantity: 0.01 } })
            expect(res.status).toBe(201)
            wall.clock.advance(30 * 60_000)
            wall.services.market.advance()
          }
          const before = seen.count
          const code = prepare(text, 'data-analyzer', { origin: wallServer.url, tokens: { YOUR_API_TOKEN: token } })
          const r = await startPython('seed 000 data analyzer', code, { timeoutMs: 45_000 }).done()
          expect(r.output).not.toMatch(/Traceback/)
          expect(r).toMatchObject({ code: 0, timedOut: false })
          expect(r.stdout).toMatch(/^total_trades: 4$/m)
          expect(r.stdout).toMatch(/^Market Analysis:$/m)
          expect(seen.count - before).toBeGreaterThanOrEqual(3)
          expect(failures).toEqual([])
        } finally {
          await wallServer.close()
          await wall.close()
        }
      },
      60_000,
    )

    it('"Debug Mode": SMCClient(debug=True) logs each request and response with the token redacted', async () => {
      const token = await ctx.token(ALL_SCOPES, 'py-seed-debug')
      // The seed's block uses SMCClient without importing it (the usage block above does): import it first.
      const code = substitute(`from smc_trading import SMCClient\n${snippet('Debug Mode')}client.get_positions()\n`, {
        origin: server.url,
        tokens: { YOUR_TOKEN: token },
      })
      const r = await startPython('seed 000 debug mode', code, { env: { PYTHONPATH: SRC, SMC_BASE_URL: server.url }, timeoutMs: 20_000 }).done()
      expect(r).toMatchObject({ code: 0, timedOut: false })
      expect(r.stderr).toMatch(/smc_trading.*→ GET http:\/\/127\.0\.0\.1:\d+\/v1\/positions/)
      expect(r.stderr).toMatch(/Bearer \*\*\*/)
      expect(r.stderr).toMatch(/← 200 GET .*\/v1\/positions .*request_id=\S+/)
      expect(r.stderr).not.toContain(token)
      expect(failures).toEqual([])
    })
  })
})
