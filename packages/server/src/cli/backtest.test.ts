import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip } from '../testing'
import { backtestCli } from './backtest'

const dir = mkdtempSync(join(tmpdir(), 'smc-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(args: string[]) {
  let out = ''
  let err = ''
  const code = await backtestCli(args, { out: (s) => (out += s), err: (s) => (err += s), cwd: dir })
  return { code, out, err }
}

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
    const t0 = Date.UTC(2024, 0, 1) / 1000
    const rows = Array.from({ length: 300 }, (_, i) => {
      const c = 100 + 10 * Math.sin(i / 15)
      return [t0 + i * 3600, c.toFixed(2), (c + 0.5).toFixed(2), (c - 0.5).toFixed(2), (c + 0.1).toFixed(2), '10'].join(',')
    })
    writeFileSync(join(dir, 'SINEUSDT.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'))
    const r = await run(['--strategy', 'sma_crossover', '--symbol', 'SINEUSDT', '--csv', 'SINEUSDT.csv', '--from', String(t0), '--to', String(t0 + 300 * 3600), '--out', 'sine.html'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/SINEUSDT 1h .* \(300 candles\)/)
  })

  it('usage errors exit 2 naming what is missing; a refused run exits 1 with the reason', async () => {
    const usage = await run(['--strategy', 'sma_crossover'])
    expect([usage.code, usage.err]).toEqual([2, expect.stringContaining('missing --symbol, --from, --to')])
    const refused = await run(['--strategy', 'nope', '--symbol', 'BTCUSDT', '--from', '2024-03-01', '--to', '2024-03-02'])
    expect([refused.code, refused.err]).toEqual([1, expect.stringContaining('Unknown strategy "nope"')])
  })
})
