import { execFile } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestContext, TEST_DEMO_KEY, TEST_EPOCH, type TestContext } from '../../../packages/server/src/testing'

const here = dirname(fileURLToPath(import.meta.url))
let ctx: TestContext
let url: string
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', MARKET_HISTORY_DAYS: '5', ML_ENABLED: 'false' })
  url = (await ctx.listen()).url
})
afterAll(() => ctx.close())

it('backtests two parameter sets against a real server and prints the better one', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(here, 'index.ts')], {
    env: { ...process.env, SMC_BASE_URL: url, SMC_API_KEY: TEST_DEMO_KEY, SMC_DAYS: '3', SMC_END: new Date(Math.floor(TEST_EPOCH / 86_400_000) * 86_400_000).toISOString() },
    cwd: resolve(here, '..'),
  })
  const lines = stdout.trim().split('\n')
  expect(lines.filter((l) => /^fast \d+ \/ slow \d+: return -?[\d.]+ %, \d+ trades/.test(l))).toHaveLength(2)
  expect(lines.at(-1)).toMatch(/^better: fast (10|20) \/ slow (30|60) \(-?[\d.]+ %\)$/)
}, 60_000)
