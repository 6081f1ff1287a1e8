import { INTERVAL_MINUTES, MINUTE_MS, type Interval } from '../../market/intervals'
import type { BacktestSpec, EquityPoint, RunMetrics, RunTrade } from '../types'

// What the report's charts receive (compact, times in seconds for the chart library) and the figures
// it derives from the run's records beyond RunMetrics. Long runs are thinned so the file stays small:
// candles merge into at most MAX_BARS bars (OHLC of the group, volume summed), equity keeps at most
// about MAX_EQUITY_POINTS original points (each group's lowest, highest and deepest-drawdown point,
// plus the first and the last). Trades are never thinned.

/** The run's candles, columnar (Float64Arrays from the market, or any array of numbers). */
export interface ReportCandles {
  time: ArrayLike<number>
  open: ArrayLike<number>
  high: ArrayLike<number>
  low: ArrayLike<number>
  close: ArrayLike<number>
  volume: ArrayLike<number>
}

export interface ReportInput {
  spec: BacktestSpec
  candles: ReportCandles
  trades: readonly RunTrade[]
  equity: readonly EquityPoint[]
  metrics: RunMetrics
  /** The page title; defaults to "Backtest · {strategy} · {symbol} {interval}". */
  title?: string
}

export const MAX_BARS = 4000
export const MAX_EQUITY_POINTS = 6000

export interface PriceData {
  /** Candles per bar (1 when not merged). */
  bucket: number
  t: number[]
  o: number[]
  h: number[]
  l: number[]
  c: number[]
  v: number[]
}

export interface EquityData {
  t: number[]
  equity: number[]
  balance: number[]
  /** Drawdown in percent, ≥ 0. */
  dd: number[]
  /** Points in the run before thinning. */
  total: number
}

/** One trade for the charts (times in seconds). */
export interface ChartTrade {
  dir: 1 | -1
  et: number
  ep: number
  xt: number
  xp: number
  qty: number
  fees: number
  pnl: number
  ret: number
  reason: string
}

export interface DerivedStats {
  /** What the candles cover (the first one's open to the last one's close); the spec's range without candles. */
  start: number
  end: number
  /** The spec's range when the candles cover another one (a CSV shorter than the range asked for), else null. */
  requested: { start: number; end: number } | null
  equityFinal: number
  equityPeak: number
  buyHoldPct: number | null
  totalFees: number
  bestTrade: number | null
  worstTrade: number | null
  avgTrade: number | null
  avgTradeDurationMs: number | null
  maxTradeDurationMs: number | null
  longestDrawdownMs: number | null
  peak: { time: number; equity: number } | null
  trough: { time: number; equity: number; dd: number } | null
  longs: number
  shorts: number
}

const s = (ms: number): number => ms / 1000

/** Candles → at most `maxBars` bars (groups of consecutive candles). */
export function priceData(c: ReportCandles, maxBars = MAX_BARS): PriceData {
  const n = c.time.length
  const bucket = Math.max(1, Math.ceil(n / Math.max(1, maxBars)))
  const out: PriceData = { bucket, t: [], o: [], h: [], l: [], c: [], v: [] }
  for (let i = 0; i < n; i += bucket) {
    const j = Math.min(n, i + bucket)
    let hi = -Infinity
    let lo = Infinity
    let vol = 0
    for (let k = i; k < j; k++) {
      if (c.high[k]! > hi) hi = c.high[k]!
      if (c.low[k]! < lo) lo = c.low[k]!
      vol += c.volume[k]!
    }
    out.t.push(s(c.time[i]!))
    out.o.push(c.open[i]!)
    out.h.push(hi)
    out.l.push(lo)
    out.c.push(c.close[j - 1]!)
    out.v.push(vol)
  }
  return out
}

/** Indices of the equity points kept: all when ≤ max, else per group its min, max and deepest drawdown. */
export function equityIndices(points: readonly EquityPoint[], maxPoints = MAX_EQUITY_POINTS): number[] {
  const n = points.length
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i)
  const groups = Math.max(1, Math.floor((maxPoints - 2) / 3))
  const size = Math.ceil(n / groups)
  const keep = new Set<number>([0, n - 1])
  for (let i = 0; i < n; i += size) {
    const j = Math.min(n, i + size)
    let lo = i
    let hi = i
    let deep = i
    for (let k = i + 1; k < j; k++) {
      const p = points[k]!
      if (p.equity < points[lo]!.equity) lo = k
      if (p.equity > points[hi]!.equity) hi = k
      if (p.drawdown_pct > points[deep]!.drawdown_pct) deep = k
    }
    keep.add(lo).add(hi).add(deep)
  }
  return [...keep].sort((a, b) => a - b)
}

