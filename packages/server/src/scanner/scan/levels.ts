import type { SwingHighsLows } from '@smc-trading/smc'
import type { LevelSettings } from '../presets'
import type { ScanLevel } from './types'

/**
 * Support and resistance levels from SMC swing highs/lows (`swingHighsLows`, clean mode).
 *
 * Swing highs are clustered into resistance levels and swing lows into support levels, separately:
 * the swing prices of one kind are sorted ascending and taken in turn; a price joins the current
 * cluster when it lies within `cluster_pct` percent of the cluster's running mean, otherwise it
 * starts a new cluster. A cluster's price is the mean of its swings (rounded to the instrument's
 * decimals) and its `touches` the number of swings in it. Clusters with fewer than `min_touches`
 * are dropped; the rest are ranked by touches (most first), then by distance to `close` (nearest
 * first), then by price, and the first `max_levels` kept.
 *
 * Deterministic; O(k log k) in the number of swings.
 *
 * @example
 * const levels = clusterLevels(swings, 104.2, { swing_length: 5, cluster_pct: 0.3, min_touches: 2, max_levels: 6 }, 2)
 * // [{ price: 105, type: 'resistance', touches: 4 }, { price: 100.02, type: 'support', touches: 3 }]
 */
export function clusterLevels(swings: SwingHighsLows, close: number, settings: LevelSettings, priceDecimals: number): ScanLevel[] {
  const highs: number[] = []
  const lows: number[] = []
  const { highLow, level } = swings
  for (let i = 0; i < highLow.length; i++) {
    const k = highLow[i]!
    if (k === 1) highs.push(level[i]!)
    else if (k === -1) lows.push(level[i]!)
  }
  const all = [
    ...clusters(highs, settings.cluster_pct, 'resistance', priceDecimals),
    ...clusters(lows, settings.cluster_pct, 'support', priceDecimals),
  ].filter((l) => l.touches >= settings.min_touches)
  all.sort((a, b) => b.touches - a.touches || Math.abs(a.price - close) - Math.abs(b.price - close) || a.price - b.price)
  return all.slice(0, settings.max_levels)
}

function clusters(prices: number[], clusterPct: number, type: ScanLevel['type'], decimals: number): ScanLevel[] {
  prices.sort((a, b) => a - b)
  const out: ScanLevel[] = []
  let sum = 0
  let count = 0
  const flush = (): void => {
    if (count > 0) out.push({ price: Number((sum / count).toFixed(decimals)), type, touches: count })
  }
  for (const p of prices) {
    if (count > 0 && Math.abs(p - sum / count) <= (clusterPct / 100) * (sum / count)) {
      sum += p
      count++
      continue
    }
    flush()
    sum = p
    count = 1
  }
  flush()
  return out
}
