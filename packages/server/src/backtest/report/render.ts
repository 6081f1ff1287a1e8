import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { RunMetrics, RunTrade } from '../types'
import { chartTrades, deriveStats, equityData, priceData, tradeReturnPct, type DerivedStats, type ReportInput } from './data'
import {
  escapeHtml as esc,
  formatDuration,
  formatNumber,
  formatSigned,
  formatTime,
  formatTrimmed,
  jsonForScript,
  paramText,
  priceDecimals,
} from './format'

// One self-contained HTML file: the server renders the header, the metrics and the trades table as
// plain HTML (readable without JavaScript); the charts are uPlot (MIT, ~50 kB, inlined from
// node_modules at render time) drawn by client.js from a JSON block. No network: a Content Security
// Policy of default-src 'none' forbids every fetch, and only the two inlined scripts (by hash) run.

interface Assets {
  uplotJs: string
  uplotCss: string
  uplotVersion: string
  clientJs: string
  css: string
}

let assets: Assets | undefined

function inlineScriptSafe(name: string, code: string): string {
  // Inside <script>, only "</script" and "<!--" change how the HTML parser reads the text.
  if (/<\/script|<!--/i.test(code)) throw new Error(`report: ${name} cannot be inlined (contains </script or <!--)`)
  return code
}

function loadAssets(): Assets {
  if (assets) return assets
  const require = createRequire(import.meta.url)
  const uplotJsPath = require.resolve('uplot/dist/uPlot.iife.min.js')
  const uplotCssPath = require.resolve('uplot/dist/uPlot.min.css')
  const uplotPkg = JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version: string }
  assets = {
    uplotJs: inlineScriptSafe('uPlot', readFileSync(uplotJsPath, 'utf8')),
    uplotCss: readFileSync(uplotCssPath, 'utf8'),
    uplotVersion: uplotPkg.version,
    clientJs: inlineScriptSafe('client.js', readFileSync(new URL('./client.js', import.meta.url), 'utf8')),
    css: readFileSync(new URL('./report.css', import.meta.url), 'utf8'),
  }
  return assets
}

const roundAll =
  (decimals: number) =>
  (values: number[]): number[] => {
    const f = 10 ** decimals
    return values.map((v) => Math.round(v * f) / f)
  }

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

const signClass = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) || v === 0 ? '' : v > 0 ? 'pos' : 'neg')

interface MetricRow {
  key: string
  label: string
  value: string
  cls?: string
  title?: string
}

