// `smc-server backtest`: one backtest run locally, with a progress bar on stderr, a summary table on
// stdout and a self-contained report.html. The same engine, strategies and market sources as the
// server; nothing is stored.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseCandleTime } from '@smc-trading/smc'
import { ManualClock } from '../core'
import { backtestCandles, runBacktest, validateBacktestSpec, type BacktestSpec, type EquityPoint, type RunEvent, type RunMetrics, type RunSink, type RunTrade } from '../backtest'
import { renderReport } from '../backtest/report'
import { createSimulatedMarket, INTERVALS, isInterval, type Interval, type MarketData } from '../market'
import { createReplayMarket, loadCsvSource } from '../market/csv'
import { parseStrategyParams, STRATEGY_NAMES } from '../strategies'

export const BACKTEST_USAGE = `Usage: smc-server backtest --strategy <name> --symbol <SYMBOL> --from <time> --to <time> [options]

  --strategy <name>     ${STRATEGY_NAMES.join(', ')}
  --symbol <SYMBOL>     e.g. BTCUSDT
  --from, --to <time>   ISO 8601 (2024-01-01, 2024-01-01T12:00Z) or Unix seconds/ms
  --interval <i>        ${INTERVALS.join(', ')} (default 1h)
  --param key=value     a strategy parameter (repeatable), e.g. --param fast=10 --param slow=30
  --csv <file|folder>   candles from CSV files instead of the simulated market
  --balance <n>         initial balance (default 10000)
  --fee-bps <n>         taker fee in basis points (default 10); --maker-fee-bps (default 2)
  --slippage-bps <n>    extra adverse move on each market fill (default 0)
  --seed <s>            the simulated market's seed (default 42)
  --out <file>          the HTML report (default report.html)
`

class CollectingSink implements RunSink {
  readonly trades: RunTrade[] = []
  readonly equityPoints: EquityPoint[] = []
  metrics: RunMetrics | undefined
  event(_e: RunEvent): void {}
  trade(t: RunTrade): void {
    this.trades.push(t)
  }
  equity(p: EquityPoint): void {
    this.equityPoints.push({ ...p })
  }
  checkpoint(m: RunMetrics): void {
    this.metrics = m
  }
}

/** A value of `--param key=value`: a number when it reads as one, true/false, null, else the text. */
function paramValue(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text)
  if (text === 'true' || text === 'false') return text === 'true'
  if (text === 'null') return null
  return text
}

function progressBar(processed: number, total: number): string {
  const width = 30
  const done = total > 0 ? Math.round((processed / total) * width) : width
  return `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${processed}/${total} candles`
}

/** Run the CLI; returns the exit code (2 for a usage error, 1 for a refused run). */
/** Where the CLI writes and which folder relative paths are in. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  cwd: string
}

const processIo: CliIo = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s), cwd: process.cwd() }

export async function backtestCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        strategy: { type: 'string' },
        symbol: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        interval: { type: 'string', default: '1h' },
        param: { type: 'string', multiple: true, default: [] },
        csv: { type: 'string' },
        balance: { type: 'string', default: '10000' },
        'fee-bps': { type: 'string', default: '10' },
        'maker-fee-bps': { type: 'string', default: '2' },
        'slippage-bps': { type: 'string', default: '0' },
        seed: { type: 'string', default: '42' },
        out: { type: 'string', default: 'report.html' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (e) {
    io.err(`smc-server backtest: ${(e as Error).message}\n${BACKTEST_USAGE}`)
    return 2
  }
  if (values.help) {
    io.out(BACKTEST_USAGE)
    return 0
  }
  const missing = (['strategy', 'symbol', 'from', 'to'] as const).filter((k) => !values[k])
  if (missing.length > 0) {
    io.err(`smc-server backtest: missing --${missing.join(', --')}\n${BACKTEST_USAGE}`)
    return 2
  }
  const from = parseCandleTime(values.from!)
  const to = parseCandleTime(values.to!)
  if (Number.isNaN(from) || Number.isNaN(to)) {
    io.err('smc-server backtest: --from and --to must be ISO 8601 times or Unix seconds/milliseconds\n')
    return 2
  }
  if (!isInterval(values.interval)) {
    io.err(`smc-server backtest: --interval must be one of ${INTERVALS.join(', ')}\n`)
    return 2
  }
  try {
    const params: Record<string, unknown> = {}
    for (const p of values.param ?? []) {
      const eq = p.indexOf('=')
      if (eq <= 0) throw new Error(`--param ${p}: expected key=value`)
      params[p.slice(0, eq)] = paramValue(p.slice(eq + 1))
    }
    const spec: BacktestSpec = {
      strategy: values.strategy!,
      params: parseStrategyParams(values.strategy!, params) as Record<string, unknown>,
      symbol: values.symbol!.toUpperCase(),
      interval: values.interval as Interval,
      start_time: from,
      end_time: to,
      initial_balance: Number(values.balance),
      taker_fee_bps: Number(values['fee-bps']),
      maker_fee_bps: Number(values['maker-fee-bps']),
      slippage_bps: Number(values['slippage-bps']),
    }
    validateBacktestSpec(spec)
    const market = marketFor(values.csv ? resolve(io.cwd, values.csv) : undefined, to, from, values.seed!)
    const candles = backtestCandles(market, spec)
    const sink = new CollectingSink()
    const result = await runBacktest(spec, candles, sink, {
      instrument: market.requireInstrument(spec.symbol),
      onProgress: (processed, total) => io.err(progressBar(processed, total)),
    })
    io.err('\n')
    const m = sink.metrics ?? result.metrics
    const out = resolve(io.cwd, values.out!)
    writeFileSync(out, renderReport({ spec, candles, trades: sink.trades, equity: sink.equityPoints, metrics: m }))
    const rows: [string, string][] = [
      ['strategy', `${spec.strategy} ${JSON.stringify(spec.params)}`],
      ['market', `${spec.symbol} ${spec.interval} ${new Date(from).toISOString()} → ${new Date(to).toISOString()} (${result.processed} candles)`],
      ['total return', `${m.total_return_pct.toFixed(2)} %`],
      ['total pnl', m.total_pnl.toFixed(2)],
      ['trades', `${m.total_trades} (${m.winning_trades} won, ${m.losing_trades} lost, win rate ${m.win_rate.toFixed(1)} %)`],
      ['max drawdown', `${m.max_drawdown_pct.toFixed(2)} %`],
      ['sharpe / sortino', `${m.sharpe_ratio?.toFixed(2) ?? '—'} / ${m.sortino_ratio?.toFixed(2) ?? '—'}`],
      ['profit factor', m.profit_factor?.toFixed(2) ?? '—'],
      ['exposure', `${m.exposure_pct.toFixed(1)} %`],
      ['report', out],
    ]
    for (const [k, v] of rows) io.out(`${k.padEnd(18)}${v}\n`)
    return 0
  } catch (e) {
    io.err(`\nsmc-server backtest: ${(e as Error).message}\n`)
    return 1
  }
}

/** The candles' source: CSV files (every candle history), or the simulated market with enough history up to `to`. */
function marketFor(csv: string | undefined, to: number, from: number, seed: string): MarketData {
  if (csv) {
    const source = loadCsvSource(csv)
    const clock = new ManualClock(to)
    // Replaying from the end: every candle of the files is history.
    return createReplayMarket({ clock, source, speed: 1, start: Number.MAX_SAFE_INTEGER, seed })
  }
  const clock = new ManualClock(to)
  return createSimulatedMarket({ clock, seed, historyDays: Math.ceil((to - from) / 86_400_000) + 1 })
}
