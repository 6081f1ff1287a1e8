import { decimalsOf } from './precision'
import type { Candle } from './types'

/**
 * A candle as of `fraction` (0–1) of its duration, along open → first extreme → second extreme →
 * close in three equal legs (low first for a rising candle, high first for a falling one); volume in
 * proportion to the time elapsed. Replays (CSV, planted price paths) move prices along it, so stops
 * and resting orders see the candle's extremes.
 */
export function partialCandle(c: Candle, fraction: number): Candle {
  const { open: o, high: h, low: l, close: cl } = c
  const points = cl >= o ? [o, l, h, cl] : [o, h, l, cl]
  const f = Math.min(Math.max(fraction, 0), 1)
  const leg = Math.min(2, Math.floor(f * 3))
  const within = f * 3 - leg
  const visited = points.slice(0, leg + 1)
  const price = points[leg]! + (points[leg + 1]! - points[leg]!) * within
  const decimals = Math.max(...points.map(decimalsOf))
  const rounded = +price.toFixed(decimals)
  return {
    time: c.time,
    open: o,
    high: Math.max(...visited, rounded),
    low: Math.min(...visited, rounded),
    close: rounded,
    volume: +(c.volume * f).toFixed(Math.max(decimalsOf(c.volume), 8)),
  }
}
