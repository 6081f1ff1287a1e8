import { bosChoch, swingHighsLows, type Candles } from '@smc-trading/smc'
import { atr, ema, sma } from '../../analytics/indicators'
import { closedCandles, type MarketData } from '../../market'
import { minimumLookback, type Preset } from '../presets'
import { clusterLevels } from './levels'
import type { ScanBreakout, ScanFilter, ScanLevel, ScanMetrics, TrendDirection } from './types'

/** Everything the scanner knows about one symbol under one preset. */
export interface SymbolEvaluation {
  symbol: string
  candlesAnalyzed: number
  /** Open time (ms) of the last closed candle; null without candles. */
  lastClosedTime: number | null
  price: number | null
  metrics: ScanMetrics
  levels: ScanLevel[]
  breakout: ScanBreakout | null
  direction: 'up' | 'down' | null
  filters: Record<ScanFilter, boolean>
  /** Passed filters with their figures. */
  reasons: string[]
  /** Failed filters with their figures, in evaluation order. */
  failures: { filter: ScanFilter; text: string }[]
  score: number | null
}

const NULL_METRICS: ScanMetrics = {
  volume_ratio: null,
  atr: null,
  atr_pct: null,
  trend: null,
  ema_trend: null,
  smc_trend: null,
  level_distance_pct: null,
  breakout_atr: null,
}

const round = (x: number, decimals: number): number => Number(x.toFixed(decimals))
const fixed = (x: number, decimals = 2): string => x.toFixed(decimals)

/**
 * Evaluate one symbol: metrics, levels, every filter (all of them, so a report can show each), and
 * the score. Filters, in order:
 * 1. history: at least `minimumLookback(preset)` closed candles;
 * 2. volume: `volume_ratio ≥ min_volume_ratio`;
 * 3. volatility: `min_atr_pct ≤ atr_pct ≤ max_atr_pct`;
 * 4. trend: `trend` is `any`, or the measured trend (by `trend_source`) equals it;
 * 5. level: the last closed candle broke a level in an allowed direction (up through a resistance
 *    when `trend` is `up` or `any`, down through a support when `down` or `any`), or the nearest
 *    level is within `max_level_distance_pct`.
 */
