import { createRandom } from '../core'
import { floorToGrid, type Grid, roundToGrid } from './precision'
import type { MinuteBar } from './price-walk'

/** Seconds in a minute: a path has a point per second plus the close at second 60. */
export const SECONDS = 60

/**
 * The price and cumulative volume at each second of a forming minute. `price[0]` is the open,
 * `price[60]` the close, and the path touches exactly the bar's high and low, so the forming candle
 * grows into the final one without ever contradicting it.
 */
export interface MinutePath {
  price: Float64Array
  /** Cumulative volume traded up to and including each second; `volume[60]` is the bar's volume. */
  volume: Float64Array
}

/**
 * Build the per-second path of a minute whose final bar is already decided. Seeded by
 * (seed, symbol, minute) alone, so the price at a clock time never depends on when or how often the
 * market was advanced.
 *
 * @example
 * const path = buildMinutePath(bar, `${seed}:BTCUSDT:${minute}`, priceGrid, lotGrid)
 * path.price[0] === bar.open && path.price[60] === bar.close // true
 */
export function buildMinutePath(bar: MinuteBar, seed: string, priceGrid: Grid, lotGrid: Grid): MinutePath {
  const random = createRandom(`second:${seed}`)
  const price = new Float64Array(SECONDS + 1)
  const { open, high, low, close } = bar

  // When the extremes are hit: an extreme equal to the open is already touched at second 0.
  const atHigh = high === open ? 0 : 1 + Math.floor(random.next() * (SECONDS - 1))
  let atLow = low === open ? 0 : 1 + Math.floor(random.next() * (SECONDS - 1))
  if (atLow !== 0 && atLow === atHigh) atLow = atLow === SECONDS - 1 ? atLow - 1 : atLow + 1
  const anchors: Array<[second: number, value: number]> = [[0, open]]
  if (atHigh > 0) anchors.push([atHigh, high])
  if (atLow > 0) anchors.push([atLow, low])
  anchors.sort((a, b) => a[0] - b[0])
  anchors.push([SECONDS, close])

  // Brownian bridges between consecutive anchors, kept inside [low, high] and on tick.
  const sd = (open * bar.sigma) / Math.sqrt(SECONDS)
  price[0] = open
  for (let a = 1; a < anchors.length; a++) {
    const [t0, v0] = anchors[a - 1]!
    const [t1, v1] = anchors[a]!
    const n = t1 - t0
    const walk = new Float64Array(n + 1)
    for (let k = 1; k <= n; k++) walk[k] = walk[k - 1]! + sd * random.normal()
    for (let k = 1; k < n; k++) {
      const f = k / n
      const p = roundToGrid(v0 + walk[k]! - f * walk[n]! + f * (v1 - v0), priceGrid)
      price[t0 + k] = Math.min(high, Math.max(low, p))
    }
    price[t1] = v1
  }

  // Trades arrive unevenly: lognormal weights per second, cumulated on the lot grid.
  const weights = new Float64Array(SECONDS + 1)
  let total = 0
  for (let s = 0; s <= SECONDS; s++) {
    weights[s] = Math.exp(0.8 * random.normal())
    total += weights[s]!
  }
  const volume = new Float64Array(SECONDS + 1)
  let cum = 0
  for (let s = 0; s < SECONDS; s++) {
    cum += weights[s]!
    volume[s] = Math.min(bar.volume, floorToGrid((bar.volume * cum) / total, lotGrid))
  }
  volume[SECONDS] = bar.volume
  return { price, volume }
}

/**
 * The forming candle at `second` (0–60) of the minute: open, running high/low, price and volume so far.
 *
 * @example
 * partialBar(bar, path, 30, out) // out.close === path.price[30]
 */
export function partialBar(bar: MinuteBar, path: MinutePath, second: number, out: MinuteBar): void {
  const s = Math.min(SECONDS, Math.max(0, Math.floor(second)))
  let high = path.price[0]!
  let low = high
  for (let i = 1; i <= s; i++) {
    const p = path.price[i]!
    if (p > high) high = p
    if (p < low) low = p
  }
  out.open = bar.open
  out.high = high
  out.low = low
  out.close = path.price[s]!
  out.volume = path.volume[s]!
  out.sigma = bar.sigma
}
