import { describe, expect, it } from 'vitest'
import type { EquityPoint } from '../types'
import { equityData, equityIndices, priceData } from './data'
import { escapeHtml, formatDuration, formatNumber, formatSigned, jsonForScript, priceDecimals } from './format'
import { renderReport } from './index'
import { syntheticRun } from './test-fixture'

const XSS = '</script><script>alert(1)</script>'

/** The text of every <script>…</script> element, in order. */
function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }))
}

/** `html` without JS block comments (the inlined library's licence banner is one). */
function withoutComments(html: string): string {
  return html.replace(/\/\*[\s\S]*?\*\//g, '')
}

describe('renderReport', () => {
  const run = syntheticRun()
  const html = renderReport(run)

  it('is one HTML document with the header, the metrics and one row per trade', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<dd class="strategy">sma_crossover</dd>')
    expect(html).toContain('<span class="param-key">fast</span>=<span class="param-value">10</span>')
    expect(html).toContain('<span class="param-key">slow</span>=<span class="param-value">30</span>')
    expect(html).toContain('BTCUSDT')
    expect(html).toContain('2024-01-01 00:00 → 2024-01-13 12:00')
    const m = run.metrics
    const metric = (key: string) => html.match(new RegExp(`<tr data-metric="${key}"[^>]*><th[^>]*>[^<]*</th><td[^>]*>([^<]*)</td></tr>`))?.[1]
    expect(metric('total_return_pct')).toBe(`${formatSigned(m.total_return_pct, 2)} %`)
    expect(metric('total_pnl')).toBe(formatSigned(m.total_pnl, 2))
    expect(metric('total_trades')).toBe('6 (3 long, 3 short)')
    expect(metric('win_rate')).toBe(`${formatNumber(m.win_rate, 2)} %`)
    expect(metric('sharpe_ratio')).toBe('1.23')
    expect(metric('sortino_ratio')).toBe('2.35')
    expect(metric('max_drawdown_pct')).toBe(`${formatNumber(-m.max_drawdown_pct, 2)} %`)
    expect(metric('profit_factor')).toBe(formatNumber(m.profit_factor, 2))
    expect(metric('average_win')).toBe(formatSigned(m.average_win, 2))
    expect(metric('average_loss')).toBe(formatSigned(m.average_loss, 2))
    expect(metric('exposure_pct')).toBe(`${formatNumber(m.exposure_pct, 2)} %`)
    for (const key of ['equity_final', 'equity_peak', 'buy_hold_return_pct', 'best_trade', 'worst_trade', 'longest_drawdown', 'total_fees']) {
      expect(metric(key), key).toMatch(/\d/)
    }

    const rows = [...html.matchAll(/<tr data-trade="(\d+)" class="(win|loss|even)">/g)]
    expect(rows.map((r) => Number(r[1]))).toEqual([0, 1, 2, 3, 4, 5])
    rows.forEach((r, i) => expect(r[2]).toBe(run.trades[i]!.pnl > 0 ? 'win' : 'loss'))
    expect(html).toContain(`<h2>Trades (6)</h2>`)
    // Each row: times, prices at the run's decimals, pnl.
    const t0 = run.trades[0]!
    expect(html).toContain(`<td>2024-01-01 10:00</td><td class="num">${formatNumber(t0.entry_price, 2)}</td>`)
    expect(html).toContain(formatSigned(t0.pnl, 2))
  })

  it('is self-contained: no external URL outside comments, no src/href leaving the file, a CSP forbidding the network', () => {
    const code = withoutComments(html)
    // The only http(s):// left is the SVG namespace, an identifier the browser never fetches.
    const urls = [...code.matchAll(/https?:\/\/[^\s'"<>)]*/g)].map((m) => m[0])
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']))
    expect(html).not.toMatch(/\ssrc\s*=/i)
    expect([...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1])).toEqual(['data:,'])
    expect(html).not.toMatch(/@import|url\(/i)
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/)
    // uPlot and the chart code are inlined; the data is a JSON block.
    const s = scripts(html)
    expect(s.map((x) => x.attrs)).toEqual([' type="application/json" id="report-data"', '', ''])
    expect(s[1]!.body).toContain('uPlot')
    expect(s[1]!.body.length).toBeGreaterThan(30_000)
    expect(s[2]!.body).toContain('data-trade-marker')
  })

  it('lists each inlined script in the CSP by its hash', async () => {
    const { createHash } = await import('node:crypto')
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)![1]!.replace(/&#39;/g, "'")
    for (const { attrs, body } of scripts(html).filter((x) => x.attrs === '')) {
      expect(attrs).toBe('')
      expect(csp).toContain(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`)
    }
  })

  it('escapes strategy names, params and the title: a script in a param value is text', () => {
    const evil = syntheticRun({
      strategy: `<img src=x onerror=alert(1)>`,
      params: { [XSS]: XSS, quote: `"'><b>`, nested: { x: XSS } },
    })
    const out = renderReport({ ...evil, title: `Run ${XSS}` })
    // Exactly the report's three script elements; nothing injected.
    expect(scripts(out)).toHaveLength(3)
    expect(out.match(/<script/g)).toHaveLength(3)
    expect(out).not.toContain('<img')
    expect(out).not.toContain('<b>')
    expect(out).not.toContain('alert(1)</script>')
    expect(out).toContain('<title>Run &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>')
    expect(out).toContain('<dd class="strategy">&lt;img src=x onerror=alert(1)&gt;</dd>')
    expect(out).toContain(`<span class="param-value">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>`)
    expect(out).toContain(`<span class="param-value">&quot;&#39;&gt;&lt;b&gt;</span>`)
    // The JSON block holds the symbol etc. with < escaped, and still parses to the same values.
    const data = JSON.parse(scripts(out)[0]!.body) as { symbol: string }
    expect(data.symbol).toBe('BTCUSDT')
  })

  it('is deterministic: the same run renders byte-identical', () => {
    expect(renderReport(syntheticRun())).toBe(html)
  })

  it('shows the span the candles cover, and the requested range beside it only when the data covers less', () => {
    const metric = (page: string, key: string) => page.match(new RegExp(`<tr data-metric="${key}"[^>]*><th[^>]*>[^<]*</th><td[^>]*>([^<]*)</td></tr>`))?.[1]
    expect(html).not.toContain('requested')
    expect(metric(html, 'requested')).toBeUndefined()
    // A CSV of 300 hours asked for the whole of January: the report says what the run really covered.
    const short = syntheticRun()
    const wide = renderReport({ ...short, spec: { ...short.spec, start_time: Date.UTC(2023, 11, 31), end_time: Date.UTC(2024, 1, 1) } })
    expect(wide).toContain('requested 2023-12-31 00:00 → 2024-02-01 00:00, data 2024-01-01 00:00 → 2024-01-13 12:00')
    expect(metric(wide, 'start')).toBe('2024-01-01 00:00')
    expect(metric(wide, 'end')).toBe('2024-01-13 12:00')
    expect(metric(wide, 'duration')).toBe(formatDuration(300 * 3_600_000))
    expect(metric(wide, 'requested')).toBe('2023-12-31 00:00 → 2024-02-01 00:00')
  })

  it('renders a run with no trades, and one with no candles or equity', () => {
    const none = renderReport(syntheticRun({ trades: [] }))
    expect(none).toContain('No trades in this run.')
    expect(none).not.toContain('<tr data-trade=')
    const empty = syntheticRun({ candles: 0, trades: [] })
    const out = renderReport({ ...empty, equity: [] })
    expect(out).toContain('<h2>Trades (0)</h2>')
    expect(out).toContain('<tr data-metric="total_trades"><th scope="row">Trades</th><td>0</td></tr>')
  })

  it('thins long runs: at most 4,000 bars and about 6,000 equity points, with a note saying so', () => {
    const big = syntheticRun({ candles: 20_000, trades: [[100, 200, 'long']] })
    const out = renderReport(big)
    const data = JSON.parse(scripts(out)[0]!.body) as { price: { t: number[]; bucket: number }; equity: { t: number[]; total: number } }
    expect(data.price.bucket).toBe(5)
    expect(data.price.t).toHaveLength(4000)
    expect(data.equity.total).toBe(20_000)
    expect(data.equity.t.length).toBeLessThanOrEqual(6000)
    expect(out).toContain('20,000 candles shown as 4,000 bars of 5')
    expect(out.length).toBeLessThan(600_000)
  })
})

describe('report data', () => {
  it('merges candles into bars: first open, highest high, lowest low, last close, summed volume', () => {
    const c = {
      time: [0, 60_000, 120_000, 180_000, 240_000],
      open: [10, 11, 12, 13, 14],
      high: [15, 19, 13, 14, 16],
      low: [9, 8, 11, 12, 13],
      close: [11, 12, 13, 14, 15],
      volume: [1, 2, 3, 4, 5],
    }
    expect(priceData(c, 2)).toEqual({ bucket: 3, t: [0, 180], o: [10, 13], h: [19, 16], l: [8, 12], c: [13, 15], v: [6, 9] })
    expect(priceData(c, 10).bucket).toBe(1)
  })

  it('thins equity keeping original points: first, last, each stretch’s low, high and deepest drawdown', () => {
    const n = 10_000
    const pts: EquityPoint[] = Array.from({ length: n }, (_, i) => ({ time: i * 60_000, equity: 1000 + Math.sin(i / 50) * 100, balance: 1000, drawdown_pct: 0 }))
    pts[4321] = { ...pts[4321]!, equity: 1, drawdown_pct: 99.9 }
    const idx = equityIndices(pts, 600)
    expect(idx.length).toBeLessThanOrEqual(600)
    expect(idx[0]).toBe(0)
    expect(idx.at(-1)).toBe(n - 1)
    expect(idx).toContain(4321)
    expect([...idx].sort((a, b) => a - b)).toEqual(idx)
    const d = equityData(pts, 600)
    expect(Math.min(...d.equity)).toBe(1)
    expect(Math.max(...d.dd)).toBe(99.9)
    expect(d.t.at(-1)).toBe(((n - 1) * 60_000) / 1000)
    expect(equityIndices(pts.slice(0, 10), 600)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })
})

describe('report format', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })
  it('makes JSON safe inside a script element and keeps its value', () => {
    const v = { s: `${XSS}<!-- & \u2028\u2029` }
    const out = jsonForScript(v)
    expect(out).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(out)).toEqual(v)
  })
  it('formats numbers, signs, durations and price decimals', () => {
    expect(formatNumber(1234.567, 2)).toBe('1,234.57')
    expect(formatNumber(-0.001, 2)).toBe('0.00')
    expect(formatNumber(null)).toBe('—')
    expect(formatSigned(5, 1)).toBe('+5.0')
    expect(formatSigned(-5, 1)).toBe('-5.0')
    expect(formatDuration(90 * 60_000)).toBe('1h 30m')
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000)).toBe('3d 4h')
    expect(priceDecimals(42_000)).toBe(2)
    expect(priceDecimals(1.2345)).toBe(4)
    expect(priceDecimals(0.000123)).toBe(8)
  })
})
