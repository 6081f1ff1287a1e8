import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { type Candles, CsvInputError, readCandleCsv } from '@smc-trading/smc'
import { DEFAULT_INSTRUMENTS, type Instrument } from '../instruments'
import { DAY_MINUTES, intervalName, MINUTE_MS } from '../intervals'
import { decimalsOf } from '../precision'

/** A CSV source that cannot be served: one line naming the file, the line and what is wrong. */
export class CsvSourceError extends Error {
  override name = 'CsvSourceError'
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${problem}`)
  }
}

/** Candle data to replay: one series per symbol, all of one base interval. */
export interface CsvSource {
  /** Base interval of every series, in minutes (detected from the timestamps). */
  stepMinutes: number
  series: Map<string, Candles>
  instruments: Instrument[]
  /** The files read, for the start banner and health. */
  files: string[]
}

const SYMBOL = /^[A-Z0-9]{2,20}$/

/**
 * Read `MARKET_CSV`: a file, or a folder of `*.csv` files (one per symbol, the symbol taken from the
 * file name unless the file has a `symbol` column). Refuses anything it cannot serve exactly with a
 * {@link CsvSourceError}: a missing file, an unknown column layout, a non-numeric value, an
 * impossible candle (a price ≤ 0, high < low, open or close outside [low, high], negative volume),
 * times out of order or duplicated, an interval that is not a whole number of minutes, or candles
 * off its UTC boundaries.
 */
export function loadCsvSource(path: string): CsvSource {
  let files: string[]
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => extname(f).toLowerCase() === '.csv')
          .sort()
          .map((f) => join(path, f))
      : [path]
  } catch (e) {
    throw new CsvSourceError(path, null, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  if (files.length === 0) throw new CsvSourceError(path, null, 'the folder holds no .csv file')

  const series = new Map<string, Candles>()
  const origin = new Map<string, string>()
  for (const file of files) {
    let parsed
    try {
      parsed = readCandleCsv(readFileSync(file, 'utf8'))
    } catch (e) {
      if (e instanceof CsvInputError) throw new CsvSourceError(file, e.line, e.message.replace(/^line \d+: /, ''))
      throw new CsvSourceError(file, null, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    for (const [column, candles] of parsed.series) {
      const symbol = column ?? basename(file, extname(file)).toUpperCase()
      if (!SYMBOL.test(symbol)) throw new CsvSourceError(file, null, `"${symbol}" is not a symbol (2–20 letters or digits); name the file after it, e.g. BTCUSDT.csv, or add a symbol column`)
      if (series.has(symbol)) throw new CsvSourceError(file, null, `${symbol} is also in ${origin.get(symbol)}`)
      if (candles.time.length === 0) throw new CsvSourceError(file, 2, `no candles for ${symbol}`)
      series.set(symbol, candles)
      origin.set(symbol, file)
    }
  }

  // The base interval: the smallest step between consecutive candles of any series.
  let step = Number.POSITIVE_INFINITY
  for (const c of series.values()) for (let i = 1; i < c.time.length; i++) step = Math.min(step, (c.time[i]! - c.time[i - 1]!) / MINUTE_MS)
  if (!Number.isFinite(step)) step = 1
  // Any whole number of minutes (3m, 2h, …): the API aggregates it to the contract's intervals that
  // are multiples of it and refuses the others with a 400 naming the ones it serves.
  if (!Number.isInteger(step) || step < 1)
    throw new CsvSourceError(files[0]!, null, `candles are ${+step.toFixed(4)} minutes apart; the interval must be a whole number of minutes, at least 1m`)
  // Buckets of larger intervals are aligned to the UTC epoch (so to UTC days for an interval that
  // divides a day): a candle opening elsewhere would straddle two of them.
  const where = DAY_MINUTES % step === 0 ? '' : ` (a whole number of ${intervalName(step)} since 1970-01-01T00:00Z)`
  for (const [symbol, c] of series) {
    for (let i = 0; i < c.time.length; i++) {
      if (c.time[i]! % (step * MINUTE_MS) !== 0)
        throw new CsvSourceError(origin.get(symbol)!, lineOf(origin.get(symbol)!, symbol, i), `a ${intervalName(step)} candle must open on a UTC ${intervalName(step)} boundary${where}, not at ${new Date(c.time[i]!).toISOString()}`)
    }
  }
  return { stepMinutes: step, series, instruments: [...series].map(([symbol, c]) => instrumentFor(symbol, c)), files }
}

/** The file line of a series' i-th candle (a symbol column interleaves series; the header is line 1). */
function lineOf(file: string, symbol: string, i: number): number | null {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/)
  const symbolIdx = lines[0]!.toLowerCase().split(',').map((h) => h.trim()).indexOf('symbol')
  if (symbolIdx < 0) return i + 2
  let k = -1
  for (let n = 1; n < lines.length; n++) if ((lines[n]!.split(',')[symbolIdx] ?? '').trim().toUpperCase() === symbol && ++k === i) return n + 1
  return null
}

const QUOTES = ['USDT', 'USDC', 'BUSD', 'USD', 'EUR', 'BTC', 'ETH']

/**
 * Trading rules for a replayed symbol: a known symbol keeps its rules, with a finer tick when the
 * file's prices have more decimals (every replayed price must lie on the tick); an unknown one gets
 * a tick from its prices' decimals and a lot worth about one unit of the quote at its price.
 */
function instrumentFor(symbol: string, c: Candles): Instrument {
  let priceDecimals = 0
  for (const col of [c.open, c.high, c.low, c.close]) for (let i = 0; i < col.length; i++) priceDecimals = Math.max(priceDecimals, Math.min(8, decimalsOf(col[i]!)))
  const dataTick = 10 ** -priceDecimals
  const last = c.close[c.close.length - 1]!
  const known = DEFAULT_INSTRUMENTS.find((i) => i.symbol === symbol)
  if (known) {
    const tickSize = Math.min(known.tickSize, dataTick)
    return { ...known, tickSize: +tickSize.toFixed(8), pricePrecision: Math.max(known.pricePrecision, decimalsOf(tickSize)), initialPrice: last }
  }
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length) ?? 'USDT'
  const lotDecimals = Math.min(8, Math.max(0, Math.ceil(Math.log10(Math.max(last, 1e-8)))))
  const lotSize = +(10 ** -lotDecimals).toFixed(8)
  return {
    symbol,
    baseAsset: symbol.slice(0, symbol.length - quote.length) || symbol,
    quoteAsset: quote,
    tickSize: +dataTick.toFixed(8),
    lotSize,
    minQuantity: lotSize,
    minNotional: 0,
    pricePrecision: priceDecimals,
    quantityPrecision: lotDecimals,
    initialPrice: last,
    annualVolatility: 0,
  }
}
