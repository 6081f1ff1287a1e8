import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../testing'

// The published artifact, not the sources: `pnpm pack` output installed into a scratch folder and
// used from a plain Node ESM script and a plain CommonJS script.
const sdkDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../sdk')
// Outside the SDK's folder, or Node would resolve the name to the sources by self-reference.
const scratch = mkdtempSync(join(tmpdir(), 'smc-sdk-pack-'))
let ctx: TestContext
let url: string
let token: string

beforeAll(async () => {
  if (!existsSync(join(sdkDir, 'dist/index.js'))) throw new Error('packages/sdk/dist is missing: run `pnpm build` first')
  mkdirSync(join(scratch, 'node_modules'), { recursive: true })
  const out = execFileSync('npx', ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', scratch], { cwd: sdkDir, encoding: 'utf8' })
  const tgz = out.trim().split('\n').pop()!.trim()
  execFileSync('tar', ['xzf', tgz, '-C', scratch])
  renameSync(join(scratch, 'package'), join(scratch, 'node_modules/smc-trading-sdk'))
  // The one runtime dependency, as npm would install it.
  symlinkSync(realpathSync(join(sdkDir, 'node_modules/openapi-fetch')), join(scratch, 'node_modules/openapi-fetch'))
  ctx = await createTestContext()
  url = (await ctx.listen()).url
  token = await ctx.token(['read_market_data'])
}, 120_000)
afterAll(async () => {
  await ctx?.close()
  rmSync(scratch, { recursive: true, force: true })
})

// Asynchronous, so this process's server keeps answering while the script runs.
const run = async (file: string, code: string): Promise<string> => {
  writeFileSync(join(scratch, file), code)
  const { stdout } = await promisify(execFile)(process.execPath, [join(scratch, file)], { cwd: scratch, env: { ...process.env, URL: url, TOKEN: token } })
  return stdout
}

describe('the packed smc-trading-sdk', () => {
  it('ships only dist with exports for import and require', () => {
    const pkg = JSON.parse(readFileSync(join(scratch, 'node_modules/smc-trading-sdk/package.json'), 'utf8'))
    expect(pkg.exports['.'].import.default).toBe('./dist/index.js')
    expect(pkg.exports['.'].require.default).toBe('./dist/index.cjs')
    expect(pkg.exports['./smc'].import.default).toBe('./dist/smc.js')
    expect(pkg.dependencies['@smc-trading/smc']).toBeUndefined()
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/smc.js', 'dist/smc.cjs'])
      expect(existsSync(join(scratch, 'node_modules/smc-trading-sdk', f)), f).toBe(true)
    // The engine's declarations are inlined, not re-exported from an unpublished package.
    const smcTypes = readFileSync(join(scratch, 'node_modules/smc-trading-sdk/dist/smc.d.ts'), 'utf8')
    expect(smcTypes).not.toMatch(/^(export|import) .*from '@smc-trading\/smc'/m)
    expect(smcTypes).toContain('declare function swingHighsLows')
    expect(existsSync(join(scratch, 'node_modules/smc-trading-sdk/src'))).toBe(false)
  })

  it('works from an ES module', async () => {
    const out = await run(
      'esm.mjs',
      `import { SMCClient, SMCApiError } from 'smc-trading-sdk'
import * as smc from 'smc-trading-sdk/smc'
const c = new SMCClient(process.env.TOKEN, { baseUrl: process.env.URL })
const t = await c.getMarketData('BTCUSDT')
const e = await c.getMarketData('NOPE').catch((e) => e)
console.log(JSON.stringify({ symbol: t.symbol, isErr: e instanceof SMCApiError, code: e.code, smc: typeof smc.swingHighsLows }))`,
    )
    expect(JSON.parse(out)).toEqual({ symbol: 'BTCUSDT', isErr: true, code: 'INVALID_SYMBOL', smc: 'function' })
  })

  it('works from CommonJS', async () => {
    const out = await run(
      'cjs.cjs',
      `const { SMCClient } = require('smc-trading-sdk')
const smc = require('smc-trading-sdk/smc')
new SMCClient(process.env.TOKEN, { baseUrl: process.env.URL }).getOrderBook('ETHUSDT', { limit: 3 })
  .then((b) => console.log(JSON.stringify({ bids: b.bids.length, smc: typeof smc.fvg })))`,
    )
    expect(JSON.parse(out)).toEqual({ bids: 3, smc: 'function' })
  })

  it('streams from an ES module and from CommonJS (Node 20: the optional ws peer, imported on demand)', async () => {
    const wsLink = join(scratch, 'node_modules/ws')
    if (!existsSync(wsLink)) symlinkSync(realpathSync(join(sdkDir, 'node_modules/ws')), wsLink)
    const body = `const s = client.stream()
s.connect()
  .then(() => new Promise((resolve) => { s.on('health_update', resolve); s.subscribe('system.health') }))
  .then(async (h) => { console.log(JSON.stringify({ status: h.status, channels: s.channels })); await s.close() })`
    const esm = await run('stream.mjs', `import { SMCClient } from 'smc-trading-sdk'\nconst client = new SMCClient(process.env.TOKEN, { baseUrl: process.env.URL })\n${body}`)
    const cjs = await run('stream.cjs', `const { SMCClient } = require('smc-trading-sdk')\nconst client = new SMCClient(process.env.TOKEN, { baseUrl: process.env.URL })\n${body}`)
    for (const out of [esm, cjs]) expect(JSON.parse(out)).toEqual({ status: 'healthy', channels: ['system.health'] })
  })
})
