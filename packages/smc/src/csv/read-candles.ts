import type { Candles } from '../types'

/** Thrown for malformed reference-format CSV input; `line` is 1-based (the header is line 1). */
export class CsvInputError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'CsvInputError'
  }
}

const REQUIRED = ['date', 'open', 'high', 'low', 'close', 'volume'] as const
const DATE_RE = /^(\d{4})[.-](\d{2})[.-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/

/** Parse `YYYY.MM.DD HH:MM:SS` (the reference's format; `-` and `T` also accepted) as UTC epoch ms. */
export function parseReferenceDate(text: string): number {
  const m = DATE_RE.exec(text.trim())
  if (!m) return Number.NaN
  const [, y, mo, d, h, mi, s] = m
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, s ? +s : 0)
  // Date.UTC silently rolls 2024-02-31 over into March: reject such dates instead.
  const back = new Date(ms)
  return back.getUTCDate() === +d! && back.getUTCMonth() === +mo! - 1 ? ms : Number.NaN
}

/**
 * Read a CSV in the reference library's format (`Date,Open,High,Low,Close,Tickvol,Volume,Spread`,
 * column names case-insensitive; `Date` as `YYYY.MM.DD HH:MM:SS`) into columnar candles.
 * `volume` is the `Volume` column, as in the reference. Rows must be in ascending time order.
 *
 * @example
 * const candles = readCandlesCsv(fs.readFileSync('EURUSD_15M.csv', 'utf8'))
 */
export function readCandlesCsv(text: string): Candles {
  const lines = text.split(/\r?\n/)
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
  if (lines.length === 0) throw new CsvInputError('empty input: a header row is required', 1)
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase())
  const idx: Record<string, number> = {}
  for (const name of REQUIRED) {
    const i = header.indexOf(name)
    if (i < 0) throw new CsvInputError(`missing column "${name}" (header: ${lines[0]})`, 1)
    idx[name] = i
  }
  const n = lines.length - 1
  const out: Candles = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
  for (let r = 0; r < n; r++) {
    const lineNo = r + 2
    const cells = lines[r + 1]!.split(',')
    const t = parseReferenceDate(cells[idx.date!] ?? '')
    if (Number.isNaN(t)) throw new CsvInputError(`unparsable date "${cells[idx.date!] ?? ''}"`, lineNo)
    if (r > 0 && t <= out.time[r - 1]!) throw new CsvInputError('rows are not in ascending time order', lineNo)
    out.time[r] = t
    for (const col of ['open', 'high', 'low', 'close', 'volume'] as const) {
      const raw = (cells[idx[col]!] ?? '').trim()
      const v = raw === '' ? Number.NaN : Number(raw)
      if (Number.isNaN(v)) throw new CsvInputError(`unparsable number "${raw}" in column "${col}"`, lineNo)
      out[col][r] = v
    }
  }
  return out
}
