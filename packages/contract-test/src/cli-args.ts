// `smc-contract-test` arguments and the run behind the bin (exported, so tests can run it in-process).
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatJunit, formatSummary } from './report'
import { runContractTests, UsageError } from './run'
import type { RunOptions } from './runner'
import type { RunReport } from './results'

export const USAGE = `usage: smc-contract-test --base-url URL (--api-key KEY | --token TOKEN) [options]

  --base-url URL       the server, e.g. http://localhost:8000
  --api-key KEY        API key: tokens are issued with it (POST /v1/auth/generate-token)
  --user-id ID         the user the API key belongs to (default demo)
  --admin-key KEY      admin API key: the admin operations run with an admin_full token (skipped without)
  --token TOKEN        an access token to use instead of --api-key (e.g. one with rate limits off)
  --admin-token TOKEN  an admin_full token to use instead of --admin-key
  --only TAG           only the operations of this tag (repeat, or comma-separated)
  --seed N             seed of the generated inputs (default 1): the same seed sends the same inputs
  --valid N            generated valid inputs per operation (default 2)
  --read-only          only GET operations (no order is placed, nothing changes)
  --junit FILE         also write a JUnit XML report
  --max-retry-wait S   longest Retry-After to wait on a 429 before reporting it (default 65)
  --quiet              no progress lines, only the summary
  -h, --help

Exit status: 0 when every case passed, 1 when any failed, 2 on bad arguments.`

export interface CliOptions extends RunOptions {
  junit?: string
  quiet?: boolean
}

/** Parse argv (without node and the script); throws with a message for bad arguments. */
export function parseCliArgs(argv: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      'admin-key': { type: 'string' },
      'user-id': { type: 'string' },
      token: { type: 'string' },
      'admin-token': { type: 'string' },
      only: { type: 'string', multiple: true },
      seed: { type: 'string' },
      valid: { type: 'string' },
      'read-only': { type: 'boolean' },
      junit: { type: 'string' },
      'max-retry-wait': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  const baseUrl = values['base-url']
  if (!baseUrl) throw new Error('--base-url is required')
  try {
    const u = new URL(baseUrl)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error()
  } catch {
    throw new Error(`--base-url must be an http(s) URL, got "${baseUrl}"`)
  }
  if (!values['api-key'] && !values.token) throw new Error('--api-key or --token is required')
  const int = (name: string, raw: string | undefined, min: number): number | undefined => {
    if (raw === undefined) return undefined
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${raw}"`)
    return n
  }
  return {
    baseUrl,
    apiKey: values['api-key'],
    adminKey: values['admin-key'],
    userId: values['user-id'],
    token: values.token,
    adminToken: values['admin-token'],
    only: values.only?.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean),
    seed: int('seed', values.seed, 0),
    validCases: int('valid', values.valid, 0),
    readOnly: values['read-only'],
    junit: values.junit,
    maxRetryWaitSeconds: int('max-retry-wait', values['max-retry-wait'], 0),
    quiet: values.quiet,
  }
}

/** Run the CLI: prints progress and the summary, writes the JUnit file; resolves to the exit status. */
export async function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let options: CliOptions | 'help'
  try {
    options = parseCliArgs(argv)
  } catch (e) {
    io.err(`smc-contract-test: ${(e as Error).message}\n\n${USAGE}\n`)
    return 2
  }
  if (options === 'help') {
    io.out(`${USAGE}\n`)
    return 0
  }
  let report: RunReport
  try {
    report = await runContractTests({ ...options, log: options.quiet ? undefined : (line) => io.out(`${line}\n`) })
  } catch (e) {
    io.err(`smc-contract-test: ${(e as Error).message}\n`)
    return e instanceof UsageError ? 2 : 1
  }
  io.out(`${formatSummary(report)}\n`)
  if (options.junit) {
    writeFileSync(options.junit, formatJunit(report))
    io.out(`JUnit report: ${options.junit}\n`)
  }
  return report.results.some((r) => r.status === 'failed') ? 1 : 0
}
