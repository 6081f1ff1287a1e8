// Test helpers: candle series, a guard that fails on any read past the current candle, and a
// minimal stand-in for the backtest engine (fills at the next open, stops/targets inside a candle)
// so strategy tests see realistic account positions without depending on the real engine.
import { allocCandles, type Candles } from '@smc-trading/smc'
import { createRandom } from '../core'
import { DEFAULT_INSTRUMENTS, type Instrument } from '../market'
import { candleAt, type Intent, type StrategyAccount, type StrategyDefinition, type StrategySetup } from './types'

export const BTC: Instrument = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!

export const setupFor = (instrument: Instrument = BTC, seed: string | number = 1): StrategySetup => ({
  symbol: instrument.symbol,
  interval: '1m',
  instrument,
  random: createRandom(seed),
})

export interface Bar {
  o: number
  h: number
  l: number
  c: number
  v?: number
}

/** Columns from bars; candle k opens at minute k. */
export function candlesOf(bars: readonly Bar[]): Candles {
  const n = bars.length
  const c = allocCandles(n)
  bars.forEach((b, k) => {
    c.time[k] = 1_700_000_000_000 + k * 60_000
    c.open[k] = b.o
    c.high[k] = b.h
    c.low[k] = b.l
    c.close[k] = b.c
    c.volume[k] = b.v ?? 100
  })
  return c
}

/** Bars from closes: each opens at the previous close, with `wick` beyond the body on both sides. */
export function barsFromCloses(closes: readonly number[], wick = 0.5, volume = 100): Bar[] {
  return closes.map((c, k) => {
    const o = k === 0 ? c : closes[k - 1]!
    return { o, h: Math.max(o, c) + wick, l: Math.min(o, c) - wick, c, v: volume }
  })
}

/** A seeded random walk (log-normal steps) with random wicks and volumes. */
export function randomCandles(n: number, seed: string | number, start = 100, vol = 0.01): Candles {
  const r = createRandom(seed)
  const bars: Bar[] = []
  let prev = start
  for (let k = 0; k < n; k++) {
    const o = prev
    const c = o * Math.exp(vol * r.normal())
    const h = Math.max(o, c) * (1 + Math.abs(r.normal()) * vol * 0.5)
    const l = Math.min(o, c) * (1 - Math.abs(r.normal()) * vol * 0.5)
    bars.push({ o: round2(o), h: round2(h), l: round2(l), c: round2(c), v: round2(50 + 100 * r.next() + (r.next() < 0.05 ? 400 : 0)) })
    prev = round2(c)
  }
  // Keep bars consistent after rounding.
  for (const b of bars) {
    b.h = Math.max(b.h, b.o, b.c)
    b.l = Math.min(b.l, b.o, b.c)
  }
  return candlesOf(bars)
}

const round2 = (x: number): number => Math.round(x * 100) / 100

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const

/** The first `length` candles, each column a view that throws on a read past its end. */
export function guardedPrefix(c: Candles, length: number): Candles {
  const out = {} as Candles
  for (const f of FIELDS) {
    const view = c[f].subarray(0, length)
    out[f] = new Proxy(view, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key) && Number(key) >= length) {
          throw new Error(`look-ahead: read ${f}[${key}] with only ${length} candles closed`)
        }
        const v = Reflect.get(target, key, target) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
  }
  return out
}

export interface Step {
  index: number
  intent: Intent
  position: StrategyAccount['position']
}

export interface SimTrade {
  side: 'long' | 'short'
  entryIndex: number
  entry: number
  exitIndex: number | null
  exit: number | null
  exitReason: 'close' | 'stop' | 'take_profit' | null
}

/**
 * Runs a strategy over candles as the backtest engine will: decide at a candle's close with the
 * candles so far (guarded views), fill opens and closes at the next candle's open, and trigger the
 * stop (checked first, conservatively) or the take profit inside a candle's range. Quantity 1.
 */
export function simulate<P extends { risk_fraction: number }>(
  def: StrategyDefinition<P>,
  params: unknown,
  candles: Candles,
  setup: StrategySetup = setupFor(),
): { steps: Step[]; trades: SimTrade[] } {
  const instance = def.create(def.params.parse(params), setup)
  const steps: Step[] = []
  const trades: SimTrade[] = []
  let position: (NonNullable<StrategyAccount['position']> & { stop: number; tp: number | null }) | null = null
  let order: Intent | null = null
  const n = candles.close.length
  for (let j = 0; j < n; j++) {
    const o = candles.open[j]!
    if (order?.action === 'open' && position === null) {
      position = { side: order.side, quantity: 1, entry_price: o, stop: order.stop_loss, tp: order.take_profit }
      trades.push({ side: order.side, entryIndex: j, entry: o, exitIndex: null, exit: null, exitReason: null })
    } else if (order?.action === 'close' && position !== null) {
      Object.assign(trades[trades.length - 1]!, { exitIndex: j, exit: o, exitReason: 'close' })
      position = null
    }
    order = null
    if (position) {
      const long = position.side === 'long'
      const hitStop = long ? candles.low[j]! <= position.stop : candles.high[j]! >= position.stop
      const hitTp = position.tp !== null && (long ? candles.high[j]! >= position.tp : candles.low[j]! <= position.tp)
      if (hitStop || hitTp) {
        Object.assign(trades[trades.length - 1]!, { exitIndex: j, exit: hitStop ? position.stop : position.tp, exitReason: hitStop ? 'stop' : 'take_profit' })
        position = null
      }
    }
    const account: StrategyAccount = {
      equity: 10_000,
      available: 10_000,
      position: position && { side: position.side, quantity: position.quantity, entry_price: position.entry_price },
    }
    const intent = instance.onCandle({ candles: guardedPrefix(candles, j + 1), index: j, candle: candleAt(candles, j), account })
    steps.push({ index: j, intent, position: account.position })
    order = intent.action === 'hold' ? null : intent
  }
  return { steps, trades }
}

/** The non-hold intents with their candle index. */
export const actions = (steps: readonly Step[]): { index: number; intent: Intent }[] =>
  steps.filter((s) => s.intent.action !== 'hold').map(({ index, intent }) => ({ index, intent }))

/** Every intent is well-formed: confidence in [0, 1], a reason, an open with a stop on the losing side. */
export function checkIntents(steps: readonly Step[], candles: Candles): void {
  for (const { index, intent, position } of steps) {
    if (!(intent.confidence >= 0 && intent.confidence <= 1)) throw new Error(`candle ${index}: confidence ${intent.confidence}`)
    if (intent.reason.length === 0) throw new Error(`candle ${index}: empty reason`)
    if (intent.action === 'open') {
      if (position && position.side === intent.side) throw new Error(`candle ${index}: open ${intent.side} while ${position.side} is open`)
      const c = candles.close[index]!
      const ok = intent.side === 'long' ? intent.stop_loss < c : intent.stop_loss > c
      if (!ok) throw new Error(`candle ${index}: stop ${intent.stop_loss} on the wrong side of ${c}`)
      if (intent.take_profit !== null && (intent.side === 'long' ? intent.take_profit <= c : intent.take_profit >= c)) {
        throw new Error(`candle ${index}: take profit ${intent.take_profit} on the wrong side of ${c}`)
      }
    }
  }
}

/** The first `n` candles as fresh columns (a series that simply ends there). */
export function sliceCandles(c: Candles, n: number): Candles {
  const out = {} as Candles
  for (const f of FIELDS) out[f] = c[f].slice(0, n)
  return out
}
