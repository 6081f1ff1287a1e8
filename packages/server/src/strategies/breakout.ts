import { createSmcStream, type SmcStream, type SwingHighsLows } from '@smc-trading/smc'
import { z } from 'zod'
import { StreamingAtr, StreamingSma } from '../analytics/indicators'
import { clusterLevels, type LevelSettings, type ScanLevel } from '../scanner'
import {
  PositionGate,
  SwingList,
  clamp01,
  commonParams,
  describeLevels,
  intParam,
  numParam,
  priceFormatter,
  protectiveLevels,
  widen,
  widenedRows,
  type EntrySignal,
  type ExitSignal,
  type Side,
} from './common'
import type { CandleContext, Intent, StrategyDefinition, StrategyInstance, StrategySetup } from './types'

/** Swings out of the lookback are dropped from the list once this many have gathered. */
const DROP_SWINGS = 1024

export const BreakoutParams = z
  .strictObject({
    swing_length: intParam(1, 50, 5, 'Candles on each side of a swing high/low (SMC engine swingLength); a swing is known swing_length candles after it'),
    level_lookback: intParam(10, 5000, 300, 'Swings of the last level_lookback candles form the levels'),
    cluster_pct: z.number().gt(0).max(10).default(0.3).describe('Swings within this percent of a cluster’s mean price form one level (scanner clustering)'),
    min_touches: intParam(1, 20, 2, 'Least swings in a cluster for it to be a level'),
    max_levels: intParam(1, 50, 6, 'Levels kept (most touches first, then nearest to the close), as the scanner'),
    volume_period: intParam(2, 500, 20, 'Candles averaged for the volume confirmation (the ones before the breakout candle)'),
    volume_factor: numParam(0, 20, 1.5, 'The breakout candle’s volume must be at least this multiple of the average volume'),
    atr_stop_multiple: numParam(0.1, 20, 1, 'Stop back inside the broken level by this many ATRs'),
    ...commonParams,
  })
  .superRefine((p, ctx) => {
    if (p.level_lookback <= 2 * p.swing_length)
      ctx.addIssue({ code: 'custom', path: ['level_lookback'], message: `must be greater than 2 × swing_length (${2 * p.swing_length})` })
  })

export type BreakoutParams = z.infer<typeof BreakoutParams>

/**
 * Level breakout with volume confirmation.
 *
 * Levels are the scanner's (`clusterLevels`, scanner/scan/levels.ts): swing highs clustered into
 * resistance, swing lows into support, from the swings of the last `level_lookback` candles. The
 * swings come from the streaming SMC engine (clean mode) fed one closed candle at a time, so a
 * swing counts from the candle that confirms it (`swing_length` candles later) on: the levels at a
 * candle use candles up to it only. Clusters are recomputed only when the swing window changes.
 *
 * A breakout is the scanner's rule on the closed candle: the previous close at or below a
 * resistance and this close above it (support: mirrored); among the `max_levels` levels ranked as
 * the scanner ranks them, the first broken one. It counts when the candle's volume is at least
 * `volume_factor` × the average volume of the `volume_period` candles before it. Up → long, down →
 * short (`allow_short`). Stop `atr_stop_multiple` × ATR back inside the level (long: below the
 * level), take profit `take_profit_r` R from the close. An opposite breakout closes the position
 * and opens the other side on the next flat candle if the close is still beyond that level.
 *
 * Confidence: 0.5 × min(1, touches / 4) + 0.5 × min(1, volume ratio / 3) — levels with more swings
 * and heavier breakout volume score higher.
 */
class Breakout implements StrategyInstance {
  private readonly stream: SmcStream
  private readonly swings: SwingList
  private readonly atr: StreamingAtr
  private readonly volume: StreamingSma
  private readonly hlc = { high: 0, low: 0, close: 0 }
  private readonly gate: PositionGate
  private readonly fmt: (x: number) => string
  private readonly tick: number
  private readonly decimals: number
  private readonly settings: LevelSettings
  private readonly allSettings: LevelSettings
  private sw!: SwingHighsLows
  private rows = 0
  /** First swing (index into the list) inside the lookback. */
  private start = 0
  private window: SwingHighsLows = { highLow: new Float64Array(0), level: new Float64Array(0) }
  /** Every level of the window (no max_levels cut): the cheap per-candle cross check. */
  private all: ScanLevel[] = []
  private prevClose = Number.NaN
  private close = 0
  private a: number | null = null
  private lastLevel: ScanLevel | null = null

  constructor(
    private readonly p: BreakoutParams,
    setup: StrategySetup,
  ) {
    this.stream = createSmcStream({
      swings: { swingLength: p.swing_length, parity: false },
      bosChoch: false,
      ob: false,
      fvg: false,
      liquidity: false,
      retracements: false,
      previousHighLow: false,
      // A backtest lends its candles (sized for the run: the columns never double) and its pool.
      pool: setup.columns,
      storage: setup.storage,
    })
    this.swings = new SwingList(p.swing_length)
    this.atr = new StreamingAtr(p.atr_period)
    this.volume = new StreamingSma(p.volume_period)
    this.gate = new PositionGate('no level broken with volume')
    this.fmt = priceFormatter(setup.instrument)
    this.tick = setup.instrument.tickSize
    this.decimals = setup.instrument.pricePrecision
    this.settings = { swing_length: p.swing_length, cluster_pct: p.cluster_pct, min_touches: p.min_touches, max_levels: p.max_levels }
    this.allSettings = { ...this.settings, max_levels: Number.MAX_SAFE_INTEGER }
  }