export function equityData(points: readonly EquityPoint[], maxPoints = MAX_EQUITY_POINTS): EquityData {
  const out: EquityData = { t: [], equity: [], balance: [], dd: [], total: points.length }
  for (const i of equityIndices(points, maxPoints)) {
    const p = points[i]!
    out.t.push(s(p.time))
    out.equity.push(p.equity)
    out.balance.push(p.balance)
    out.dd.push(p.drawdown_pct)
  }
  return out
}

/** Return of a trade on its entry notional, in percent (pnl after fees). */
export function tradeReturnPct(t: RunTrade): number {
  const notional = t.entry_price * t.quantity
  return notional > 0 ? (t.pnl / notional) * 100 : 0
}

export function chartTrades(trades: readonly RunTrade[]): ChartTrade[] {
  return trades.map((t) => ({
    dir: t.direction === 'short' ? -1 : 1,
    et: s(t.entry_time),
    ep: t.entry_price,
    xt: s(t.exit_time),
    xp: t.exit_price,
    qty: t.quantity,
    fees: t.fees,
    pnl: t.pnl,
    ret: tradeReturnPct(t),
    reason: t.exit_reason,
  }))
}

/**
 * The time the candles cover: the first one's open to the last one's close (its open plus the
 * interval), or null without candles. A run reads the candles inside its range, so this is the
 * range unless the data (a CSV) starts later or ends earlier.
 */
export function candleSpan(time: ArrayLike<number>, interval: Interval): { start: number; end: number } | null {
  const n = time.length
  if (n === 0) return null
  return { start: time[0]!, end: time[n - 1]! + INTERVAL_MINUTES[interval] * MINUTE_MS }
}

export function deriveStats(input: ReportInput): DerivedStats {
  const { spec, candles, trades, equity, metrics } = input
  const n = candles.time.length
  const span = candleSpan(candles.time, spec.interval)
  const start = span?.start ?? (Number.isFinite(spec.start_time) ? spec.start_time : 0)
  const end = span?.end ?? (Number.isFinite(spec.end_time) ? spec.end_time : 0)
  const requested =
    span && Number.isFinite(spec.start_time) && Number.isFinite(spec.end_time) && (span.start !== spec.start_time || span.end !== spec.end_time)
      ? { start: spec.start_time, end: spec.end_time }
      : null

  let peak: DerivedStats['peak'] = null
  let trough: DerivedStats['trough'] = null
  let longestDrawdownMs: number | null = equity.length ? 0 : null
  let runPeakTime = equity.length ? equity[0]!.time : 0
  let runPeak = -Infinity
  for (const p of equity) {
    if (!peak || p.equity > peak.equity) peak = { time: p.time, equity: p.equity }
    if (!trough || p.drawdown_pct > trough.dd) trough = { time: p.time, equity: p.equity, dd: p.drawdown_pct }
    if (p.equity >= runPeak) {
      runPeak = p.equity
      runPeakTime = p.time
    } else {
      longestDrawdownMs = Math.max(longestDrawdownMs ?? 0, p.time - runPeakTime)
    }
  }
  if (trough && trough.dd <= 0) trough = null

  const firstOpen = n ? candles.open[0]! : NaN
  const lastClose = n ? candles.close[n - 1]! : NaN
  const buyHoldPct = n && firstOpen > 0 ? (lastClose / firstOpen - 1) * 100 : null

  let totalFees = 0
  let best: number | null = null
  let worst: number | null = null
  let sum = 0
  let durSum = 0
  let durMax: number | null = null
  let longs = 0
  for (const t of trades) {
    totalFees += t.fees
    sum += t.pnl
    best = best === null ? t.pnl : Math.max(best, t.pnl)
    worst = worst === null ? t.pnl : Math.min(worst, t.pnl)
    const d = t.exit_time - t.entry_time
    durSum += d
    durMax = durMax === null ? d : Math.max(durMax, d)
    if (t.direction === 'long') longs++
  }
  const k = trades.length
  const lastEquity = equity.length ? equity[equity.length - 1]!.equity : spec.initial_balance + metrics.total_pnl
  return {
    start,
    end,
    requested,
    equityFinal: lastEquity,
    equityPeak: peak ? peak.equity : lastEquity,
    buyHoldPct,
    totalFees,
    bestTrade: best,
    worstTrade: worst,
    avgTrade: k ? sum / k : null,
    avgTradeDurationMs: k ? durSum / k : null,
    maxTradeDurationMs: durMax,
    longestDrawdownMs,
    peak,
    trough,
    longs,
    shorts: k - longs,
  }
}
