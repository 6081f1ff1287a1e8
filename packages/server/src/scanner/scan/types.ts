import type { Interval } from '../../market'

/** Plain-JSON result shapes of the scanner (snake_case, as served). */

/** A support/resistance level: a cluster of SMC swing lows (support) or swing highs (resistance). */
export interface ScanLevel {
  price: number
  type: 'support' | 'resistance'
  /** Swings in the cluster. */
  touches: number
}

export type TrendDirection = 'up' | 'down' | 'neutral'

/** Figures of one symbol on its closed candles; null where there is not enough history. */
export interface ScanMetrics {
  /** Last closed candle's volume ÷ the mean volume of the `volume_lookback` candles before it. */
  volume_ratio: number | null
  /** ATR(`atr_period`, Wilder) of the last closed candle, in price units. */
  atr: number | null
  /** `atr` as a percent of the last close. */
  atr_pct: number | null
  /** The trend the preset's `trend_source` decides (EMA, SMC structure, or both agreeing). */
  trend: TrendDirection | null
  /** EMA(`ema_fast`) above / below EMA(`ema_slow`) on the last closed candle. */
  ema_trend: TrendDirection | null
  /** Direction of the last broken BOS/CHOCH (SMC engine, clean mode). */
  smc_trend: 'bullish' | 'bearish' | 'neutral' | null
  /** Distance (percent of the last close) to the nearest level used; null without levels. */
  level_distance_pct: number | null
  /** How far the last close went past the level it broke on the last candle, in ATRs; null without a breakout. */
  breakout_atr: number | null
}

/** A level broken by the last closed candle (its close crossed it). */
export interface ScanBreakout {
  direction: 'up' | 'down'
  level: ScanLevel
}

/** Filter names, in evaluation order. */
export const SCAN_FILTERS = ['history', 'volume', 'volatility', 'trend', 'level'] as const
export type ScanFilter = (typeof SCAN_FILTERS)[number]

export interface ScanCandidate {
  symbol: string
  /** 1 = best. */
  rank: number
  /** In [0, 1]; see `scoreOf` in evaluate.ts for the formula. */
  score: number
  /** Close of the last closed candle. */
  price: number
  /** Direction of the setup: the breakout's, else the required or measured trend; null when none. */
  direction: 'up' | 'down' | null
  /** One line per filter passed, with its figure. */
  reasons: string[]
  levels: ScanLevel[]
  metrics: ScanMetrics
}

export interface ScanRejection {
  symbol: string
  /** The first filter failed. */
  filter: ScanFilter
  /** Every failed filter with its figure, joined by "; ". */
  reason: string
}

export interface ScanResult {
  scan_id: string
  preset: string
  interval: Interval
  /** When the scan ran (ISO 8601). */
  timestamp: string
  total_scanned: number
  passed_filters: number
  /** Ranked best first; at most `max_candidates` (or the request's limit). */
  candidates: ScanCandidate[]
  rejected: ScanRejection[]
}

/** `GET /v1/scanner/market-data/{symbol}`: one symbol's scan figures, whether it passes or not. */
export interface SymbolScanReport {
  symbol: string
  preset: string
  interval: Interval
  timestamp: string
  /** Closed candles analysed (the forming candle is never used). */
  candles_analyzed: number
  /** Open time (ISO 8601) of the last closed candle analysed; null without candles. */
  last_closed_candle: string | null
  /** Close of the last closed candle; null without candles. */
  price: number | null
  passed: boolean
  /** The score it would get (null when it lacks the history for one). */
  score: number | null
  direction: 'up' | 'down' | null
  /** Each filter: passed or not. */
  filters: Record<ScanFilter, boolean>
  reasons: string[]
  failures: string[]
  levels: ScanLevel[]
  metrics: ScanMetrics
}