function metricRows(m: RunMetrics, d: DerivedStats, input: ReportInput): { group: string; rows: MetricRow[] }[] {
  const money = (v: number | null) => formatNumber(v, 2)
  const spec = input.spec
  const breakeven = m.total_trades - m.winning_trades - m.losing_trades
  return [
    {
      group: 'Performance',
      rows: [
        { key: 'start', label: 'Start', value: formatTime(d.start) },
        { key: 'end', label: 'End', value: formatTime(d.end) },
        { key: 'duration', label: 'Duration', value: formatDuration(d.end - d.start) },
        ...(d.requested ? [{ key: 'requested', label: 'Requested', value: `${formatTime(d.requested.start)} → ${formatTime(d.requested.end)}`, title: 'the data covers less than the range asked for' }] : []),
        { key: 'initial_balance', label: 'Initial balance', value: money(spec.initial_balance) },
        { key: 'equity_final', label: 'Equity final', value: money(d.equityFinal) },
        { key: 'equity_peak', label: 'Equity peak', value: money(d.equityPeak) },
        { key: 'total_return_pct', label: 'Total return', value: `${formatSigned(m.total_return_pct, 2)} %`, cls: signClass(m.total_return_pct) },
        {
          key: 'buy_hold_return_pct',
          label: 'Buy & hold return',
          value: d.buyHoldPct === null ? '—' : `${formatSigned(d.buyHoldPct, 2)} %`,
          cls: signClass(d.buyHoldPct),
          title: 'First open to last close of the period',
        },
        { key: 'total_pnl', label: 'Total PnL', value: formatSigned(m.total_pnl, 2), cls: signClass(m.total_pnl) },
        { key: 'realized_pnl', label: 'Realized PnL', value: formatSigned(m.realized_pnl, 2), cls: signClass(m.realized_pnl) },
        { key: 'unrealized_pnl', label: 'Unrealized PnL', value: formatSigned(m.unrealized_pnl, 2), cls: signClass(m.unrealized_pnl) },
        { key: 'total_fees', label: 'Fees paid', value: money(d.totalFees), title: 'Sum of the trades’ fees' },
        { key: 'exposure_pct', label: 'Exposure time', value: `${formatNumber(m.exposure_pct, 2)} %`, title: 'Share of candles with an open position' },
      ],
    },
    {
      group: 'Risk',
      rows: [
        { key: 'max_drawdown_pct', label: 'Max drawdown', value: `${formatNumber(-m.max_drawdown_pct, 2)} %`, cls: m.max_drawdown_pct > 0 ? 'neg' : '' },
        { key: 'longest_drawdown', label: 'Longest drawdown', value: d.longestDrawdownMs === null ? '—' : formatDuration(d.longestDrawdownMs) },
        { key: 'sharpe_ratio', label: 'Sharpe ratio', value: formatNumber(m.sharpe_ratio, 2), cls: signClass(m.sharpe_ratio) },
        { key: 'sortino_ratio', label: 'Sortino ratio', value: formatNumber(m.sortino_ratio, 2), cls: signClass(m.sortino_ratio) },
        { key: 'profit_factor', label: 'Profit factor', value: formatNumber(m.profit_factor, 2), title: 'Gross profit / gross loss (— without a losing trade)' },
      ],
    },
    {
      group: 'Trades',
      rows: [
        { key: 'total_trades', label: 'Trades', value: `${m.total_trades}${m.total_trades ? ` (${d.longs} long, ${d.shorts} short)` : ''}` },
        {
          key: 'winning_trades',
          label: 'Won / lost',
          value: `${m.winning_trades} / ${m.losing_trades}${breakeven > 0 ? ` (${breakeven} even)` : ''}`,
        },
        { key: 'win_rate', label: 'Win rate', value: `${formatNumber(m.win_rate, 2)} %` },
        { key: 'best_trade', label: 'Best trade', value: formatSigned(d.bestTrade, 2), cls: signClass(d.bestTrade) },
        { key: 'worst_trade', label: 'Worst trade', value: formatSigned(d.worstTrade, 2), cls: signClass(d.worstTrade) },
        { key: 'average_win', label: 'Average win', value: formatSigned(m.average_win, 2), cls: signClass(m.average_win) },
        { key: 'average_loss', label: 'Average loss', value: formatSigned(m.average_loss, 2), cls: signClass(m.average_loss) },
        { key: 'average_trade', label: 'Average trade', value: formatSigned(d.avgTrade, 2), cls: signClass(d.avgTrade) },
        { key: 'average_trade_duration', label: 'Avg. trade duration', value: d.avgTradeDurationMs === null ? '—' : formatDuration(d.avgTradeDurationMs) },
        { key: 'max_trade_duration', label: 'Max. trade duration', value: d.maxTradeDurationMs === null ? '—' : formatDuration(d.maxTradeDurationMs) },
      ],
    },
  ]
}

function metricsHtml(groups: ReturnType<typeof metricRows>): string {
  return groups
    .map(
      (g) =>
        `<table class="metrics"><caption>${esc(g.group)}</caption><tbody>${g.rows
          .map(
            (r) =>
              `<tr data-metric="${esc(r.key)}"${r.title ? ` title="${esc(r.title)}"` : ''}><th scope="row">${esc(r.label)}</th><td${r.cls ? ` class="${r.cls}"` : ''}>${esc(r.value)}</td></tr>`,
          )
          .join('')}</tbody></table>`,
    )
    .join('\n')
}

function card(label: string, value: string, cls = ''): string {
  return `<div class="card"><div class="card-label">${esc(label)}</div><div class="card-value ${cls}">${esc(value)}</div></div>`
}

