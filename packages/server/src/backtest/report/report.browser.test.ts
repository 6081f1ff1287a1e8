import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip } from '../../testing'
import { renderReport } from './index'
import type { ReportInput } from './data'
import { syntheticRun } from './test-fixture'

// Opens rendered reports in headless Chromium (Debian's `chromium`, driven by playwright-core) and
// checks that the charts really drew: four uPlot canvases of non-zero size with ink on them, one
// entry and one exit marker per trade over the price chart, tooltips, the shared zoom, no console
// error, no request leaving the file, and an injected script that stays text.

const executablePath = chromiumOrSkip('the report browser tests')

interface Opened {
  page: Page
  consoleErrors: string[]
  requests: string[]
  dialogs: string[]
}

describe.skipIf(!executablePath)('report in headless Chromium', () => {
  let browser: Browser
  let dir: string

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, headless: true })
    dir = mkdtempSync(join(tmpdir(), 'report-browser-'))
  })
  afterAll(async () => {
    await browser?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  async function open(name: string, input: ReportInput): Promise<Opened> {
    const file = join(dir, `${name}.html`)
    writeFileSync(file, renderReport(input))
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const consoleErrors: string[] = []
    const requests: string[] = []
    const dialogs: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`))
    page.on('request', (r) => requests.push(r.url()))
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    const url = pathToFileURL(file).href
    await page.goto(url)
    await page.waitForSelector('body[data-report-ready], body[data-report-error]', { timeout: 15_000 })
    expect(await page.getAttribute('body', 'data-report-error')).toBeNull()
    expect(requests).toEqual([url])
    return { page, consoleErrors, requests, dialogs }
  }

  it('draws the four charts and one entry and one exit marker per trade (300 candles, 6 trades)', async () => {
    const run = syntheticRun()
    expect(run.trades).toHaveLength(6)
    const { page, consoleErrors } = await open('six-trades', run)

    const canvases = await page.$$eval('.chart canvas', (cs) =>
      (cs as HTMLCanvasElement[]).map((c) => {
        const ctx = c.getContext('2d')!
        const { data } = ctx.getImageData(0, 0, c.width, c.height)
        let inked = 0
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++
        const r = c.getBoundingClientRect()
        return { id: c.closest('.chart')!.id, w: r.width, h: r.height, inked }
      }),
    )
    expect(canvases.map((c) => c.id)).toEqual(['chart-equity', 'chart-drawdown', 'chart-price', 'chart-volume'])
    for (const c of canvases) {
      expect(c.w, c.id).toBeGreaterThan(300)
      expect(c.h, c.id).toBeGreaterThan(50)
      expect(c.inked, `${c.id} has something drawn on it`).toBeGreaterThan(2000)
    }

    // Markers: 2 × trades, as DOM elements, inside the price chart's plot, of non-zero size.
    expect(await page.getAttribute('body', 'data-trade-markers')).toBe('12')
    const markers = await page.$$eval('#chart-price [data-trade-marker]', (els) => {
      const plot = document.querySelector('#chart-price .u-over')!.getBoundingClientRect()
      return els.map((e) => {
        const r = e.getBoundingClientRect()
        const cx = r.left + r.width / 2
        const cy = r.top + r.height / 2
        return {
          kind: e.getAttribute('data-trade-marker'),
          trade: Number(e.getAttribute('data-trade')),
          dir: e.getAttribute('data-direction'),
          fill: e.getAttribute('fill'),
          visible: getComputedStyle(e).visibility === 'visible' && r.width > 0 && r.height > 0,
          inside: cx >= plot.left && cx <= plot.right && cy >= plot.top && cy <= plot.bottom,
          x: cx,
        }
      })
    })
    expect(markers).toHaveLength(12)
    expect(markers.filter((m) => m.kind === 'entry')).toHaveLength(6)
    expect(markers.filter((m) => m.kind === 'exit')).toHaveLength(6)
    for (const m of markers) {
      expect(m.visible, `marker ${m.kind} ${m.trade}`).toBe(true)
      expect(m.inside, `marker ${m.kind} ${m.trade}`).toBe(true)
    }
    run.trades.forEach((t, i) => {
      const entry = markers.find((m) => m.kind === 'entry' && m.trade === i)!
      const exit = markers.find((m) => m.kind === 'exit' && m.trade === i)!
      expect(entry.dir).toBe(t.direction)
      expect(exit.x).toBeGreaterThan(entry.x)
      expect(entry.fill).toBe(exit.fill)
      expect(entry.fill).toBe(t.pnl > 0 ? '#15803d' : '#dc2626')
    })
    expect(await page.$$('#chart-price line.trade-line')).toHaveLength(6)

    // Hovering a marker shows its trade.
    const firstLoss = run.trades.findIndex((t) => t.pnl < 0)
    await page.hover(`#chart-price [data-trade-marker="entry"][data-trade="${firstLoss}"]`)
    const tip = await page.$eval('#tooltip', (e) => ({ hidden: (e as HTMLElement).hidden, text: e.textContent }))
    expect(tip.hidden).toBe(false)
    expect(tip.text).toContain(`Trade #${firstLoss + 1}`)
    expect(await page.$eval(`tr[data-trade="${firstLoss}"]`, (e) => e.classList.contains('hl'))).toBe(true)

    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('zooms every chart together on a drag and resets on double-click', async () => {
    const { page, consoleErrors } = await open('zoom', syntheticRun())
    const ranges = () => page.evaluate(() => (window as unknown as { backtestReport: { charts: { scales: { x: { min: number; max: number } } }[] } }).backtestReport.charts.map((c) => [c.scales.x.min, c.scales.x.max]))
    const full = await ranges()
    expect(new Set(full.map((r) => r.join()))).toHaveProperty('size', 1)

    const over = (await page.$('#chart-price .u-over'))!
    await over.scrollIntoViewIfNeeded()
    const b = (await over.boundingBox())!
    await page.mouse.move(b.x + b.width * 0.2, b.y + 5)
    await page.mouse.down()
    await page.mouse.move(b.x + b.width * 0.4, b.y + 5, { steps: 4 })
    await page.mouse.up()
    const zoomed = await ranges()
    expect(new Set(zoomed.map((r) => r.join()))).toHaveProperty('size', 1)
    const [zmin, zmax] = zoomed[0]!
    const [fmin, fmax] = full[0]!
    expect(zmax! - zmin!).toBeLessThan((fmax! - fmin!) * 0.3)
    // Markers outside the window are hidden, the rest stay in the plot.
    const shown = await page.$$eval('#chart-price g.trade', (gs) => gs.filter((g) => g.getAttribute('visibility') === 'visible').length)
    expect(shown).toBeGreaterThan(0)
    expect(shown).toBeLessThan(6)

    await page.mouse.dblclick(b.x + b.width * 0.5, b.y + 5)
    expect(await ranges()).toEqual(full)
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('keeps an injected script as text (no dialog, the param shown verbatim)', async () => {
    const evil = '</script><script>alert(1)</script>'
    const run = syntheticRun({ strategy: '<img src=x onerror=alert(2)>', params: { fast: evil } })
    const { page, consoleErrors, dialogs } = await open('escaping', { ...run, title: `<script>alert(3)</script>` })
    await page.waitForTimeout(100)
    expect(dialogs).toEqual([])
    expect(await page.textContent('.params .param-value')).toBe(evil)
    expect(await page.textContent('.strategy')).toBe('<img src=x onerror=alert(2)>')
    expect(await page.title()).toBe('<script>alert(3)</script>')
    expect(await page.$$('img')).toHaveLength(0)
    expect(consoleErrors).toEqual([])
    await page.close()
  })

  it('renders a run without trades and one without data, without errors', async () => {
    const noTrades = await open('no-trades', syntheticRun({ trades: [] }))
    expect(await noTrades.page.getAttribute('body', 'data-trade-markers')).toBe('0')
    expect(await noTrades.page.getAttribute('body', 'data-charts')).toBe('4')
    expect(noTrades.consoleErrors).toEqual([])
    await noTrades.page.close()

    const empty = syntheticRun({ candles: 0, trades: [] })
    const nothing = await open('empty', { ...empty, equity: [] })
    expect(await nothing.page.getAttribute('body', 'data-charts')).toBe('0')
    expect(await nothing.page.textContent('#chart-price')).toBe('No candles in this run.')
    expect(nothing.consoleErrors).toEqual([])
    await nothing.page.close()
  })
})
