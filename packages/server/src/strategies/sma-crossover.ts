import { z } from 'zod'
import { StreamingAtr, StreamingSma } from '../analytics/indicators'
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

export const SmaCrossoverParams = z
  .strictObject({
    fast: intParam(2, 500, 10, 'Fast SMA period (candles); less than slow'),
    slow: intParam(3, 1000, 30, 'Slow SMA period (candles); greater than fast'),
    atr_stop_multiple: numParam(0.1, 20, 2, 'Stop distance from the close, in ATRs'),
    ...commonParams,
  })
  .superRefine((p, ctx) => {
    if (p.fast >= p.slow) ctx.addIssue({ code: 'custom', path: ['fast'], message: `must be less than slow (${p.slow})` })
  })

export type SmaCrossoverParams = z.infer<typeof SmaCrossoverParams>

/**
 * Moving-average crossover. On each closed candle: fast and slow SMAs of the close and the ATR are
 * updated (streaming, O(1)). A cross is `fast − slow` changing sign between the previous candle and
 * this one (≤ 0 → > 0 is a cross above, ≥ 0 → < 0 a cross below). Cross above → long (cross below →
 * short when `allow_short`), with the stop `atr_stop_multiple × ATR` from the close and the take
 * profit `take_profit_r` stop distances beyond it; the opposite cross closes the position (and, per
 * the position rules in common.ts, opens the other side on the next flat candle while the fast SMA
 * is still on the new side).
 *
 * Confidence: how sharply the averages cross, the change of `fast − slow` over the candle in ATRs,
 * capped at 1.
 */
class SmaCrossover implements StrategyInstance {
  private readonly fast: StreamingSma
  private readonly slow: StreamingSma
  private readonly atr: StreamingAtr
  private readonly hlc = { high: 0, low: 0, close: 0 }
  private readonly gate: PositionGate
  private readonly fmt: (x: number) => string
  private readonly tick: number
  private prevDiff = Number.NaN
  // This candle's figures, for retry().
  private close = 0
  private f = 0
  private s = 0
  private a: number | null = null

  constructor(
    private readonly p: SmaCrossoverParams,
    setup: StrategySetup,
  ) {
    this.fast = new StreamingSma(p.fast)
    this.slow = new StreamingSma(p.slow)
    this.atr = new StreamingAtr(p.atr_period)
    this.gate = new PositionGate(`no SMA(${p.fast})/SMA(${p.slow}) crossover`)
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
    const a = this.atr.update(hlc)
    const f = this.fast.update(close)
    const s = this.slow.update(close)
    this.close = close
    this.a = a
    let signal: EntrySignal | null = null
    let exit: ExitSignal | null = null
    if (f !== null && s !== null) {
      this.f = f
      this.s = s
      const diff = f - s
      const prev = this.prevDiff
      this.prevDiff = diff
      const up = prev <= 0 && diff > 0
      const down = prev >= 0 && diff < 0
      if (up || down) {
        const side: Side = up ? 'long' : 'short'
        const what = `fast SMA ${this.fmt(f)} crossed ${up ? 'above' : 'below'} slow SMA ${this.fmt(s)}`
        const confidence = a !== null && a > 0 ? clamp01(Math.abs(diff - prev) / a) : 0.5
        if (up || this.p.allow_short) signal = this.entry(side, what, confidence)
        // Without a valid entry (short not allowed, ATR still warming up) the cross still closes.
        if (!signal && ctx.account.position?.side === (up ? 'short' : 'long')) exit = { reason: what, confidence }
      }
    }
    return this.gate.decide(ctx.account, signal, exit, this.retry)
  }

  private entry(side: Side, what: string, confidence: number): EntrySignal | null {
    const a = this.a
    if (a === null) return null
    const close = this.close
    const lv = protectiveLevels(side, close, side === 'long' ? close - this.p.atr_stop_multiple * a : close + this.p.atr_stop_multiple * a, this.p.take_profit_r, this.tick)
    if (!lv) return null
    return {
      side,
      cause: what,
      stop: lv.stop,
      takeProfit: lv.takeProfit,
      reason: `${what}; ${side} at close ${this.fmt(close)}, ${describeLevels(this.fmt, lv.stop, lv.takeProfit)} (ATR ${this.fmt(a)} × ${this.p.atr_stop_multiple})`,
      confidence,
    }
  }

  private readonly retry = (side: Side): EntrySignal | null => {
    if (side === 'long' ? !(this.f > this.s) : !(this.f < this.s)) return null
    return this.entry(side, `fast SMA ${this.fmt(this.f)} still ${side === 'long' ? 'above' : 'below'} slow SMA ${this.fmt(this.s)}`, 0.5)
  }
}

export const smaCrossover: StrategyDefinition<SmaCrossoverParams> = {
  name: 'sma_crossover',
  description:
    'Moving-average crossover: long when the fast SMA of the close crosses above the slow SMA, short when it crosses below ' +
    '(allow_short), the opposite cross closes. Stop atr_stop_multiple × ATR from the close, take profit at take_profit_r R.',
  params: SmaCrossoverParams,
  create: (params, setup) => new SmaCrossover(params, setup),
  // Both SMAs and the ATR, and the candle before (a cross compares two candles' fast − slow).
  warmup: (p) => Math.max(p.slow, p.atr_period) + 1,
}
