// Records of the causal mode. Every record is stamped with `confirmedAt`: the row of the candle at
// which it became known, computed from candles 0 … confirmedAt only. A record never changes once
// emitted; later facts (a zone tested, mitigated, …) are records of their own.

/** 1 = bullish / high, -1 = bearish / low. */
export type Direction = 1 | -1

/** A pivot: the candle `index` whose high (low) is above (below) the `swingLength` candles on each side. */
export interface CausalSwing {
  /** Row of the pivot candle. */
  index: number
  /** 1 = swing high, -1 = swing low. */
  type: Direction
  /** The pivot candle's high (swing high) or low (swing low). */
  level: number
  /** `index + swingLength`: the pivot needs the candles after it. */
  confirmedAt: number
}

/** A close (or wick) beyond the latest swing of one side. */
export interface CausalBreak {
  /** 'choch' when it goes against the trend of the previous break, else 'bos'. */
  kind: 'bos' | 'choch'
  /** 1 = broke a swing high, -1 = broke a swing low. */
  direction: Direction
  /** The broken swing's level. */
  level: number
  /** Row of the broken swing. */
  swingIndex: number
  /** Row of the breaking candle (= confirmedAt). */
  confirmedAt: number
}

/** Order block, breaker block or fair value gap. */
export type ZoneKind = 'ob' | 'breaker' | 'fvg'

/**
 * States a zone goes through, in this order (some may be skipped by a single candle, which then
 * stamps each of them): active (on creation) → tested → mitigated → invalidated. Breakers have no
 * `mitigated` state.
 */
export type ZoneState = 'active' | 'tested' | 'mitigated' | 'invalidated'

export interface CausalZone {
  kind: ZoneKind
  /**
   * Per kind, in order of (confirmedAt, bullish first). A breaker has its order block's id (one
   * order block flips at most once).
   */
  id: number
  /** 1 = bullish (support: price expected to hold above), -1 = bearish (resistance). */
  direction: Direction
  top: number
  bottom: number
  /** Row of the zone's candle: the order block candle, or the middle candle of a gap. */
  index: number
  /** Order blocks: the breaking candle. Breakers: the candle that mitigated the order block. Gaps: index + 1. */
  confirmedAt: number
}

/** A zone changed state at candle `confirmedAt`. */
export interface CausalZoneEvent {
  kind: ZoneKind
  id: number
  state: Exclude<ZoneState, 'active'>
  confirmedAt: number
}

/**
 * Premium / discount of the dealing range (latest confirmed swing high and swing low), per candle,
 * from that candle's close. NaN until both swings exist (or when the high is not above the low).
 */
export interface PremiumDiscount {
  rangeHigh: Float64Array
  rangeLow: Float64Array
  /** (rangeHigh + rangeLow) / 2. */
  equilibrium: Float64Array
  /** (close - rangeLow) / (rangeHigh - rangeLow): 0 at the low, 1 at the high; outside [0, 1] beyond them. */
  position: Float64Array
  /** 1 = premium (above the equilibrium band), -1 = discount (below it), 0 = equilibrium, NaN = no range. */
  zone: Float64Array
}

/** One candle's premium / discount values (the stream's per-candle form of {@link PremiumDiscount}). */
export interface PremiumDiscountPoint {
  rangeHigh: number
  rangeLow: number
  equilibrium: number
  position: number
  zone: number
}

export interface CausalOptions {
  /** Candles on each side of a pivot. Default 50 (as the parity swings). */
  swingLength?: number
  /** Break structure on the close (default) rather than on the high / low. */
  closeBreak?: boolean
  /** Order blocks are mitigated on the candle body instead of the wick. Default false. */
  closeMitigation?: boolean
  /** Width of the equilibrium band as a fraction of the range, centred on 0.5. Default 0.05. */
  equilibriumBand?: number
  /** Also analyse a higher timeframe aggregated from the same candles. */
  higherTimeframe?: HigherTimeframeOptions
}

export interface HigherTimeframeOptions {
  /** Bucket length: '1m' … '1w' style (`<n>m`, `<n>h`, `<n>d`) or milliseconds. Buckets are aligned on the Unix epoch (UTC). */
  timeFrame: string | number
  /**
   * Length of one input candle in ms. With it, a higher-timeframe candle closes on the input candle
   * that ends its bucket; without it, only when the first candle of a later bucket arrives.
   */
  candleMs?: number
  /** Pivot length on the higher timeframe. Default: the base `swingLength`. */
  swingLength?: number
}

/** Everything the causal analysis found (append-only logs, each record with its `confirmedAt`). */
export interface CausalEvents {
  swings: CausalSwing[]
  breaks: CausalBreak[]
  /** Order blocks, breakers and gaps, in order of confirmedAt. */
  zones: CausalZone[]
  zoneEvents: CausalZoneEvent[]
}

/** Higher-timeframe candle aggregated from input rows `first … last`. */
export interface HigherTimeframeCandle {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  first: number
  last: number
  /** Input row at which this candle is known to be closed. */
  closedAt: number
}

/**
 * The causal analysis of the higher-timeframe candles. Every `index`/`swingIndex` refers to
 * `candles` (higher-timeframe rows); every `confirmedAt` is an input row (the input candle at
 * which it became known). `premiumDiscount` is per input row (the higher-timeframe range against the
 * input candle's close).
 */
export interface HigherTimeframeResult extends CausalEvents {
  periodMs: number
  candles: HigherTimeframeCandle[]
  premiumDiscount: PremiumDiscount
}

export interface CausalResult extends CausalEvents {
  premiumDiscount: PremiumDiscount
  higherTimeframe?: HigherTimeframeResult
}
