/**
 * The facade behind `GET /v1/analytics/indicators/{symbol}`: validates the requested indicators and
 * periods (DomainError VALIDATION_FAILED with `details.field` naming the query parameter), runs the
 * batch functions over the CLOSED candles it is given (the caller drops the forming candle), and
 * returns a plain JSON-ready object: each indicator's latest value and, when `series` > 0, its last
 * N values, with `null` wherever history is insufficient (NaN never leaves this module).
 *
 * Values depend on the candles passed in (EMA, RSI, ATR and MACD are recursive and seeded at the
 * first candle), so the caller should pass the whole stored history (or a fixed, documented window)
 * for answers to be reproducible.
 *
 * @example
 * computeIndicators(candles, { indicators: ['rsi', 'macd'], series: 3 })
 * // { candles: 500, time: 1718000000000, series_time: [..3], rsi: { period: 14, value: 55.2, series: [..3] }, macd: {…} }
 */
import { DomainError } from '../../core'
import type { Candles } from '@smc-trading/smc'
import { atr, bollinger, ema, macd, rsi, sma, volumeSma } from './batch'

export const INDICATOR_NAMES = ['sma', 'ema', 'rsi', 'macd', 'bollinger', 'atr', 'volume_sma'] as const
export type IndicatorName = (typeof INDICATOR_NAMES)[number]

/** Periods accepted by the API (integers, inclusive). */
export const PERIOD_MIN = 2
export const PERIOD_MAX = 500
/** At most this many SMA (or EMA) periods in one request. */
export const MAX_PERIODS_PER_INDICATOR = 10
/** Bollinger k: 0 < k ≤ BB_K_MAX. */
export const BB_K_MAX = 10
/** `series` is an integer in 0..MAX_SERIES (0 = latest values only). */
export const MAX_SERIES = 1000

export const DEFAULT_PERIODS = {
  sma: [20, 50],
  ema: [12, 26],
  rsi: 14,
  atr: 14,
  bollinger: { period: 20, k: 2 },
  macd: { fast: 12, slow: 26, signal: 9 },
  volume_sma: 20,
} as const

export interface IndicatorRequest {
  indicators: readonly IndicatorName[]
  periods?: {
    sma?: readonly number[]
    ema?: readonly number[]
    rsi?: number
    atr?: number
    bollinger?: { period?: number; k?: number }
    macd?: { fast?: number; slow?: number; signal?: number }
    volume_sma?: number
  }
  /** Also return the last N values of each indicator (0 or absent: latest values only). */
  series?: number
}

export interface SingleValue {
  period: number
  value: number | null
  series?: (number | null)[]
}

export interface MacdResult {
  fast: number
  slow: number
  signal_period: number
  macd: number | null
  signal: number | null
  histogram: number | null
  series?: { macd: (number | null)[]; signal: (number | null)[]; histogram: (number | null)[] }
}

export interface BollingerResult {
  period: number
  k: number
  middle: number | null
  upper: number | null
  lower: number | null
  series?: { middle: (number | null)[]; upper: (number | null)[]; lower: (number | null)[] }
}

export interface IndicatorsResult {
  /** How many (closed) candles the values were computed from. */
  candles: number
  /** Open time (epoch ms) of the last candle, the one the latest values belong to; null without candles. */
  time: number | null
  /** Open times of the candles the series values belong to (present when series > 0). */
  series_time?: number[]
  sma?: SingleValue[]
  ema?: SingleValue[]
  rsi?: SingleValue
  macd?: MacdResult
  bollinger?: BollingerResult
  atr?: SingleValue
  volume_sma?: SingleValue
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { field })
}

function period(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < PERIOD_MIN || value > PERIOD_MAX) {
    throw invalid(field, `${field} must be an integer from ${PERIOD_MIN} to ${PERIOD_MAX}, got ${String(value)}`)
  }
  return value
}

function periodList(values: readonly unknown[] | undefined, fallback: readonly number[], field: string): number[] {
  if (values === undefined) return [...fallback]
  if (!Array.isArray(values) || values.length === 0) throw invalid(field, `${field} must list at least one period`)
  if (values.length > MAX_PERIODS_PER_INDICATOR) {
    throw invalid(field, `${field} lists ${values.length} periods; at most ${MAX_PERIODS_PER_INDICATOR}`)
  }
  const out: number[] = []
  for (const v of values) {
    const p = period(v, field)
    if (!out.includes(p)) out.push(p)
  }
  return out
}

interface Resolved {
  indicators: Set<IndicatorName>
  sma: number[]
  ema: number[]
  rsi: number
  atr: number
  bb: { period: number; k: number }
  macd: { fast: number; slow: number; signal: number }
  volumeSma: number
  series: number
}

/**
 * Validates a request and fills in the defaults. Every supplied period is validated, even for an
 * indicator that is not requested (a bad query parameter is an error either way).
 */