export function evaluateSymbol(market: MarketData, symbol: string, preset: Preset): SymbolEvaluation {
  const inst = market.requireInstrument(symbol)
  const decimals = inst.pricePrecision
  const c = closedCandles(market, symbol, preset.scanner.interval, preset.scanner.lookback)
  const n = c.time.length
  const s = preset.scanner
  const filters: Record<ScanFilter, boolean> = { history: false, volume: false, volatility: false, trend: false, level: false }
  const need = minimumLookback(preset)
  if (n < need) {
    return {
      symbol,
      candlesAnalyzed: n,
      lastClosedTime: n > 0 ? c.time[n - 1]! : null,
      price: n > 0 ? c.close[n - 1]! : null,
      metrics: { ...NULL_METRICS },
      levels: [],
      breakout: null,
      direction: null,
      filters,
      reasons: [],
      failures: [{ filter: 'history', text: `only ${n} closed ${s.interval} candles, ${need} needed` }],
      score: null,
    }
  }
  filters.history = true
  const last = n - 1
  const close = c.close[last]!
  const prevClose = c.close[last - 1]!

  // Volume: last closed candle against the mean of the volume_lookback before it.
  const avgVolume = sma(c.volume, s.volume_lookback)[last - 1]!
  const volumeRatio = avgVolume > 0 ? c.volume[last]! / avgVolume : null

  // Volatility.
  const atrValue = atr(c.high, c.low, c.close, s.atr_period)[last]!
  const atrPct = close > 0 ? (atrValue / close) * 100 : Number.NaN

  // Trend: EMA fast vs slow, SMC structure (direction of the last broken BOS/CHOCH), combined by trend_source.
  const fast = ema(c.close, s.ema_fast)[last]!
  const slow = ema(c.close, s.ema_slow)[last]!
  const emaTrend: TrendDirection = fast > slow ? 'up' : fast < slow ? 'down' : 'neutral'
  const swings = swingHighsLows(c, { swingLength: preset.levels.swing_length, parity: false })
  const smcTrend = structureTrend(c, swings)
  const smcDir: TrendDirection = smcTrend === 'bullish' ? 'up' : smcTrend === 'bearish' ? 'down' : 'neutral'
  const trend: TrendDirection =
    s.trend_source === 'ema' ? emaTrend : s.trend_source === 'smc' ? smcDir : emaTrend === smcDir ? emaTrend : 'neutral'

  // Levels, and a breakout on the last candle: its close crossed a level the previous close had not.
  const levels = clusterLevels(swings, close, preset.levels, decimals)
  const allowUp = s.trend !== 'down'
  const allowDown = s.trend !== 'up'
  let breakout: ScanBreakout | null = null
  for (const level of levels) {
    // levels are ranked (touches, then nearness): the first broken one is the strongest.
    const up = allowUp && level.type === 'resistance' && prevClose <= level.price && close > level.price
    const down = allowDown && level.type === 'support' && prevClose >= level.price && close < level.price
    if (up || down) {
      breakout = { direction: up ? 'up' : 'down', level }
      break
    }
  }
  let nearest: ScanLevel | null = null
  for (const level of levels) if (!nearest || Math.abs(level.price - close) < Math.abs(nearest.price - close)) nearest = level
  const distancePct = nearest ? (Math.abs(close - nearest.price) / close) * 100 : null
  const breakoutAtr = breakout && atrValue > 0 ? Math.abs(close - breakout.level.price) / atrValue : breakout ? 0 : null

  const metrics: ScanMetrics = {
    volume_ratio: volumeRatio === null ? null : round(volumeRatio, 4),
    atr: round(atrValue, decimals + 2),
    atr_pct: Number.isFinite(atrPct) ? round(atrPct, 4) : null,
    trend,
    ema_trend: emaTrend,
    smc_trend: smcTrend,
    level_distance_pct: distancePct === null ? null : round(distancePct, 4),
    breakout_atr: breakoutAtr === null ? null : round(breakoutAtr, 4),
  }

  const reasons: string[] = []
  const failures: SymbolEvaluation['failures'] = []
  const check = (filter: ScanFilter, ok: boolean, pass: string, fail: string): void => {
    filters[filter] = ok
    if (ok) reasons.push(pass)
    else failures.push({ filter, text: fail })
  }

  check(
    'volume',
    volumeRatio !== null && volumeRatio >= s.min_volume_ratio,
    `volume surge: ${fixed(volumeRatio ?? 0)}× the average of the previous ${s.volume_lookback} candles (min ${s.min_volume_ratio}×)`,
    volumeRatio === null
      ? `no volume in the previous ${s.volume_lookback} candles`
      : `volume ${fixed(volumeRatio)}× the average of the previous ${s.volume_lookback} candles, below the minimum ${s.min_volume_ratio}×`,
  )
  check(
    'volatility',
    Number.isFinite(atrPct) && atrPct >= s.min_atr_pct && atrPct <= s.max_atr_pct,
    `volatility: ATR(${s.atr_period}) ${fixed(atrPct)}% of price, within ${s.min_atr_pct}–${s.max_atr_pct}%`,
    `volatility: ATR(${s.atr_period}) ${fixed(atrPct)}% of price, outside ${s.min_atr_pct}–${s.max_atr_pct}%`,
  )
  const trendWhy = `EMA ${s.ema_fast} ${fast > slow ? 'above' : fast < slow ? 'below' : 'equal to'} EMA ${s.ema_slow}, SMC structure ${smcTrend}`
  check(
    'trend',
    s.trend === 'any' || trend === s.trend,
    s.trend === 'any' ? `trend: ${trend} (any accepted; ${trendWhy})` : `trend: ${trend} as required (${trendWhy})`,
    `trend: ${trend}, ${s.trend} required (${trendWhy})`,
  )
  const describe = (l: ScanLevel): string => `${l.type} ${fixed(l.price, decimals)} (${l.touches} touches)`
  if (breakout) {
    check(
      'level',
      true,
      `breakout: closed ${fixed(breakoutAtr!)} ATR ${breakout.direction === 'up' ? 'above' : 'below'} ${describe(breakout.level)}`,
      '',
    )
  } else if (nearest && distancePct !== null) {
    check(
      'level',
      distancePct <= s.max_level_distance_pct,
      `level: ${fixed(distancePct)}% from ${describe(nearest)}, within ${s.max_level_distance_pct}%`,
      `level: nearest is ${describe(nearest)} at ${fixed(distancePct)}%, more than ${s.max_level_distance_pct}% and not broken`,
    )
  } else {
    check('level', false, '', `level: no level with at least ${preset.levels.min_touches} touches in the last ${n} candles`)
  }

  const direction: 'up' | 'down' | null =
    breakout?.direction ?? (s.trend !== 'any' ? s.trend : trend === 'neutral' ? null : trend)
  const score =
    volumeRatio === null || !Number.isFinite(atrPct)
      ? null
      : scoreOf(preset, { volumeRatio, breakoutAtr, distancePct, direction, emaTrend, smcDir })

  return {
    symbol,
    candlesAnalyzed: n,
    lastClosedTime: c.time[last]!,
    price: close,
    metrics,
    levels,
    breakout,
    direction,
    filters,
    reasons,
    failures,
    score,
  }
}