function tradesHtml(trades: readonly RunTrade[], pd: number): string {
  if (trades.length === 0) return '<p class="empty">No trades in this run.</p>'
  const rows = trades
    .map((t, i) => {
      const win = t.pnl > 0 ? 'win' : t.pnl < 0 ? 'loss' : 'even'
      const ret = tradeReturnPct(t)
      return (
        `<tr data-trade="${i}" class="${win}">` +
        `<td class="num">${i + 1}</td>` +
        `<td><span class="side side-${t.direction === 'short' ? 'short' : 'long'}">${t.direction === 'short' ? 'Short' : 'Long'}</span></td>` +
        `<td>${esc(formatTime(t.entry_time))}</td>` +
        `<td class="num">${esc(formatNumber(t.entry_price, pd))}</td>` +
        `<td>${esc(formatTime(t.exit_time))}</td>` +
        `<td class="num">${esc(formatNumber(t.exit_price, pd))}</td>` +
        `<td class="num">${esc(formatTrimmed(t.quantity))}</td>` +
        `<td class="num">${esc(formatNumber(t.fees, 2))}</td>` +
        `<td class="num ${signClass(t.pnl)}">${esc(formatSigned(t.pnl, 2))}</td>` +
        `<td class="num ${signClass(ret)}">${esc(formatSigned(ret, 2))} %</td>` +
        `<td>${esc(formatDuration(t.exit_time - t.entry_time))}</td>` +
        `<td>${esc(t.exit_reason)}</td>` +
        `</tr>`
      )
    })
    .join('\n')
  return (
    '<div class="table-wrap"><table class="trades" id="trades-table"><thead><tr>' +
    '<th class="num">#</th><th>Side</th><th>Entry time</th><th class="num">Entry price</th><th>Exit time</th><th class="num">Exit price</th>' +
    '<th class="num">Quantity</th><th class="num">Fees</th><th class="num">PnL</th><th class="num">Return</th><th>Duration</th><th>Exit reason</th>' +
    `</tr></thead><tbody>\n${rows}\n</tbody></table></div>`
  )
}

