import { createSmcStream, type SmcStream } from '@smc-trading/smc'
import { z } from 'zod'
import { StreamingAtr } from '../analytics/indicators'
import {
  PositionGate,
  SwingList,
  widen,
  widenedRows,
  clamp01,
  commonParams,
  describeLevels,
  intParam,
  numParam,
  priceFormatter,
  protectiveLevels,
  type EntrySignal,
  type ExitSignal,
  type Side,
} from './common'
import type { CandleContext, Intent, StrategyDefinition, StrategyInstance, StrategySetup } from './types'

/**
 * How many swings back (from the newest) the trend looks for the latest surviving BOS/CHoCH; past
 * that there is no trend. A bound on the work per candle in a long range without any break; on
 * market data the latest break is a handful of swings back.
 */
export const MAX_TREND_SWINGS = 512

export const SmcTrendParams = z.strictObject({
  swing_length: intParam(1, 50, 5, 'Candles on each side of a swing high/low (SMC engine swingLength); a swing is known swing_length candles after it'),
  ob_max_age: intParam(5, 2000, 100, 'Only order blocks whose candle is at most this many candles old count'),
  stop_buffer_atr: numParam(0, 5, 0.1, 'Stop beyond the order block by this many ATRs (at least one tick)'),
  ...commonParams,
})

export type SmcTrendParams = z.infer<typeof SmcTrendParams>

interface Block {
  dir: number
  row: number
  top: number
  bottom: number
}

/**
 * SMC trend following, on the SMC package's streaming engine (clean mode: `parity: false`, breaks on
 * the close), fed one closed candle at a time, so every figure at a candle uses candles up to it
 * only (a swing exists once `swing_length` later candles confirm it; see ml/smc-trend.ts).
 *
 * - Trend: the direction of the latest surviving BOS/CHoCH (the signal of the highest row with a
 *   break, as `smcTrendSeries` in ml/smc-trend.ts), +1, −1 or none.
 * - Entry: in the trend's direction, when the candle retraces into the most recent unmitigated
 *   order block of that direction (bullish: its low reaches the block's top while the block stays
 *   unmitigated, i.e. the low stays at or above its bottom; bearish mirrored). The block must
 *   already have been the candidate when the previous candle closed (no entry on the candle that
 *   forms it) and be at most `ob_max_age` candles old; each block is traded once.
 * - Stop beyond the block's far edge by max(one tick, `stop_buffer_atr` × ATR); take profit at
 *   `take_profit_r` R from the close.
 * - Exit: the trend turning against the position (an opposite BOS/CHoCH) closes it; stops and
 *   targets are the engine's. A close caused by an opposite entry is retried on the next flat
 *   candle while the trend holds and the close is still inside the block.
 *
 * Confidence of an entry: 0.5, + 0.25 when the trend comes from a BOS (continuation) rather than a
 * CHoCH, + 0.25 × the block's volume balance (the engine's `percentage` / 100). Exits: 1.
 */
export class SmcTrendInstance implements StrategyInstance {
  private readonly stream: SmcStream
  private readonly swings: SwingList
  private readonly atr: StreamingAtr
  private readonly hlc = { high: 0, low: 0, close: 0 }
  private readonly gate: PositionGate
  private readonly fmt: (x: number) => string
  private readonly tick: number
  /** The candidate block when the previous candle closed (dir 0: none). */
  private cand: Block = { dir: 0, row: -1, top: 0, bottom: 0 }
  /** Last block traded per direction (index 0 bearish, 1 bullish). */
  private readonly used = [-1, -1]
  // Widened stream columns (see widen in common.ts) and the rows they cover.
  private sw!: ReturnType<SmcStream['swings']>
  private bc!: ReturnType<SmcStream['bosChoch']>
  private ob!: ReturnType<SmcStream['ob']>
  private rows = 0
  private trend = 0
  private trendRow = -1
  private a: number | null = null
  private close = 0
  // Block of the last entry signal, for retry().
  private lastBlock: Block = { dir: 0, row: -1, top: 0, bottom: 0 }

