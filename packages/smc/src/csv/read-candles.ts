import { allocCandles, type Candles } from '../types'

/** Thrown for malformed candle CSV input; `line` is 1-based (the header is line 1). */
export class CsvInputError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'CsvInputError'
  }
}

const VALUES = ['open', 'high', 'low', 'close', 'volume'] as const
/** Accepted names of the time column, in order of preference. */
const TIME_COLUMNS = ['date', 'timestamp', 'time', 'datetime', 'open_time'] as const
const DATE_RE = /^(\d{4})[.-](\d{2})[.-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const DIGITS_RE = /^\d{1,16}$/

/** Parse `YYYY.MM.DD HH:MM:SS` (the reference's format; `-` and `T` also accepted) as UTC epoch ms. */
export function parseReferenceDate(text: string): number {
  const t = text.trim()
  const day = DAY_RE.exec(t)
  const m = day ? ([...day, '00', '00', undefined, undefined, undefined] as (string | undefined)[]) : DATE_RE.exec(t)
  if (!m) return Number.NaN
  const [, y, mo, d, h, mi, s, frac, zone] = m
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, s ? +s : 0, frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0)
  // Date.UTC silently rolls 2024-02-31 over into March: reject such dates instead.
  const back = new Date(ms)
  if (back.getUTCDate() !== +d! || back.getUTCMonth() !== +mo! - 1 || +h! > 23 || +mi! > 59 || (s !== undefined && +s > 59)) return Number.NaN
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '')
    ms -= (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
  }
  return ms
}

/**
 * A candle time as UTC epoch ms: the reference's `YYYY.MM.DD HH:MM:SS`, ISO 8601 (`T` or space, an
 * optional `Z`/offset, a date alone), or Unix time in digits — seconds below 10^11, milliseconds
 * above (10^11 s is the year 5138, 10^11 ms is 1973).
 *
 * @example
 * parseCandleTime('1704067200')            // 1704067200000
 * parseCandleTime('2024-01-01T00:00:00Z')  // 1704067200000
 */
export function parseCandleTime(text: string): number {
  const t = text.trim()
  if (DIGITS_RE.test(t)) {
    const n = Number(t)
    return n < 1e11 ? n * 1000 : n
  }
  return parseReferenceDate(t)
}

/**
 * What makes a candle impossible, or null: a price at or below 0, high below low, open or close
 * outside [low, high], a negative volume. Equal values (a flat candle) and zero volume (a quiet
 * minute, or a forex feed without volume) are real data and pass.
 */
function candleProblem(open: number, high: number, low: number, close: number, volume: number): string | null {
  for (const [name, v] of [['open', open], ['high', high], ['low', low], ['close', close]] as const)
    if (!(v > 0)) return `${name} ${v} is not a positive price`
  if (volume < 0) return `volume ${volume} is negative`
  if (high < low) return `high ${high} is below low ${low}`
  for (const [name, v] of [['open', open], ['close', close]] as const) {
    if (v > high) return `${name} ${v} is above high ${high}`
    if (v < low) return `${name} ${v} is below low ${low}`
  }
  return null
}

/** Candles read from a CSV, grouped by the optional `symbol` column (`null` when the file has none). */
export interface CandleCsv {
  /** Per symbol (upper case), or the single key `null` without a symbol column. */
  series: Map<string | null, Candles>
}

/**
 * Read a candle CSV: a time column (`date`, `timestamp`, `time`, `datetime` or `open_time`; see
 * {@link parseCandleTime}), `open`, `high`, `low`, `close`, `volume` (names case-insensitive, other
 * columns ignored — so the reference library's `Date,Open,High,Low,Close,Tickvol,Volume,Spread`
 * reads as is), and optionally `symbol`. Each symbol's rows must be in strictly ascending time
 * order; numbers must be finite, prices above 0, `low ≤ open, close ≤ high` and volume ≥ 0. A problem throws {@link CsvInputError} naming the
 * line and what is wrong.
 *
 * @example
 * const { series } = readCandleCsv(fs.readFileSync('BTCUSDT.csv', 'utf8'))
 * series.get(null)!.close.length
 */
