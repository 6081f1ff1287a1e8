import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { contractFetch } from './testing'

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/smc-server.mjs')
const dir = mkdtempSync(join(tmpdir(), 'smc-bin-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [bin], {
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
      if (out.includes('Try it:')) resolve(out)
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
})
