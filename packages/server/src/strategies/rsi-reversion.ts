import { z } from 'zod'
import { StreamingAtr, StreamingRsi } from '../analytics/indicators'
import {
  PositionGate,
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

/** RSI level a reversion trade exits at. */
const MIDLINE = 50

export const RsiReversionParams = z
  .strictObject({
    period: intParam(2, 200, 14, 'RSI period (Wilder)'),
    oversold: z.number().gt(0).lt(MIDLINE).default(30).describe('Long when the RSI crosses up through this level; below 50 (and below overbought)'),
    overbought: z.number().gt(MIDLINE).lt(100).default(70).describe('Short when the RSI crosses down through this level; above 50 (and above oversold)'),
    atr_stop_multiple: numParam(0.1, 20, 2, 'Stop distance from the close, in ATRs'),
    ...commonParams,
  })
  .superRefine((p, ctx) => {
    // Implied by the bounds (oversold < 50 < overbought); kept explicit for the error message.
    if (p.oversold >= p.overbought) ctx.addIssue({ code: 'custom', path: ['oversold'], message: `must be less than overbought (${p.overbought})` })
  })

export type RsiReversionParams = z.infer<typeof RsiReversionParams>

/**
 * RSI mean reversion. The RSI (Wilder, streaming) crossing up through `oversold` (previous value
 * below it, this one at or above) → long; crossing down through `overbought` (previous above, this
 * one at or below) → short (`allow_short`); a cross that jumps straight past 50 is not taken (its
 * exit would already hold). A long closes when the RSI is back at 50 or above, a
 * short at 50 or below. Stop `atr_stop_multiple × ATR` from the close, take profit at
 * `take_profit_r` R. An opposite signal while positioned closes, and the other side opens on the
 * next flat candle if the RSI is still on that side of 50.
 *
 * Confidence of an entry: 0.5 + (how far the RSI went beyond the threshold during the excursion
 * that just ended, in RSI points) / 20, capped at 1 — a deeper oversold dip gives a stronger signal.
 * Exits at the midline are rules, confidence 1.
 */
class RsiReversion implements StrategyInstance {
  private readonly rsi: StreamingRsi
  private readonly atr: StreamingAtr
  private readonly hlc = { high: 0, low: 0, close: 0 }
  private readonly gate: PositionGate
  private readonly fmt: (x: number) => string
  private readonly tick: number
  private prev = Number.NaN
  /** Lowest RSI since it went below oversold / highest since above overbought (NaN outside). */
  private trough = Number.NaN
  private peak = Number.NaN
  private close = 0
  private r = 0
  private a: number | null = null

  constructor(
    private readonly p: RsiReversionParams,
    setup: StrategySetup,
  ) {
    this.rsi = new StreamingRsi(p.period)
    this.atr = new StreamingAtr(p.atr_period)
    this.gate = new PositionGate(`RSI(${p.period}) between ${p.oversold} and ${p.overbought}, no cross`)
    this.fmt = priceFormatter(setup.instrument)
    this.tick = setup.instrument.tickSize
  }

  onCandle(ctx: CandleContext): Intent {
    const { candle } = ctx
    const close = candle.close
    const hlc = this.hlc
    hlc.high = candle.high
    hlc.low = candle.low
    hlc.close = close
    this.a = this.atr.update(hlc)
    this.close = close
    const r = this.rsi.update(close)
    let signal: EntrySignal | null = null
    let exit: ExitSignal | null = null
    if (r !== null) {
      this.r = r
      const { oversold, overbought } = this.p
      const prev = this.prev
      this.prev = r
      if (prev < oversold && r >= oversold && r < MIDLINE) {
        const low = this.trough < prev ? this.trough : prev
        this.trough = Number.NaN
        signal = this.entry('long', `RSI ${r.toFixed(1)} crossed up through ${oversold} (low ${low.toFixed(1)})`, 0.5 + (oversold - low) / 20)
      } else if (prev > overbought && r <= overbought && r > MIDLINE) {
        const high = this.peak > prev ? this.peak : prev
        this.peak = Number.NaN
        if (this.p.allow_short) signal = this.entry('short', `RSI ${r.toFixed(1)} crossed down through ${overbought} (high ${high.toFixed(1)})`, 0.5 + (high - overbought) / 20)
      }
      if (r < oversold) this.trough = this.trough < r ? this.trough : r
      if (r > overbought) this.peak = this.peak > r ? this.peak : r
      const pos = ctx.account.position?.side
      if (pos === 'long' && r >= MIDLINE) exit = { reason: `RSI ${r.toFixed(1)} back at ${MIDLINE} or above: closing the long`, confidence: 1 }
      else if (pos === 'short' && r <= MIDLINE) exit = { reason: `RSI ${r.toFixed(1)} back at ${MIDLINE} or below: closing the short`, confidence: 1 }
    }
    return this.gate.decide(ctx.account, signal, exit, this.retry)
  }

  private entry(side: Side, what: string, confidence: number): EntrySignal | null {
    const a = this.a
    if (a === null) return null
    const close = this.close
    const m = this.p.atr_stop_multiple
    const lv = protectiveLevels(side, close, side === 'long' ? close - m * a : close + m * a, this.p.take_profit_r, this.tick)
    if (!lv) return null
    return {
      side,
      cause: what,
      stop: lv.stop,
      takeProfit: lv.takeProfit,
      reason: `${what}; ${side} at close ${this.fmt(close)}, ${describeLevels(this.fmt, lv.stop, lv.takeProfit)} (ATR ${this.fmt(a)} × ${m})`,
      confidence: clamp01(confidence),
    }
  }

  private readonly retry = (side: Side): EntrySignal | null => {
    const r = this.r
    if (side === 'long' ? !(r < MIDLINE) : !(r > MIDLINE && this.p.allow_short)) return null
    return this.entry(side, `RSI ${r.toFixed(1)} still ${side === 'long' ? 'below' : 'above'} ${MIDLINE}`, 0.5)
  }
}

export const rsiReversion: StrategyDefinition<RsiReversionParams> = {
  name: 'rsi_reversion',
  description:
    'RSI mean reversion: long when the RSI crosses up through oversold, short when it crosses down through overbought ' +
    '(allow_short); the position closes when the RSI returns to 50. Stop atr_stop_multiple × ATR from the close, take profit at take_profit_r R.',
  params: RsiReversionParams,
  create: (params, setup) => new RsiReversion(params, setup),
  // RSI(period) reads period changes (period + 1 closes), the ATR atr_period candles, and a cross compares two RSI values.
  warmup: (p) => Math.max(p.period + 2, p.atr_period + 1),
}