export function resolveIndicatorRequest(request: IndicatorRequest): Resolved {
  const names = request.indicators
  if (!Array.isArray(names) || names.length === 0) throw invalid('indicators', 'indicators must list at least one indicator')
  for (const n of names) {
    if (!(INDICATOR_NAMES as readonly string[]).includes(n)) {
      throw invalid('indicators', `Unknown indicator "${String(n)}"; one of ${INDICATOR_NAMES.join(', ')}`)
    }
  }
  const p = request.periods ?? {}
  const bbPeriod = p.bollinger?.period === undefined ? DEFAULT_PERIODS.bollinger.period : period(p.bollinger.period, 'bb_period')
  const k = p.bollinger?.k ?? DEFAULT_PERIODS.bollinger.k
  if (typeof k !== 'number' || !Number.isFinite(k) || k <= 0 || k > BB_K_MAX) {
    throw invalid('bb_k', `bb_k must be a number in (0, ${BB_K_MAX}], got ${String(k)}`)
  }
  const fast = p.macd?.fast === undefined ? DEFAULT_PERIODS.macd.fast : period(p.macd.fast, 'macd_fast')
  const slow = p.macd?.slow === undefined ? DEFAULT_PERIODS.macd.slow : period(p.macd.slow, 'macd_slow')
  const signal = p.macd?.signal === undefined ? DEFAULT_PERIODS.macd.signal : period(p.macd.signal, 'macd_signal')
  if (fast >= slow) throw invalid('macd_fast', `macd_fast (${fast}) must be less than macd_slow (${slow})`)
  const series = request.series ?? 0
  if (typeof series !== 'number' || !Number.isInteger(series) || series < 0 || series > MAX_SERIES) {
    throw invalid('series', `series must be an integer from 0 to ${MAX_SERIES}, got ${String(series)}`)
  }
  return {
    indicators: new Set(names),
    sma: periodList(p.sma, DEFAULT_PERIODS.sma, 'sma_periods'),
    ema: periodList(p.ema, DEFAULT_PERIODS.ema, 'ema_periods'),
    rsi: p.rsi === undefined ? DEFAULT_PERIODS.rsi : period(p.rsi, 'rsi_period'),
    atr: p.atr === undefined ? DEFAULT_PERIODS.atr : period(p.atr, 'atr_period'),
    bb: { period: bbPeriod, k },
    macd: { fast, slow, signal },
    volumeSma: p.volume_sma === undefined ? DEFAULT_PERIODS.volume_sma : period(p.volume_sma, 'volume_sma_period'),
    series,
  }
}

/** NaN (and ±Infinity, which finite inputs never produce) → null. */
function num(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null
}

/**
 * Computes the requested indicators over closed candles.
 * @throws DomainError VALIDATION_FAILED (details.field = the offending query parameter)
 */
export function computeIndicators(candles: Candles, request: IndicatorRequest): IndicatorsResult {
  const r = resolveIndicatorRequest(request)
  const n = candles.close.length
  const from = Math.max(0, n - r.series)
  const tail = (col: Float64Array): (number | null)[] => {
    const out: (number | null)[] = new Array(n - from)
    for (let i = from; i < n; i++) out[i - from] = num(col[i])
    return out
  }
  const single = (p: number, col: Float64Array): SingleValue => {
    const v: SingleValue = { period: p, value: num(col[n - 1]) }
    if (r.series > 0) v.series = tail(col)
    return v
  }

  const result: IndicatorsResult = { candles: n, time: n > 0 ? candles.time[n - 1]! : null }
  if (r.series > 0) result.series_time = Array.from(candles.time.subarray(from, n))
  const want = r.indicators

  if (want.has('sma')) result.sma = r.sma.map((p) => single(p, sma(candles.close, p)))
  if (want.has('ema')) result.ema = r.ema.map((p) => single(p, ema(candles.close, p)))
  if (want.has('rsi')) result.rsi = single(r.rsi, rsi(candles.close, r.rsi))
  if (want.has('macd')) {
    const { fast, slow, signal } = r.macd
    const m = macd(candles.close, fast, slow, signal)
    const out: MacdResult = {
      fast,
      slow,
      signal_period: signal,
      macd: num(m.macd[n - 1]),
      signal: num(m.signal[n - 1]),
      histogram: num(m.histogram[n - 1]),
    }
    if (r.series > 0) out.series = { macd: tail(m.macd), signal: tail(m.signal), histogram: tail(m.histogram) }
    result.macd = out
  }
  if (want.has('bollinger')) {
    const { period: p, k } = r.bb
    const b = bollinger(candles.close, p, k)
    const out: BollingerResult = { period: p, k, middle: num(b.middle[n - 1]), upper: num(b.upper[n - 1]), lower: num(b.lower[n - 1]) }
    if (r.series > 0) out.series = { middle: tail(b.middle), upper: tail(b.upper), lower: tail(b.lower) }
    result.bollinger = out
  }
  if (want.has('atr')) result.atr = single(r.atr, atr(candles.high, candles.low, candles.close, r.atr))
  if (want.has('volume_sma')) result.volume_sma = single(r.volumeSma, volumeSma(candles.volume, r.volumeSma))
  return result
}
