import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { contractFetch } from './testing'

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/smc-server.mjs')
const dir = mkdtempSync(join(tmpdir(), 'smc-bin-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function start(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', MARKET_HISTORY_DAYS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (out.includes('Try it:') || (args.includes('--ephemeral') && out.includes('\n'))) resolve(out)
    })
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)))
  })
  // A start that is expected to fail never awaits `ready`: mark its rejection handled.
  ready.catch(() => {})
  return { child, ready, exited, stderr: () => err }
}

describe('smc-server', () => {
  it('starts on a file database, prints URL, demo key, admin token and a curl line, and stops cleanly on SIGTERM', async () => {
    const s = start({ PORT: '0', DATABASE_URL: join(dir, 'smc.db'), SMC_DEMO_API_KEY: 'smc_demo_fixed_key_for_tests' })
    const out = await s.ready
    const url = /listening on (http:\/\/\S+)/.exec(out)![1]!
    expect(out).toContain('demo API key:  smc_demo_fixed_key_for_tests')
    const adminToken = /admin token: +(\S+)/.exec(out)![1]!
    expect(out).toMatch(/curl -s -X POST http:\/\/\S+\/v1\/auth\/generate-token/)
    const checked = contractFetch((req) => fetch(req))
    const res = await checked(`${url}/v1/market-data/BTCUSDT`, { headers: { Authorization: `Bearer ${adminToken}` } })
    expect(res.status).toBe(200)
    s.child.kill('SIGTERM')
    expect(await s.exited).toBe(0)
  }, 60_000)

  it('refuses to start on a bad variable, naming it', async () => {
    const s = start({ PORT: 'eighty', DATABASE_URL: join(dir, 'bad.db') })
    expect(await s.exited).toBe(2)
    expect(s.stderr()).toContain('PORT')
  }, 60_000)

  it('MARKET_SOURCE=csv serves the file: its candles through OHLCV, field by field', async () => {
    const file = join(dir, 'ETHUSDT.csv')
    const t0 = Date.UTC(2024, 0, 1) / 1000
    const rows = Array.from({ length: 48 }, (_, i) => [t0 + i * 3600, 2000 + i, 2010 + i, 1990 + i, 2005 + i, 100 + i / 8])
    writeFileSync(file, ['time,open,high,low,close,volume', ...rows.map((r) => r.join(','))].join('\n'))
    const s = start({ PORT: '0', DATABASE_URL: join(dir, 'csv.db'), MARKET_SOURCE: 'csv', MARKET_CSV: file, MARKET_REPLAY_START: String(t0 + 40 * 3600) })
    const out = await s.ready
    expect(out).toContain('market:        csv (ETHUSDT)')
    const url = /listening on (http:\/\/\S+)/.exec(out)![1]!
    const adminToken = /admin token: +(\S+)/.exec(out)![1]!
    const res = await fetch(`${url}/v1/market-data/ETHUSDT/ohlcv?interval=1h&start_time=${t0}&limit=40`, { headers: { Authorization: `Bearer ${adminToken}` } })
    const { data } = (await res.json()) as { data: Record<string, number | boolean>[] }
    expect(data.map((k) => [k.timestamp, k.open, k.high, k.low, k.close, k.volume, k.closed])).toEqual(rows.slice(0, 40).map((r) => [...r, true]))
    s.child.kill('SIGTERM')
    expect(await s.exited).toBe(0)
  }, 60_000)

  it('a bad CSV stops the start with one line naming the file, the line and the problem', async () => {
    const file = join(dir, 'BAD.csv')
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n1704067200,1,2,0.5,1,1\n1704070800,1,0.2,0.5,1,1\n')
    const s = start({ PORT: '0', DATABASE_URL: join(dir, 'bad-csv.db'), MARKET_SOURCE: 'csv', MARKET_CSV: file })
    expect(await s.exited).toBe(1)
    expect(s.stderr().trim()).toBe(`smc-server: market source csv: ${file}:3: high 0.2 is below low 0.5`)
  }, 60_000)

  it('--ephemeral --port 0: in memory on a free port, the keys and URLs as one JSON line, the demo key working', async () => {
    const s = start({}, ['--ephemeral', '--port', '0'])
    const out = await s.ready
    const lines = out.trim().split('\n')
    expect(lines).toHaveLength(1)
    const info = JSON.parse(lines[0]!) as Record<string, string | number>
    expect(info).toMatchObject({ api_key: 'smc_demo_ephemeral_key_0123456789', admin_key: 'smc_admin_ephemeral_key_0123456789', pid: s.child.pid })
    expect(info.base_url).toBe(`http://127.0.0.1:${info.port}`)
    expect(info.ws_url).toBe(`ws://127.0.0.1:${info.port}/v1/ws`)
    expect(info.ready_ms).toBeGreaterThan(0)
    const checked = contractFetch((req) => fetch(req))
    const res = await checked(`${info.base_url}/v1/auth/generate-token`, {
      method: 'POST',
      headers: { 'X-API-Key': String(info.api_key), 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_id: 'demo', permissions: ['read_market_data'] }),
    })
    expect(res.status).toBe(200)
    s.child.kill('SIGTERM')
    expect(await s.exited).toBe(0)
  }, 60_000)

  it('--help prints the usage (flags, every variable with its default, the backtest subcommand) and exits 0', async () => {
    const s = start({}, ['--help'])
    let out = ''
    s.child.stdout.on('data', (d) => (out += d))
    expect(await s.exited).toBe(0)
    expect(s.stderr()).toBe('')
    expect(out).toMatch(/^Usage: smc-server \[--ephemeral\] \[--port N\] \[--host H\]\n/)
    expect(out).toContain('smc-server backtest --help')
    for (const v of ['PORT=8000', 'DATABASE_URL=./data/smc-trading.db', 'MARKET_SOURCE=simulated', 'MARKET_SYMBOLS=BTCUSDT,ETHUSDT', 'NOTIFY_WEBHOOK_TIMEOUT_MS=5000'])
      expect(out).toContain(v)
    expect(out).toMatch(/\sJWT_SECRET\s/)
  }, 60_000)

  it('refuses an unknown flag with the usage line', async () => {
    const s = start({}, ['--ephemeral', '--nope'])
    expect(await s.exited).toBe(2)
    expect(s.stderr()).toMatch(/Unknown option '--nope'[\s\S]*usage: smc-server \[--ephemeral\]/)
  }, 60_000)
})
