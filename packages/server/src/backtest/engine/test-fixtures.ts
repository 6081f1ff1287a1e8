// Test-only: candles, a tiny strategy and a recording sink for the engine's tests.
import { allocCandles, type Candles } from '@smc-trading/smc'
import { z } from 'zod'
import { createRandom } from '../../core'
import { DEFAULT_INSTRUMENTS, type Instrument } from '../../market'
import type { Intent, StrategyDefinition, StrategyInstance } from '../../strategies/types'
import type { BacktestSpec, EquityPoint, RunEvent, RunMetrics, RunSink, RunTrade } from '../types'

export const ETH: Instrument = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'ETHUSDT')!
export const START = Date.UTC(2024, 2, 1)
export const HOUR = 3_600_000

/** A seeded random walk of 1h candles on the instrument's tick grid (each opens at the previous close, with gaps now and then). */
export function walk(n: number, seed: string, start = 3000, vol = 0.006, instrument: Instrument = ETH): Candles {
  const r = createRandom(seed)
  const tick = instrument.tickSize
  const q = (x: number): number => Math.round(x / tick) * tick
  const round = (x: number): number => Number(q(x).toFixed(instrument.pricePrecision))
  const c = allocCandles(n)
  let prev = start
  for (let k = 0; k < n; k++) {
    const gap = r.next() < 0.1 ? 1 + vol * r.normal() : 1
    const o = round(prev * gap)
    const cl = round(o * Math.exp(vol * r.normal()))
    const h = round(Math.max(o, cl) * (1 + Math.abs(r.normal()) * vol * 0.6))
    const l = round(Math.min(o, cl) * (1 - Math.abs(r.normal()) * vol * 0.6))
    c.time[k] = START + k * HOUR
    c.open[k] = o
    c.high[k] = Math.max(h, o, cl)
    c.low[k] = Math.min(l, o, cl)
    c.close[k] = cl
    c.volume[k] = Math.round((10 + 40 * r.next()) * 1e4) / 1e4
    prev = cl
  }
  return c
}

export const TinyParams = z.object({
  risk_fraction: z.number().gt(0).max(0.1).default(0.02),
  period: z.number().int().min(2).max(100).default(8),
  stop_pct: z.number().gt(0).default(0.012),
  tp_pct: z.number().gt(0).nullable().default(0.018),
  limit_every: z.number().int().min(0).default(0),
})
export type TinyParams = z.infer<typeof TinyParams>

/**
 * A deterministic toy: momentum over `period` candles. Flat and the close above the close `period`
 * candles ago → long (below → short), stop `stop_pct` and target `tp_pct` from the close; in a
 * position for `period` candles → close. Every `limit_every`-th entry (when > 0) is a limit order a
 * little inside the close. It reads only `ctx.candles` (nothing past the candle that closed).
 */
export const tinyStrategy: StrategyDefinition<TinyParams> = {
  name: 'tiny_momentum',
  description: 'test strategy',
  params: TinyParams,
  create(p, setup): StrategyInstance {
    const tick = setup.instrument.tickSize
    const dec = setup.instrument.pricePrecision
    const px = (x: number): number => Number((Math.round(x / tick) * tick).toFixed(dec))
    let held = 0
    let entries = 0
    return {
      onCandle(ctx): Intent {
        const close = ctx.candles.close
        const i = ctx.index
        if (close.length !== i + 1) throw new Error('candles must end at the candle that closed')
        if (ctx.account.position) {
          held++
          if (held >= p.period) return { action: 'close', reason: `held ${held} candles`, confidence: 0.5 }
          return { action: 'hold', reason: 'holding', confidence: 0 }
        }
        held = 0
        if (i < p.period) return { action: 'hold', reason: 'warming up', confidence: 0 }
        const c = close[i]!
        const then = close[i - p.period]!
        if (c === then) return { action: 'hold', reason: 'flat', confidence: 0 }
        const side = c > then ? 'long' : 'short'
        const up = side === 'long' ? 1 : -1
        entries++
        const limit = p.limit_every > 0 && entries % p.limit_every === 0
        const entry = limit ? px(c * (1 - up * 0.002)) : c
        return {
          action: 'open',
          side,
          type: limit ? 'limit' : 'market',
          ...(limit ? { price: entry } : {}),
          stop_loss: px(entry * (1 - up * p.stop_pct)),
          take_profit: p.tp_pct === null ? null : px(entry * (1 + up * p.tp_pct)),
          reason: `close ${c} vs ${then} ${p.period} candles ago`,
          confidence: Math.min(1, Math.abs(c - then) / then / 0.02),
        }
      },
    }
  },
}

export function specFor(candles: Candles, over: Partial<BacktestSpec> = {}): BacktestSpec {
  return {
    strategy: 'tiny_momentum',
    params: TinyParams.parse({}),
    symbol: ETH.symbol,
    interval: '1h',
    start_time: candles.time[0]!,
    end_time: candles.time[candles.time.length - 1]! + HOUR,
    initial_balance: 10_000,
    taker_fee_bps: 10,
    maker_fee_bps: 2,
    slippage_bps: 0,
    ...over,
  }
}

/** A sink that keeps everything, in order. */
export class MemorySink implements RunSink {
  readonly events: RunEvent[] = []
  readonly trades: RunTrade[] = []
  readonly points: EquityPoint[] = []
  readonly checkpoints: RunMetrics[] = []
  event(e: RunEvent): void {
    this.events.push(structuredClone(e))
  }
  trade(t: RunTrade): void {
    this.trades.push({ ...t })
  }
  equity(p: EquityPoint): void {
    this.points.push({ ...p })
  }
  checkpoint(m: RunMetrics): void {
    this.checkpoints.push({ ...m })
  }
  json(): string {
    return JSON.stringify({ events: this.events, trades: this.trades, points: this.points, checkpoints: this.checkpoints })
  }
}

/** A strategy that answers `plan[index]` at candle `index`'s close (hold otherwise). */
export function scripted(plan: Record<number, Intent>): StrategyDefinition<{ risk_fraction: number }> {
  return {
    name: 'scripted',
    description: 'test strategy',
    params: z.object({ risk_fraction: z.number().gt(0).max(1).default(0.01) }),
    create: () => ({
      onCandle: (ctx) => plan[ctx.index] ?? { action: 'hold', reason: 'script', confidence: 0 },
    }),
  }
}

export interface Bar {
  o: number
  h: number
  l: number
  c: number
}

/** 1h candles from START: `n` quiet bars at `price` (±1), then `tail` as given. */
export function bars(n: number, price: number, tail: Bar[] = []): Candles {
  const all: Bar[] = []
  for (let k = 0; k < n; k++) all.push({ o: price, h: price + 1, l: price - 1, c: price })
  all.push(...tail)
  const c: Candles = {
    time: new Float64Array(all.length),
    open: new Float64Array(all.length),
    high: new Float64Array(all.length),
    low: new Float64Array(all.length),
    close: new Float64Array(all.length),
    volume: new Float64Array(all.length),
  }
  all.forEach((b, k) => {
    c.time[k] = START + k * HOUR
    c.open[k] = b.o
    c.high[k] = b.h
    c.low[k] = b.l
    c.close[k] = b.c
    c.volume[k] = 10
  })
  return c
}
