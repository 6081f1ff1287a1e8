// The benchmarks' candles: a seeded random walk of one-minute BTCUSDT candles (bench backtest and
// bench backtest-ab run on the same data).
import { allocCandles } from '../../packages/smc/src/index'
import { createRandom } from '../../packages/server/src/core/index'
import { DEFAULT_INSTRUMENTS, type CandleColumns, type Instrument } from '../../packages/server/src/market/index'

export const MINUTE = 60_000
export const START = Date.UTC(2022, 0, 1)
export const BTC: Instrument = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!

/** A seeded random walk of 1m candles on the instrument's tick grid, each opening at the previous close (gaps now and then). */
export function walk(n: number, seed: string, start = 30_000, vol = 0.0012): CandleColumns {
  const r = createRandom(seed)
  const tick = BTC.tickSize
  const round = (x: number): number => Number((Math.round(x / tick) * tick).toFixed(BTC.pricePrecision))
  const c = allocCandles(n)
  let prev = start
  for (let k = 0; k < n; k++) {
    const gap = r.next() < 0.05 ? 1 + 0.3 * vol * r.normal() : 1
    const o = round(prev * gap)
    const cl = round(o * Math.exp(vol * r.normal()))
    const h = round(Math.max(o, cl) * (1 + Math.abs(r.normal()) * vol * 0.5))
    const l = round(Math.min(o, cl) * (1 - Math.abs(r.normal()) * vol * 0.5))
    c.time[k] = START + k * MINUTE
    c.open[k] = o
    c.high[k] = Math.max(h, o, cl)
    c.low[k] = Math.min(l, o, cl)
    c.close[k] = cl
    c.volume[k] = Math.round((1 + 20 * r.next()) * 1e4) / 1e4
    prev = cl
  }
  return c
}