/** The report of one run as a single self-contained HTML document. */
export function renderReport(input: ReportInput): string {
  const a = loadAssets()
  const { spec, metrics: m, trades } = input
  const price = priceData(input.candles)
  const equity = equityData(input.equity)
  const d = deriveStats(input)
  const n = input.candles.close.length
  let typical = 0
  if (n) typical = input.candles.close[n - 1]!
  else if (trades.length) typical = trades[0]!.entry_price
  const pd = priceDecimals(typical)
  const title = input.title ?? `Backtest · ${spec.strategy} · ${spec.symbol} ${spec.interval}`

  // Chart data at display precision (two digits past what the labels show) keeps the file small.
  const rp = roundAll(pd + 2)
  const r4 = roundAll(4)
  const data = {
    symbol: spec.symbol,
    interval: spec.interval,
    initialBalance: spec.initial_balance,
    priceDecimals: pd,
    price: { ...price, o: rp(price.o), h: rp(price.h), l: rp(price.l), c: rp(price.c), v: price.v.map((v) => Number(v.toPrecision(6))) },
    equity: { ...equity, equity: r4(equity.equity), balance: r4(equity.balance), dd: r4(equity.dd) },
    trades: chartTrades(trades),
    peak: d.peak && { t: d.peak.time / 1000, e: d.peak.equity },
    trough: d.trough && { t: d.trough.time / 1000, e: d.trough.equity, dd: d.trough.dd },
  }

  const params = Object.entries(spec.params ?? {})
  const paramsHtml = params.length
    ? params.map(([k, v]) => `<span class="param"><span class="param-key">${esc(k)}</span>=<span class="param-value">${esc(paramText(v))}</span></span>`).join(' ')
    : '<span class="muted">defaults</span>'

  const thinned: string[] = []
  if (price.bucket > 1) thinned.push(`${n.toLocaleString('en-US')} candles shown as ${price.t.length.toLocaleString('en-US')} bars of ${price.bucket}`)
  if (equity.t.length < equity.total) thinned.push(`equity: ${equity.t.length.toLocaleString('en-US')} of ${equity.total.toLocaleString('en-US')} points (each stretch’s low, high and deepest drawdown)`)

  const csp = [
    "default-src 'none'",
    `script-src ${sha256(a.uplotJs)} ${sha256(a.clientJs)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="generator" content="smc-server backtest report">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${a.uplotCss}</style>
<style>${a.css}</style>
</head>
<body data-trades="${trades.length}">
<header class="page-header">
<h1>${esc(title)}</h1>
<dl class="run">
<div><dt>Strategy</dt><dd class="strategy">${esc(spec.strategy)}</dd></div>
<div><dt>Parameters</dt><dd class="params">${paramsHtml}</dd></div>
<div><dt>Symbol</dt><dd>${esc(spec.symbol)}</dd></div>
<div><dt>Interval</dt><dd>${esc(spec.interval)}</dd></div>
<div><dt>Period</dt><dd>${d.requested ? `requested ${esc(formatTime(d.requested.start))} → ${esc(formatTime(d.requested.end))}, data ` : ''}${esc(formatTime(d.start))} → ${esc(formatTime(d.end))} <span class="muted">(${esc(formatDuration(d.end - d.start))}, ${n.toLocaleString('en-US')} candles)</span></dd></div>
<div><dt>Costs</dt><dd>taker ${esc(formatTrimmed(spec.taker_fee_bps, 4))} bps · maker ${esc(formatTrimmed(spec.maker_fee_bps, 4))} bps · slippage ${esc(formatTrimmed(spec.slippage_bps, 4))} bps</dd></div>
</dl>
</header>
<main>
<section class="cards" aria-label="Key figures">
${card('Return', `${formatSigned(m.total_return_pct, 2)} %`, signClass(m.total_return_pct))}
${card('PnL', formatSigned(m.total_pnl, 2), signClass(m.total_pnl))}
${card('Max drawdown', `${formatNumber(-m.max_drawdown_pct, 2)} %`, m.max_drawdown_pct > 0 ? 'neg' : '')}
${card('Sharpe', formatNumber(m.sharpe_ratio, 2))}
${card('Win rate', `${formatNumber(m.win_rate, 1)} %`)}
${card('Trades', String(m.total_trades))}
${card('Profit factor', formatNumber(m.profit_factor, 2))}
</section>
<section class="metrics-grid" aria-label="Metrics">
${metricsHtml(metricRows(m, d, input))}
</section>
<section class="charts" aria-label="Charts">
<noscript><p class="empty">The charts need JavaScript; the tables below do not.</p></noscript>
<p class="hint">Drag across a chart to zoom (all charts follow), double-click to reset; hover a trade marker for its details; click a trade row to zoom to it.${thinned.length ? ` <span class="muted">Thinned for size: ${esc(thinned.join('; '))}.</span>` : ''}</p>
<h2>Equity</h2>
<div id="chart-equity" class="chart"></div>
<h2>Drawdown</h2>
<div id="chart-drawdown" class="chart"></div>
<h2>Price and trades <span class="legend-key"><span class="k-long">▲ long entry</span> <span class="k-short">▼ short entry</span> <span class="k-exit">● exit</span> <span class="k-win">win</span> <span class="k-loss">loss</span></span></h2>
<div id="chart-price" class="chart"></div>
<div id="chart-volume" class="chart"></div>
<div id="report-error" class="error" hidden></div>
</section>
<section class="trades-section" aria-label="Trades">
<h2>Trades (${trades.length})</h2>
${tradesHtml(trades, pd)}
</section>
</main>
<footer>Charts by uPlot ${esc(a.uplotVersion)} (MIT licence, © Leon Sorokin), inlined in this file. Times in UTC.</footer>
<div id="tooltip" class="tooltip" hidden></div>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${a.uplotJs}</script>
<script>${a.clientJs}</script>
</body>
</html>
`
}