  dispose(): void {
    this.stream.release()
  }

  onCandle(ctx: CandleContext): Intent {
    const bar = ctx.candle
    const close = bar.close
    const vol = bar.volume
    const stream = this.stream
    stream.push(bar)
    const n = stream.length
    if (n > this.rows) {
      this.sw = widen(stream.swings())
      this.rows = widenedRows(this.sw)
    }
    const hlc = this.hlc
    hlc.high = bar.high
    hlc.low = bar.low
    hlc.close = close
    this.a = this.atr.update(hlc)
    const avgVolume = this.volume.value
    this.volume.update(vol)
    const prevClose = this.prevClose
    this.prevClose = close
    this.close = close

    // The swing window: new / moved swings, and swings leaving the lookback.
    const list = this.swings
    let changed = list.update(this.sw.highLow, this.sw.level, n)
    if (changed && this.start > list.length - 1) this.start = list.length - 1
    const oldest = n - this.p.level_lookback
    while (this.start < list.length && list.rows[this.start]! < oldest) {
      this.start++
      changed = true
    }
    // Swings before `start` are out of the lookback for good.
    if (this.start >= DROP_SWINGS && this.start < list.length) {
      list.dropOldest(this.start)
      this.start = 0
    }
    if (changed) {
      this.window = { highLow: Float64Array.from(list.types.slice(this.start)), level: Float64Array.from(list.levels.slice(this.start)) }
      this.all = clusterLevels(this.window, close, this.allSettings, this.decimals)
    }

    let signal: EntrySignal | null = null
    let exit: ExitSignal | null = null
    if (prevClose === prevClose && this.all.length > 0 && this.crossesAny(prevClose, close)) {
      // The scanner's rule on its ranked, max_levels-cut list: the first broken level.
      let broken: ScanLevel | null = null
      for (const level of clusterLevels(this.window, close, this.settings, this.decimals)) {
        if (level.type === 'resistance' ? prevClose <= level.price && close > level.price : prevClose >= level.price && close < level.price) {
          broken = level
          break
        }
      }
      const ratio = avgVolume !== null && avgVolume > 0 ? vol / avgVolume : Number.NaN
      if (broken && ratio >= this.p.volume_factor) {
        const up = broken.type === 'resistance'
        const what =
          `close ${this.fmt(close)} broke ${up ? 'above resistance' : 'below support'} ${this.fmt(broken.price)} (${broken.touches} swings) ` +
          `on volume ${ratio.toFixed(2)}× the ${this.p.volume_period}-candle average`
        const confidence = 0.5 * clamp01(broken.touches / 4) + 0.5 * clamp01(ratio / 3)
        if (up || this.p.allow_short) signal = this.entry(up ? 'long' : 'short', broken, what, confidence)
        if (!signal && ctx.account.position?.side === (up ? 'short' : 'long')) exit = { reason: what, confidence }
      }
    }
    return this.gate.decide(ctx.account, signal, exit, this.retry)
  }

  private crossesAny(prev: number, close: number): boolean {
    for (const l of this.all) {
      if (l.type === 'resistance' ? prev <= l.price && close > l.price : prev >= l.price && close < l.price) return true
    }
    return false
  }

  private entry(side: Side, level: ScanLevel, what: string, confidence: number): EntrySignal | null {
    const a = this.a
    if (a === null) return null
    const m = this.p.atr_stop_multiple
    const lv = protectiveLevels(side, this.close, side === 'long' ? level.price - m * a : level.price + m * a, this.p.take_profit_r, this.tick)
    if (!lv) return null
    this.lastLevel = level
    return {
      side,
      cause: what,
      stop: lv.stop,
      takeProfit: lv.takeProfit,
      reason: `${what}; ${side} at close ${this.fmt(this.close)}, ${describeLevels(this.fmt, lv.stop, lv.takeProfit)} (ATR ${this.fmt(a)} × ${m} ${side === 'long' ? 'below' : 'above'} the level)`,
      confidence,
    }
  }

  private readonly retry = (side: Side): EntrySignal | null => {
    const level = this.lastLevel
    if (!level || (side === 'long') !== (level.type === 'resistance')) return null
    if (side === 'long' ? !(this.close > level.price) : !(this.close < level.price)) return null
    return this.entry(side, level, `close ${this.fmt(this.close)} still ${side === 'long' ? 'above resistance' : 'below support'} ${this.fmt(level.price)}`, 0.5)
  }
}

export const breakout: StrategyDefinition<BreakoutParams> = {
  name: 'breakout',
  description:
    'Level breakout: support/resistance from clustered swing lows/highs (the scanner’s levels, swings confirmed so far); ' +
    'long on a close above resistance, short on a close below support (allow_short), each with volume ≥ volume_factor × the average. ' +
    'Stop atr_stop_multiple × ATR back inside the level, take profit at take_profit_r R; an opposite breakout closes.',
  params: BreakoutParams,
  create: (params, setup) => new Breakout(params, setup),
  // The first swing (2 × swing_length + 1 candles), the volume average of the candles before the breakout, the ATR.
  warmup: (p) => Math.max(2 * p.swing_length + 1, p.volume_period + 1, p.atr_period + 1),
}