export function readCandleCsv(text: string): CandleCsv {
  const lines = text.split(/\r?\n/)
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
  if (lines.length === 0) throw new CsvInputError('empty input: a header row is required', 1)
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase().replace(/^\uFEFF/, ''))
  const timeIdx = TIME_COLUMNS.map((c) => header.indexOf(c)).find((i) => i >= 0)
  if (timeIdx === undefined)
    throw new CsvInputError(`missing a time column (one of ${TIME_COLUMNS.join(', ')}; header: ${lines[0]})`, 1)
  const idx: Record<string, number> = {}
  for (const name of VALUES) {
    const i = header.indexOf(name)
    if (i < 0) throw new CsvInputError(`missing column "${name}" (header: ${lines[0]})`, 1)
    idx[name] = i
  }
  const symbolIdx = header.indexOf('symbol')

  const rows = lines.length - 1
  const all = allocCandles(rows)
  const symbols: (string | null)[] = new Array(rows)
  const lastTime = new Map<string | null, number>()
  const counts = new Map<string | null, number>()
  for (let r = 0; r < rows; r++) {
    const lineNo = r + 2
    const cells = lines[r + 1]!.split(',')
    const raw = cells[timeIdx] ?? ''
    const t = parseCandleTime(raw)
    if (Number.isNaN(t)) throw new CsvInputError(`unparsable time "${raw.trim()}"`, lineNo)
    const symbol = symbolIdx >= 0 ? (cells[symbolIdx] ?? '').trim().toUpperCase() : null
    if (symbol === '') throw new CsvInputError('empty symbol', lineNo)
    const previous = lastTime.get(symbol)
    if (previous !== undefined && t === previous) throw new CsvInputError(`duplicate time ${raw.trim()}${symbol ? ` for ${symbol}` : ''}`, lineNo)
    if (previous !== undefined && t < previous) throw new CsvInputError('rows are not in ascending time order', lineNo)
    lastTime.set(symbol, t)
    counts.set(symbol, (counts.get(symbol) ?? 0) + 1)
    symbols[r] = symbol
    all.time[r] = t
    for (const col of VALUES) {
      const text = (cells[idx[col]!] ?? '').trim()
      const v = text === '' ? Number.NaN : Number(text)
      if (!Number.isFinite(v)) throw new CsvInputError(`unparsable number "${text}" in column "${col}"`, lineNo)
      all[col][r] = v
    }
    const problem = candleProblem(all.open[r]!, all.high[r]!, all.low[r]!, all.close[r]!, all.volume[r]!)
    if (problem) throw new CsvInputError(problem, lineNo)
  }

  const series = new Map<string | null, Candles>()
  if (symbolIdx < 0) series.set(null, all)
  else {
    const fill = new Map<string | null, number>()
    for (const [symbol, n] of counts) {
      series.set(symbol, allocCandles(n))
      fill.set(symbol, 0)
    }
    for (let r = 0; r < rows; r++) {
      const s = symbols[r]!
      const out = series.get(s)!
      const k = fill.get(s)!
      out.time[k] = all.time[r]!
      for (const col of VALUES) out[col][k] = all[col][r]!
      fill.set(s, k + 1)
    }
  }
  return { series }
}

/**
 * Read a single-series candle CSV (see {@link readCandleCsv}) into columnar candles: the SMC CLI's
 * input. A `symbol` column holding more than one symbol is refused.
 *
 * @example
 * const candles = readCandlesCsv(fs.readFileSync('EURUSD_15M.csv', 'utf8'))
 */
export function readCandlesCsv(text: string): Candles {
  const { series } = readCandleCsv(text)
  if (series.size > 1) throw new CsvInputError(`the symbol column holds ${series.size} symbols; give one series`, 1)
  return [...series.values()][0] ?? allocCandles(0)
}
