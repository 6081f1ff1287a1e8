// Test-only: a seeded random walk of candles (mulberry32), the same for a given seed everywhere.
import { allocCandles, type Candles } from '../types'

/** mulberry32: a small, fast, seeded 32-bit generator returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * `n` candles of `stepMs` each from `start`: a random walk of closes (with the odd flat candle, price gap and
 * time gap, so ties and doji candles occur), highs / lows around the bodies.
 */
export function randomWalkCandles(n: number, seed: number, stepMs = 300_000, start = Date.UTC(2024, 0, 1)): Candles {
  const rnd = seededRandom(seed)
  const c = allocCandles(n)
  let price = 100
  let t = start
  for (let i = 0; i < n; i++) {
    const open = price
    const u = rnd()
    // Prices on a 0.01 grid so equal highs / lows happen.
    const close = u < 0.05 ? open : Math.round((open + (rnd() - 0.5) * 2) * 100) / 100
    const high = Math.round((Math.max(open, close) + rnd() * 0.6) * 100) / 100
    const low = Math.round((Math.min(open, close) - rnd() * 0.6) * 100) / 100
    c.time[i] = t
    // Now and then a gap in time (a closed market): higher-timeframe buckets then close late.
    t += rnd() < 0.002 ? stepMs * (2 + Math.floor(rnd() * 50)) : stepMs
    c.open[i] = open
    c.high[i] = high
    c.low[i] = low
    c.close[i] = close
    c.volume[i] = Math.floor(rnd() * 1000)
    price = u > 0.98 ? close + (rnd() - 0.5) * 4 : close
  }
  return c
}