  constructor(
    private readonly p: SmcTrendParams,
    setup: StrategySetup,
  ) {
    this.stream = createSmcStream({
      swings: { swingLength: p.swing_length, parity: false },
      bosChoch: { closeBreak: true, parity: false },
      ob: { closeMitigation: false, parity: false },
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
    this.gate = new PositionGate('no order-block retracement in the trend')
    this.fmt = priceFormatter(setup.instrument)
    this.tick = setup.instrument.tickSize
  }

  dispose(): void {
    this.stream.release()
  }

  /** The trend after the last candle: 1 bullish, −1 bearish, 0 none (for tests and diagnostics). */
  get currentTrend(): number {
    return this.trend
  }

  onCandle(ctx: CandleContext): Intent {
    const bar = ctx.candle
    const stream = this.stream
    stream.push(bar)
    const n = stream.length
    if (n > this.rows) {
      this.sw = widen(stream.swings())
      this.bc = widen(stream.bosChoch())
      this.ob = widen(stream.ob())
      this.rows = Math.min(widenedRows(this.sw), widenedRows(this.bc), widenedRows(this.ob))
    }
    const { sw, bc, ob } = this
    const swings = this.swings
    if (swings.update(sw.highLow, sw.level, n) && swings.length >= 2 * MAX_TREND_SWINGS) swings.dropOldest(swings.length - MAX_TREND_SWINGS)
    const hlc = this.hlc
    hlc.high = bar.high
    hlc.low = bar.low
    hlc.close = bar.close
    this.a = this.atr.update(hlc)
    this.close = bar.close

    this.findTrend(bc.brokenIndex, bc.bos, bc.choch)
    const trend = this.trend
    const pos = ctx.account.position?.side

    let exit: ExitSignal | null = null
    if (trend !== 0 && pos === (trend > 0 ? 'short' : 'long')) exit = { reason: `${this.describeTrend(bc)}: closing the ${pos}`, confidence: 1 }

    let signal: EntrySignal | null = null
    const c = this.cand
    const k = trend > 0 ? 1 : 0
    if (trend !== 0 && c.dir === trend && (trend > 0 || this.p.allow_short) && this.used[k] !== c.row && this.stillValid(c, ob)) {
      const touched = trend > 0 ? bar.low <= c.top : bar.high >= c.bottom
      if (touched) {
        this.used[k] = c.row
        const what =
          trend > 0
            ? `low ${this.fmt(bar.low)} retraced into the bullish order block ${this.fmt(c.bottom)}–${this.fmt(c.top)} of candle ${c.row}`
            : `high ${this.fmt(bar.high)} retraced into the bearish order block ${this.fmt(c.bottom)}–${this.fmt(c.top)} of candle ${c.row}`
        const isBos = bc.bos[this.trendRow] === bc.bos[this.trendRow]
        const pct = ob.percentage[c.row]!
        const confidence = 0.5 + (isBos ? 0.25 : 0) + 0.25 * clamp01((pct === pct ? pct : 0) / 100)
        signal = this.entry(c, `${this.describeTrend(bc)}; ${what}`, confidence)
      }
    }

    // The candidate for the next candle.
    if (trend === 0) this.cand.dir = 0
    else this.findBlock(trend, ob.ob, ob.mitigatedIndex, ob.top, ob.bottom, n - 1)
    return this.gate.decide(ctx.account, signal, exit, this.retry)
  }

  /** The latest surviving BOS/CHoCH: the highest swing row (within MAX_TREND_SWINGS) with a break. */
  private findTrend(broken: Float64Array, bos: Float64Array, choch: Float64Array): void {
    const rows = this.swings.rows
    const stop = Math.max(0, rows.length - MAX_TREND_SWINGS)
    for (let k = rows.length - 1; k >= stop; k--) {
      const r = rows[k]!
      const b = broken[r]!
      if (b !== b) continue
      const d = bos[r] === bos[r] ? bos[r]! : choch[r]!
      this.trend = d > 0 ? 1 : d < 0 ? -1 : 0
      this.trendRow = r
      return
    }
    this.trend = 0
    this.trendRow = -1
  }

  private describeTrend(bc: ReturnType<SmcStream['bosChoch']>): string {
    const r = this.trendRow
    const kind = bc.bos[r] === bc.bos[r] ? 'BOS' : 'CHoCH'
    return `${this.trend > 0 ? 'bullish' : 'bearish'} ${kind}: candle ${bc.brokenIndex[r]} closed ${this.trend > 0 ? 'above' : 'below'} the swing ${this.trend > 0 ? 'high' : 'low'} ${this.fmt(bc.level[r]!)} of candle ${r}`
  }

  /** Most recent unmitigated order block of direction `dir` within ob_max_age candles. */
  private findBlock(dir: number, obDir: Float64Array, mit: Float64Array, top: Float64Array, bottom: Float64Array, j: number): void {
    const stop = Math.max(0, j - this.p.ob_max_age)
    const c = this.cand
    for (let r = j; r >= stop; r--) {
      if (obDir[r] !== dir) continue
      const m = mit[r]!
      if (m === m) continue
      const t = top[r]!
      const b = bottom[r]!
      c.dir = dir
      c.row = r
      // A bullish block formed right after its swing has top < bottom (engine quirk): take the span.
      c.top = t > b ? t : b
      c.bottom = t > b ? b : t
      return
    }
    c.dir = 0
  }

  /** The block still exists, unmitigated and unchanged, and is not older than ob_max_age. */
  private stillValid(c: Block, ob: ReturnType<SmcStream['ob']>): boolean {
    const r = c.row
    const n = this.stream.length
    if (n - 1 - r > this.p.ob_max_age || ob.ob[r] !== c.dir) return false
    const m = ob.mitigatedIndex[r]!
    if (m === m) return false
    const t = ob.top[r]!
    const b = ob.bottom[r]!
    return (t > b ? t : b) === c.top && (t > b ? b : t) === c.bottom
  }

  private entry(block: Block, what: string, confidence: number): EntrySignal | null {
    const a = this.a
    const side: Side = block.dir > 0 ? 'long' : 'short'
    const buffer = Math.max(this.tick, a === null ? 0 : this.p.stop_buffer_atr * a)
    const rawStop = side === 'long' ? block.bottom - buffer : block.top + buffer
    const lv = protectiveLevels(side, this.close, rawStop, this.p.take_profit_r, this.tick)
    if (!lv) return null
    this.lastBlock = { ...block }
    return {
      side,
      cause: what,
      stop: lv.stop,
      takeProfit: lv.takeProfit,
      reason: `${what}; ${side} at close ${this.fmt(this.close)}, ${describeLevels(this.fmt, lv.stop, lv.takeProfit)} (${this.fmt(buffer)} beyond the block)`,
      confidence: clamp01(confidence),
    }
  }

  private readonly retry = (side: Side): EntrySignal | null => {
    const b = this.lastBlock
    const dir = side === 'long' ? 1 : -1
    if (this.trend !== dir || b.dir !== dir || !this.stillValid(b, this.ob)) return null
    if (!(this.close >= b.bottom && this.close <= b.top)) return null
    return this.entry(b, `trend still ${side === 'long' ? 'bullish' : 'bearish'}, close ${this.fmt(this.close)} still inside the order block of candle ${b.row}`, 0.5)
  }
}

export const smcTrend: StrategyDefinition<SmcTrendParams> = {
  name: 'smc_trend',
  description:
    'SMC trend following: the trend is the direction of the latest broken BOS/CHoCH (causal, streaming SMC engine); ' +
    'enter in that direction when price retraces into the most recent unmitigated order block of the same direction, ' +
    'stop beyond the block (stop_buffer_atr × ATR, at least a tick), take profit at take_profit_r R; an opposite BOS/CHoCH closes.',
  params: SmcTrendParams,
  create: (params, setup) => new SmcTrendInstance(params, setup),
  // A swing is known swing_length candles after it (2 × swing_length + 1 candles for the first), and the stop needs the ATR.
  warmup: (p) => Math.max(2 * p.swing_length + 1, p.atr_period + 1),
}