/**
 * Candidate score in [0, 1], rounded to 4 decimals: the weighted mean (weights `score_weights`) of
 * - volume  V = max(0, 1 − 1/volume_ratio)  (0 at the average, 0.5 at 2×, 0.75 at 4×);
 * - level   B = 0.5 + 0.5·min(1, breakout_atr) after a breakout (0.5 … 1, full at one ATR past the
 *   level), else 0.5·(1 − level_distance_pct / max_level_distance_pct) near a level (0 … 0.5), so a
 *   breakout always outscores mere proximity; 0 without a level in range;
 * - trend   T = 0.5·[EMA trend = direction] + 0.5·[SMC trend = direction], where direction is the
 *   breakout's, else the preset's required trend, else the measured trend (0 when neutral).
 * score = (w_v·V + w_b·B + w_t·T) / (w_v + w_b + w_t).
 */
export function scoreOf(
  preset: Preset,
  m: {
    volumeRatio: number
    breakoutAtr: number | null
    distancePct: number | null
    direction: 'up' | 'down' | null
    emaTrend: TrendDirection
    smcDir: TrendDirection
  },
): number {
  const s = preset.scanner
  const w = s.score_weights
  const v = m.volumeRatio > 0 ? Math.max(0, 1 - 1 / m.volumeRatio) : 0
  let b = 0
  if (m.breakoutAtr !== null) b = 0.5 + 0.5 * Math.min(1, m.breakoutAtr)
  else if (m.distancePct !== null && m.distancePct <= s.max_level_distance_pct)
    b = s.max_level_distance_pct > 0 ? 0.5 * (1 - m.distancePct / s.max_level_distance_pct) : 0.5
  const t = m.direction ? 0.5 * Number(m.emaTrend === m.direction) + 0.5 * Number(m.smcDir === m.direction) : 0
  return round((w.volume * v + w.breakout * b + w.trend * t) / (w.volume + w.breakout + w.trend), 4)
}

/** Direction of the last broken BOS/CHOCH, as `analyzeSmc` computes its `trend` (clean mode, close breaks). */
function structureTrend(c: Candles, swings: ReturnType<typeof swingHighsLows>): 'bullish' | 'bearish' | 'neutral' {
  const structure = bosChoch(c, swings, { closeBreak: true, parity: false })
  let trend: 'bullish' | 'bearish' | 'neutral' = 'neutral'
  let lastBreak = -1
  for (let i = 0; i < structure.brokenIndex.length; i++) {
    const b = structure.brokenIndex[i]!
    if (b === b && b > lastBreak) {
      lastBreak = b
      const d = structure.bos[i] === structure.bos[i] ? structure.bos[i]! : structure.choch[i]!
      trend = d > 0 ? 'bullish' : 'bearish'
    }
  }
  return trend
}
