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

it('a bad SMC_END or SMC_DAYS, or no SMC_API_KEY, is one line naming the variable and exit 1 (no stack)', async () => {
  const cases: [Record<string, string | undefined>, string][] = [
    [{ SMC_API_KEY: TEST_DEMO_KEY, SMC_END: 'next tuesday' }, 'backtest-compare: SMC_END must be an ISO 8601 time, e.g. 2024-03-01 or 2024-03-01T12:00:00Z (got "next tuesday")'],
    [{ SMC_API_KEY: TEST_DEMO_KEY, SMC_DAYS: 'week' }, 'backtest-compare: SMC_DAYS must be a number of days in (0, 3650], e.g. 7 (got "week")'],
    [{ SMC_API_KEY: TEST_DEMO_KEY, SMC_DAYS: '0' }, 'backtest-compare: SMC_DAYS must be a number of days in (0, 3650], e.g. 7 (got "0")'],
    [{ SMC_API_KEY: undefined }, 'backtest-compare: set SMC_API_KEY to the demo API key the server printed at start'],
  ]
  for (const [vars, message] of cases) {
    const env: Record<string, string | undefined> = { ...process.env, SMC_BASE_URL: url, ...vars }
    for (const [k, v] of Object.entries(vars)) if (v === undefined) delete env[k]
    const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(here, 'index.ts')], { env, cwd: resolve(here, '..') }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    )
    expect([failed?.code, failed?.stderr], JSON.stringify(vars)).toEqual([1, `${message}\n`])
  }
}, 60_000)
