import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CsvInputError, readCandlesCsv } from '../csv/read-candles'
import { writeIndicatorCsv, type ReferenceIndicator } from '../csv/write-result'
import { parseTimeFrame } from '../indicators/previous-high-low'
import { sessions } from '../indicators/sessions'
import { candlesFromArrays } from '../types'
import { LocalTimeError } from '../time/zone'
import { REFERENCE_INDICATORS, runIndicator, type IndicatorParams } from './run-indicator'

/** Which flags each indicator accepts (besides --input); anything else is a usage error. */
const FLAGS: Record<ReferenceIndicator, readonly string[]> = {
  swing_highs_lows: ['swing-length'],
  fvg: ['join-consecutive'],
  bos_choch: ['swing-length', 'close-break'],
  ob: ['swing-length', 'close-mitigation'],
  liquidity: ['swing-length', 'range-percent'],
  previous_high_low: ['time-frame'],
  sessions: ['session', 'start-time', 'end-time', 'time-zone'],
  retracements: ['swing-length'],
}

export const USAGE = `Usage: smc <indicator> --input <file.csv> [options]

Computes one Smart Money Concepts indicator exactly as the Python library smartmoneyconcepts
v0.0.27 does and writes its result CSV (pandas to_csv format) to stdout.

Indicators: ${REFERENCE_INDICATORS.join(', ')}

Input: CSV with a header row and columns Date (YYYY.MM.DD HH:MM:SS), Open, High, Low, Close,
Volume (any order, case-insensitive), rows in ascending time order. "--input -" reads stdin.
Relative paths are resolved against the directory you ran pnpm from.

Options (each applies to the indicators listed):
  --swing-length N              swing_highs_lows, bos_choch, ob, liquidity, retracements (default 5)
  --close-break true|false      bos_choch (default true)
  --close-mitigation true|false ob (default false)
  --join-consecutive true|false fvg (default false)
  --range-percent X             liquidity (default 0.01)
  --time-frame TF               previous_high_low: 4h, 1D, W, or another pandas frame such as
                                15min, 1h, W-MON, M, MS (default 1D)
  --session NAME                sessions (required): Sydney, Tokyo, London, "New York",
                                "Asian kill zone", "London open kill zone", "New York kill zone",
                                "london close kill zone", Custom
  --start-time HH:MM            sessions, Custom only
  --end-time HH:MM              sessions, Custom only
  --time-zone TZ                sessions: zone of the candle times (default UTC)
  -h, --help                    show this help

Exit codes: 0 success, 1 bad input data, 2 bad usage.
`

/** A failure to report: message for stderr and the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

const usageError = (message: string) => new CliError(`${message}\nRun "smc --help" for usage.`, 2)

function parseBool(flag: string, text: string): boolean {
  if (text === 'true') return true
  if (text === 'false') return false
  throw usageError(`--${flag} must be true or false, got "${text}"`)
}

/**
 * Turn argv into the indicator, input path and parameters; throws CliError (exit code 2) on bad
 * usage: unknown indicator or flag, a flag the indicator does not take, or a bad flag value.
 *
 * @example
 * parseCli(['fvg', '--input', 'a.csv', '--join-consecutive', 'true'])
 * // { help: false, indicator: 'fvg', input: 'a.csv', params: { joinConsecutive: true } }
 */
