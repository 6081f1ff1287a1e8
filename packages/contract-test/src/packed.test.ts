import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The published artifact, not the sources: `pnpm pack` output installed into a scratch folder, its
// bin run against `smc-server --ephemeral` in another process, as a CI job would.
const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const serverBin = resolve(pkgDir, '../server/bin/smc-server.mjs')
const scratch = mkdtempSync(join(tmpdir(), 'smc-contract-test-pack-'))
const installed = join(scratch, 'node_modules/@smc-trading/contract-test')
let server: ChildProcess
let info: { base_url: string; api_key: string; admin_key: string; ws_url: string }
let bin: string

beforeAll(async () => {
  if (!existsSync(join(pkgDir, 'dist/cli.js'))) throw new Error('packages/contract-test/dist is missing: run `pnpm build` first')
  mkdirSync(join(scratch, 'node_modules/@smc-trading'), { recursive: true })
  const out = execFileSync('npx', ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', scratch], { cwd: pkgDir, encoding: 'utf8' })
  const tgz = out.trim().split('\n').pop()!.trim()
  execFileSync('tar', ['xzf', tgz, '-C', scratch])
  renameSync(join(scratch, 'package'), installed)
  // The runtime dependencies, as npm would install them.
  for (const dep of ['ajv', 'ajv-formats', 'ws']) symlinkSync(realpathSync(join(pkgDir, 'node_modules', dep)), join(scratch, 'node_modules', dep))
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))
  bin = join(installed, pkg.bin['smc-contract-test'])
  // The throwaway server of the README's CI recipe, rate limits off for a whole-contract run.
  server = spawn(process.execPath, [serverBin, '--ephemeral', '--port', '0'], { env: { ...process.env, RATE_LIMIT_ENABLED: 'false' }, stdio: ['ignore', 'pipe', 'inherit'] })
  const first = await new Promise<string>((res, rej) => {
    createInterface({ input: server.stdout! }).once('line', res)
    server.once('exit', (code) => rej(new Error(`smc-server exited ${code}`)))
  })
  info = JSON.parse(first)
}, 120_000)
afterAll(() => {
  server?.kill('SIGTERM')
  rmSync(scratch, { recursive: true, force: true })
})

const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((res) => {
    execFile(bin, args, { cwd: scratch, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }))
  })

describe('the packed @smc-trading/contract-test', () => {
  it('ships dist with the bundled contract, an executable bin and exports for import and require', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))
    expect(pkg.exports['.'].import.default).toBe('./dist/index.js')
    expect(pkg.exports['.'].require.default).toBe('./dist/index.cjs')
    // What an install brings: the validator and the socket client, never the server.
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['ajv', 'ajv-formats', 'ws'])
    for (const f of ['dist/cli.js', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/openapi.json', 'dist/asyncapi.json', 'README.md']) expect(existsSync(join(installed, f)), f).toBe(true)
    expect(existsSync(join(installed, 'src'))).toBe(false)
    expect(statSync(bin).mode & 0o111).not.toBe(0)
    expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node/)
    // The published code never reaches into the server's sources.
    for (const f of ['dist/index.js', 'dist/cli.js']) expect(readFileSync(join(installed, f), 'utf8')).not.toMatch(/smc-server|server\/src/)
  })

  it('runs its bin against an ephemeral server: exit 0, a summary per tag and a JUnit file', async () => {
    const junit = join(scratch, 'report.xml')
    const started = performance.now()
    const { code, stdout, stderr } = await run(['--base-url', info.base_url, '--api-key', info.api_key, '--admin-key', info.admin_key, '--only', 'market-data,trading,streaming', '--junit', junit, '--seed', '3', '--quiet'])
    console.log(`packed bin, market-data + trading + streaming against smc-server --ephemeral: ${((performance.now() - started) / 1000).toFixed(1)} s`)
    expect(code, `${stdout}\n${stderr}`).toBe(0)
    expect(stdout).toMatch(/^\s+market-data\s+\d+\s+0\s+\d+$/m)
    expect(stdout).toMatch(/^\s+streaming\s+\d+\s+0\s+\d+$/m)
    expect(stdout).toMatch(/^PASSED: \d+ cases over \d+ operations/m)
    const xml = readFileSync(junit, 'utf8')
    expect(xml).toMatch(/<testsuites name="smc-contract-test" tests="\d+" failures="0"/)
  }, 120_000)

  it('exits 1 when a check fails and 2 on bad arguments', async () => {
    const bad = await run(['--base-url', info.base_url, '--api-key', 'not-a-key', '--only', 'market-data', '--quiet'])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('POST /v1/auth/generate-token (generateToken) [issue a token')
    expect(bad.stdout).toMatch(/^FAILED: /m)
    const usage = await run(['--api-key', 'k'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--base-url is required')
    const tag = await run(['--base-url', info.base_url, '--api-key', info.api_key, '--only', 'nope'])
    expect(tag.code).toBe(2)
    expect(tag.stderr).toMatch(/--only: no operation has the tag "nope" \(tags: .*market-data/)
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('usage: smc-contract-test')
  }, 60_000)

  it('is importable from ES modules and CommonJS', async () => {
    writeFileSync(join(scratch, 'esm.mjs'), `import { runContractTests, loadBundledDocuments } from '@smc-trading/contract-test'\nconsole.log(typeof runContractTests, Object.keys(loadBundledDocuments().openapi.paths).length > 50)`)
    writeFileSync(join(scratch, 'cjs.cjs'), `const { runContractTests, loadBundledDocuments } = require('@smc-trading/contract-test')\nconsole.log(typeof runContractTests, loadBundledDocuments().asyncapi.asyncapi.startsWith('3'))`)
    for (const f of ['esm.mjs', 'cjs.cjs']) expect(execFileSync(process.execPath, [join(scratch, f)], { cwd: scratch, encoding: 'utf8' }).trim(), f).toBe('function true')
  })
})
