// `smc-server backtest`: one backtest run locally, with a progress bar on stderr, a summary table on
// stdout and a self-contained report.html. The same engine, strategies and market sources as the
// server; nothing is stored.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseCandleTime } from '@smc-trading/smc'
import { DomainError } from '../core'
import { backtestCandles, runBacktest, validateBacktestSpec, type BacktestSpec, type EquityPoint, type RunEvent, type RunMetrics, type RunSink, type RunTrade } from '../backtest'
import { renderReport } from '../backtest/report'
import { candleSpan } from '../backtest/report/data'
import { INTERVALS, isInterval, type Interval } from '../market'
import { parseStrategyParams, STRATEGY_NAMES } from '../strategies'
import { candleSource } from './candle-source'
import { inFlagTerms, isUsageRefusal, numberFlag, paramsOf, UsageError } from './flags'
import { outPathProblem } from './out-path'
import { Progress } from './progress'

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
  --seed <s>            the simulated market's seed (default 42). Its history starts a day or so
                        before --from, and the walk depends on where it starts: the same seed gives
                        other prices for another range, or on a server (MARKET_SEED). To compare
                        runs across tools, use --csv (or backtest on the server's own history).
  --out <file>          the HTML report (default report.html); its folder must exist

Relative paths are taken from the folder the command was run in (pnpm's INIT_CWD, else the
current folder). Exit status: 0 done, 1 refused (the data or a file), 2 a usage error.
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

/** Where the CLI writes and which folder relative paths are in. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  cwd: string
  /** stderr is a terminal: the progress bar redraws in place (else plain lines). */
  tty?: boolean
}

// `pnpm --filter smc-server exec …` runs in packages/server; INIT_CWD is where the user typed it,
// which is what a relative --csv or --out means (main.ts does the same for DATABASE_URL).
const processIo: CliIo = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  cwd: process.env.INIT_CWD || process.cwd(),
  tty: process.stderr.isTTY === true,
}

/** Run the CLI; returns the exit code (2 for a usage error, 1 for a refused run). */
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
  const unreadable = (['from', 'to'] as const).filter((k) => Number.isNaN(k === 'from' ? from : to))
  if (unreadable.length > 0) {
    io.err(`smc-server backtest: --${unreadable.join(' and --')} must be ISO 8601 times or Unix seconds/milliseconds (e.g. 2024-01-01, 2024-01-01T12:00Z, 1704067200)\n`)
    return 2
  }
  if (!isInterval(values.interval)) {
    io.err(`smc-server backtest: --interval must be one of ${INTERVALS.join(', ')}\n`)
    return 2
  }
  const progress = new Progress(io.err, io.tty === true)
  try {
    const spec: BacktestSpec = {
      strategy: values.strategy!,
      params: parseStrategyParams(values.strategy!, paramsOf(values.param ?? [])) as Record<string, unknown>,
      symbol: values.symbol!.toUpperCase(),
      interval: values.interval as Interval,
      start_time: from,
      end_time: to,
      initial_balance: numberFlag('balance', values.balance!),
      taker_fee_bps: numberFlag('fee-bps', values['fee-bps']!),
      maker_fee_bps: numberFlag('maker-fee-bps', values['maker-fee-bps']!),
      slippage_bps: numberFlag('slippage-bps', values['slippage-bps']!),
    }
    validateBacktestSpec(spec)
    const out = resolve(io.cwd, values.out!)
    const outProblem = outPathProblem(out)
    if (outProblem) throw new Error(`--out: ${outProblem}`)
    const source = candleSource(values.csv ? resolve(io.cwd, values.csv) : undefined, to, from, values.seed!)
    const candles = backtestCandles(source.market, spec)
    const sink = new CollectingSink()
    let result
    try {
      result = await runBacktest(spec, candles, sink, {
        instrument: source.market.requireInstrument(spec.symbol),
        onProgress: (processed, total) => progress.update(processed, total),
      })
    } catch (e) {
      // Too few candles in the range: say where the data is, the likely mistake with a CSV.
      const span = source.span(spec.symbol)
      if (e instanceof DomainError && e.code === 'INSUFFICIENT_HISTORY' && span)
        throw new Error(`${e.message}; the data of ${spec.symbol} covers ${iso(span.start)} → ${iso(span.end)}`)
      throw e
    }
    progress.end()
    const m = sink.metrics ?? result.metrics
    writeFileSync(out, renderReport({ spec, candles, trades: sink.trades, equity: sink.equityPoints, metrics: m }))
    const rows: [string, string][] = [
      ['strategy', `${spec.strategy} ${JSON.stringify(spec.params)}`],
      ['market', `${spec.symbol} ${spec.interval} ${periodText(spec, candles.time)} (${result.processed} candles)`],
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
    progress.end()
    if (e instanceof UsageError) {
      io.err(`smc-server backtest: ${e.message}\n`)
      return 2
    }
    if (e instanceof DomainError) {
      io.err(`smc-server backtest: ${inFlagTerms(e, values.strategy!)}\n`)
      return isUsageRefusal(e) ? 2 : 1
    }
    io.err(`smc-server backtest: ${(e as Error).message}\n`)
    return 1
  }
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** The range of the summary: the candles' own when they cover less than the range asked for. */
function periodText(spec: BacktestSpec, time: ArrayLike<number>): string {
  const requested = `${iso(spec.start_time)} → ${iso(spec.end_time)}`
  const span = candleSpan(time, spec.interval)
  if (!span || (span.start === spec.start_time && span.end === spec.end_time)) return requested
  return `requested ${requested}, data ${iso(span.start)} → ${iso(span.end)}`
}