export function parseCli(argv: readonly string[]): { help: true } | { help: false; indicator: ReferenceIndicator; input: string; params: IndicatorParams } {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: 'string', short: 'i' },
        'swing-length': { type: 'string' },
        'close-break': { type: 'string' },
        'close-mitigation': { type: 'string' },
        'join-consecutive': { type: 'string' },
        'range-percent': { type: 'string' },
        'time-frame': { type: 'string' },
        session: { type: 'string' },
        'start-time': { type: 'string' },
        'end-time': { type: 'string' },
        'time-zone': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (e) {
    // node's messages are clear ("Unknown option '--foo'", "Option '--input <value>' argument missing").
    throw usageError((e as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) return { help: true }
  if (positionals.length === 0) throw usageError(`missing indicator (one of: ${REFERENCE_INDICATORS.join(', ')})`)
  if (positionals.length > 1) throw usageError(`expected one indicator, got: ${positionals.join(' ')}`)
  const name = positionals[0]!
  if (!(REFERENCE_INDICATORS as readonly string[]).includes(name)) {
    throw usageError(`unknown indicator "${name}" (one of: ${REFERENCE_INDICATORS.join(', ')})`)
  }
  const indicator = name as ReferenceIndicator
  if (values.input === undefined || values.input === '') throw usageError('missing --input <file.csv>')
  for (const [flag, v] of Object.entries(values)) {
    if (v === undefined || flag === 'input' || flag === 'help') continue
    if (!FLAGS[indicator].includes(flag)) {
      const takes = FLAGS[indicator].map((f) => `--${f}`).join(', ') || 'no options'
      throw usageError(`--${flag} does not apply to ${indicator} (it takes ${takes})`)
    }
  }

  const params: IndicatorParams = {}
  const sl = values['swing-length']
  if (sl !== undefined) {
    if (!/^\d+$/.test(sl) || Number(sl) < 1 || !Number.isSafeInteger(Number(sl))) {
      throw usageError(`--swing-length must be a positive integer, got "${sl}"`)
    }
    params.swingLength = Number(sl)
  }
  if (values['close-break'] !== undefined) params.closeBreak = parseBool('close-break', values['close-break'])
  if (values['close-mitigation'] !== undefined) params.closeMitigation = parseBool('close-mitigation', values['close-mitigation'])
  if (values['join-consecutive'] !== undefined) params.joinConsecutive = parseBool('join-consecutive', values['join-consecutive'])
  const rp = values['range-percent']
  if (rp !== undefined) {
    const x = rp.trim() === '' ? Number.NaN : Number(rp)
    if (!Number.isFinite(x) || x < 0) throw usageError(`--range-percent must be a non-negative number, got "${rp}"`)
    params.rangePercent = x
  }
  if (values['time-frame'] !== undefined) {
    try {
      parseTimeFrame(values['time-frame'])
    } catch (e) {
      throw usageError(`--time-frame: ${(e as Error).message}`)
    }
    params.timeFrame = values['time-frame']
  }
  if (indicator === 'sessions') {
    if (values.session === undefined) throw usageError('sessions needs --session NAME (e.g. London, or Custom with --start-time/--end-time)')
    params.session = values.session
    params.startTime = values['start-time']
    params.endTime = values['end-time']
    params.timeZone = values['time-zone']
    try {
      // One harmless candle (mid-January noon) validates the session, times and zone up front.
      const t = [Date.UTC(2000, 0, 15, 12)]
      sessions(candlesFromArrays({ time: t, open: [1], high: [1], low: [1], close: [1], volume: [0] }), {
        session: params.session,
        startTime: params.startTime,
        endTime: params.endTime,
        timeZone: params.timeZone,
      })
    } catch (e) {
      throw usageError((e as Error).message.replace(/^sessions: /, '').replace(/\b(start|end) time "/, '--$1-time "'))
    }
  }
  return { help: false, indicator, input: values.input, params }
}

/** Minimal I/O surface, so the CLI can be driven in-process. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  readFile: (path: string) => string
  /** Base directory for relative --input paths. */
  cwd: string
}

const defaultIo = (): CliIo => ({
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readFile: (p) => readFileSync(p === '-' ? 0 : p, 'utf8'),
  // `pnpm smc` runs in packages/smc; INIT_CWD is where the user typed the command.
  cwd: process.env.INIT_CWD ?? process.cwd(),
})

/**
 * Run the `smc` command; returns the exit code (0 ok, 1 bad input data, 2 bad usage).
 *
 * @example
 * process.exitCode = main(['fvg', '--input', 'EURUSD_15M.csv', '--join-consecutive', 'true'])
 */
export function main(argv: readonly string[], io: CliIo = defaultIo()): number {
  try {
    const cli = parseCli(argv)
    if (cli.help) {
      io.stdout(USAGE)
      return 0
    }
    const path = cli.input === '-' ? '-' : resolve(io.cwd, cli.input)
    let text: string
    try {
      text = io.readFile(path)
    } catch (e) {
      throw new CliError(`cannot read --input ${cli.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 1)
    }
    const where = cli.input === '-' ? 'stdin' : cli.input
    let candles
    try {
      candles = readCandlesCsv(text)
    } catch (e) {
      if (e instanceof CsvInputError) throw new CliError(`${where}: ${e.message}`, 1)
      throw e
    }
    let result
    try {
      result = runIndicator(cli.indicator, candles, cli.params)
    } catch (e) {
      // Data-dependent failures, e.g. a candle time inside a DST gap for --time-zone.
      if (e instanceof LocalTimeError) throw new CliError(`${where}: line ${e.row + 2}: ${e.message}`, 1)
      if (e instanceof RangeError) throw new CliError(e.message, 1)
      throw e
    }
    io.stdout(writeIndicatorCsv(cli.indicator, result))
    return 0
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`smc: error: ${e.message}\n`)
      return e.exitCode
    }
    io.stderr(`smc: internal error: ${(e as Error).stack ?? String(e)}\n`)
    return 70
  }
}
