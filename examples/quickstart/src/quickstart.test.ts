import { execFile } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestContext, TEST_DEMO_KEY, type TestContext } from '../../../packages/server/src/testing'

const here = dirname(fileURLToPath(import.meta.url))
let ctx: TestContext
let url: string
beforeAll(async () => {
  ctx = await createTestContext()
  url = (await ctx.listen()).url
})
afterAll(() => ctx.close())

it('runs against a real server and prints the ticker and candles', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(here, 'index.ts')], {
    env: { ...process.env, SMC_BASE_URL: url, SMC_API_KEY: TEST_DEMO_KEY, SMC_SYMBOL: 'ETHUSDT' },
    cwd: resolve(here, '..'),
  })
  expect(stdout).toMatch(/token valid until \d{4}-/)
  expect(stdout).toMatch(/ETHUSDT last [\d.]+ {2}bid [\d.]+ {2}ask [\d.]+/)
  expect(stdout.trim().split('\n').filter((l) => /^\d{4}-\d{2}-\d{2}T/.test(l))).toHaveLength(5)
})

it('fails clearly with a bad API key', async () => {
  const err = await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(here, 'index.ts')], {
    env: { ...process.env, SMC_BASE_URL: url, SMC_API_KEY: 'smc_wrong_key_000000000' },
    cwd: resolve(here, '..'),
  }).catch((e) => e)
  expect(err.code).toBe(1)
  expect(err.stderr).toContain('API error 401 AUTHENTICATION_FAILED')
})
