import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip } from '../testing'
import { backtestCli } from './backtest'

const dir = mkdtempSync(join(tmpdir(), 'smc-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(args: string[], tty = false) {
  let out = ''
  let err = ''
  const code = await backtestCli(args, { out: (s) => (out += s), err: (s) => (err += s), cwd: dir, tty })
  return { code, out, err }
}

const T0 = Date.UTC(2024, 0, 1) / 1000
/** 300 hourly candles from 2024-01-01 00:00 UTC (to 2024-01-13 12:00) in `file`, a sine wave. */
function writeSine(file: string): void {
  const rows = Array.from({ length: 300 }, (_, i) => {
    const c = 100 + 10 * Math.sin(i / 15)
    return [T0 + i * 3600, c.toFixed(2), (c + 0.5).toFixed(2), (c - 0.5).toFixed(2), (c + 0.1).toFixed(2), '10'].join(',')
  })
  writeFileSync(file, ['timestamp,open,high,low,close,volume', ...rows].join('\n'))
}

const BTC_3_DAYS = ['--strategy', 'sma_crossover', '--symbol', 'BTCUSDT', '--from', '2024-03-01', '--to', '2024-03-04', '--interval', '15m', '--param', 'fast=5', '--param', 'slow=20']

const executablePath = chromiumOrSkip('the backtest report of the CLI in a browser')

describe('smc-server backtest', () => {
  it('runs one backtest: a progress bar on stderr, a summary on stdout, a report with one marker per entry and exit', async () => {
    const r = await run(['--strategy', 'sma_crossover', '--symbol', 'BTCUSDT', '--from', '2024-03-01', '--to', '2024-03-04', '--interval', '15m', '--param', 'fast=5', '--param', 'slow=20', '--out', 'r.html'])
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/\[#+\] 288\/288 candles/)
    const trades = Number(/^trades +(\d+) \(/m.exec(r.out)![1])
    expect(trades).toBeGreaterThan(0)
    expect(r.out).toMatch(/^total return +-?[\d.]+ %$/m)
    const html = readFileSync(join(dir, 'r.html'), 'utf8')
    expect(html).toContain('<html')
    if (!executablePath) return
    const browser = await chromium.launch({ executablePath, headless: true })
    try {
      const page = await browser.newPage()
      await page.goto(pathToFileURL(join(dir, 'r.html')).href)
      await page.waitForSelector('body[data-report-ready="1"]', { timeout: 20_000 })
      expect(await page.locator('[data-trade-marker]').count()).toBe(2 * trades)
      expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(4)
    } finally {
      await browser.close()
    }
  }, 60_000)

  it('reads candles from a CSV file', async () => {
    writeSine(join(dir, 'SINEUSDT.csv'))
    const r = await run(['--strategy', 'sma_crossover', '--symbol', 'SINEUSDT', '--csv', 'SINEUSDT.csv', '--from', String(T0), '--to', String(T0 + 300 * 3600), '--out', 'sine.html'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/SINEUSDT 1h 2024-01-01T00:00:00.000Z → 2024-01-13T12:00:00.000Z \(300 candles\)/)
  })

  it('says what the data covers when the CSV holds less than the range, and where it is when it holds nothing of it', async () => {
    writeSine(join(dir, 'SINEUSDT.csv'))
    const wide = await run(['--strategy', 'sma_crossover', '--symbol', 'SINEUSDT', '--csv', 'SINEUSDT.csv', '--from', '2023-12-01', '--to', '2024-02-01', '--out', 'wide.html'])
    expect(wide.code).toBe(0)
    expect(wide.out).toContain('SINEUSDT 1h requested 2023-12-01T00:00:00.000Z → 2024-02-01T00:00:00.000Z, data 2024-01-01T00:00:00.000Z → 2024-01-13T12:00:00.000Z (300 candles)')
    expect(readFileSync(join(dir, 'wide.html'), 'utf8')).toContain('requested 2023-12-01 00:00 → 2024-02-01 00:00, data 2024-01-01 00:00 → 2024-01-13 12:00')
    const outside = await run(['--strategy', 'sma_crossover', '--symbol', 'SINEUSDT', '--csv', 'SINEUSDT.csv', '--from', '2024-06-01', '--to', '2024-07-01', '--out', 'outside.html'])
    expect(outside.code).toBe(1)
    expect(outside.err).toMatch(/^smc-server backtest: Only 0 closed 1h candles of SINEUSDT in the range; .*; the data of SINEUSDT covers 2024-01-01T00:00:00.000Z → 2024-01-13T12:00:00.000Z\n$/)
  })

  it('takes --csv and --out relative to where pnpm was run (INIT_CWD), not to packages/server', async () => {
    const here = mkdtempSync(join(tmpdir(), 'smc-cli-initcwd-'))
    try {
      writeSine(join(here, 'SINEUSDT.csv'))
      const server = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
      const args = ['backtest', '--strategy', 'sma_crossover', '--symbol', 'SINEUSDT', '--csv', 'SINEUSDT.csv', '--from', String(T0), '--to', String(T0 + 300 * 3600), '--out', 'here.html']
      const child = spawn(process.execPath, [join(server, 'bin/smc-server.mjs'), ...args], { cwd: server, env: { ...process.env, INIT_CWD: here }, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (err += d))
      const code = await new Promise<number | null>((r) => child.once('exit', r))
      expect([code, err]).toEqual([0, expect.not.stringContaining('smc-server backtest:')])
      expect(out).toContain(`report            ${join(here, 'here.html')}`)
      expect(existsSync(join(here, 'here.html'))).toBe(true)
      expect(existsSync(join(server, 'here.html'))).toBe(false)
      // Not a terminal: plain progress lines, no carriage-return frames.
      expect(err).not.toContain('\r')
    } finally {
      rmSync(here, { recursive: true, force: true })
    }
  }, 60_000)

  it('progress: frames redrawn in place on a terminal; elsewhere a plain line at each tenth and the last', async () => {
    const plain = await run([...BTC_3_DAYS, '--out', 'plain.html'])
    expect(plain.code).toBe(0)
    expect(plain.err).not.toContain('\r')
    const lines = plain.err.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(11)
    expect(lines.every((l) => /^\[[#.]{30}\] \d+\/288 candles$/.test(l))).toBe(true)
    expect(lines.at(-1)).toBe(`[${'#'.repeat(30)}] 288/288 candles`)
    const tty = await run([...BTC_3_DAYS, '--out', 'tty.html'], true)
    expect(tty.code).toBe(0)
    expect(tty.err).toMatch(/^\r\[[#.]{30}\] \d+\/288 candles/)
    expect(tty.err.endsWith(`\r[${'#'.repeat(30)}] 288/288 candles\n`)).toBe(true)
  })

  it('reads numbers as written by hand: .02 and 2e-2 are numbers; empty, hex and non-finite values are refused naming the flag', async () => {
    for (const v of ['.02', '2e-2']) {
      const r = await run([...BTC_3_DAYS, '--param', `risk_fraction=${v}`, '--out', 'rf.html'])
      expect([r.code, r.err]).toEqual([0, expect.not.stringContaining('smc-server backtest:')])
      expect(r.out).toContain('"risk_fraction":0.02')
    }
    for (const [flag, value] of [
      ['--fee-bps', ''],
      ['--fee-bps', '0x10'],
      ['--maker-fee-bps', 'Infinity'],
      ['--slippage-bps', '1e400'],
      ['--balance', 'abc'],
    ]) {
      const r = await run([...BTC_3_DAYS, flag!, value!])
      expect([r.code, r.err], `${flag} ${JSON.stringify(value)}`).toEqual([2, `smc-server backtest: ${flag} must be a decimal number, e.g. 10, 2.5 or 1e-3 (got ${JSON.stringify(value)})\n`])
    }
  })

  it('says the engine’s refusals in the flags’ names, exit 2', async () => {
    const cases: [string[], string][] = [
      [['--balance', '0'], '--balance must be in (0, 10000000]'],
      [['--fee-bps', '2000'], '--fee-bps must be in [0, 1000]'],
      [['--from', '2024-03-04', '--to', '2024-03-01'], '--from must be before --to'],
      [['--param', 'fast=x'], '--param fast: Invalid input: expected number, received string'],
      [['--param', 'fats=5'], '--param fats: Unrecognized key: "fats" (sma_crossover takes fast, slow,'],
      [['--symbol', 'NOPEUSDT'], '--symbol: Unknown trading symbol "NOPEUSDT"; the data has BTCUSDT, ETHUSDT'],
    ]
    for (const [args, message] of cases) {
      const r = await run([...BTC_3_DAYS, ...args, '--out', 'refused.html'])
      expect([r.code, r.err], args.join(' ')).toEqual([2, expect.stringMatching(new RegExp(`^smc-server backtest: ${message.replace(/[()[\]\\.*+?^$|{}]/g, '\\$&')}`))])
    }
  })

  it('checks --out before the run: a missing folder or a folder is refused before any candle', async () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true })
    for (const [out, problem] of [
      ['no-such-folder/r.html', `the folder ${join(dir, 'no-such-folder')} does not exist`],
      ['a-folder', `${join(dir, 'a-folder')} is a folder; name the report file, e.g. ${join(dir, 'a-folder', 'report.html')}`],
    ]) {
      const r = await run([...BTC_3_DAYS, '--out', out!])
      expect([r.code, r.err, r.out]).toEqual([1, `smc-server backtest: --out: ${problem}\n`, ''])
    }
  })

  it('usage errors exit 2 naming what is wrong, without a leading blank line; a refused run exits 1 with the reason', async () => {
    const usage = await run(['--strategy', 'sma_crossover'])
    expect([usage.code, usage.err]).toEqual([2, expect.stringContaining('missing --symbol, --from, --to')])
    const strategy = await run(['--strategy', 'nope', '--symbol', 'BTCUSDT', '--from', '2024-03-01', '--to', '2024-03-02'])
    expect([strategy.code, strategy.err]).toEqual([2, 'smc-server backtest: --strategy: Unknown strategy "nope"; one of sma_crossover, rsi_reversion, smc_trend, breakout\n'])
    const param = await run([...BTC_3_DAYS, '--param', 'fast'])
    expect([param.code, param.err]).toEqual([2, 'smc-server backtest: --param "fast": expected key=value, e.g. --param fast=10\n'])
    const time = await run(['--strategy', 'sma_crossover', '--symbol', 'BTCUSDT', '--from', '2024-03-01', '--to', 'soon'])
    expect([time.code, time.err]).toEqual([2, expect.stringMatching(/^smc-server backtest: --to must be ISO 8601/)])
    const refused = await run(['--strategy', 'sma_crossover', '--symbol', 'BTCUSDT', '--from', '2024-03-01', '--to', '2024-03-02', '--out', 'short.html'])
    expect([refused.code, refused.err]).toEqual([1, expect.stringMatching(/^smc-server backtest: Only 24 closed 1h candles of BTCUSDT in the range; the strategy needs at least 50\n$/)])
  })
})
