import { createSmcStream, type Candles } from '@smc-trading/smc'

/**
 * Causal SMC trend per candle: +1 (bullish), −1 (bearish) or 0 (no break yet), the direction of
 * the latest BOS/CHoCH break in the SMC analysis of candles `0 … t` only: the same rule as
 * `analyzeSmc`'s `trend` (the surviving signal broken last), evaluated on every prefix.
 *
 * The batch swing detector looks `swingLength` candles ahead, so running it once on the whole
 * series would leak the future into earlier rows. The streaming engine (clean mode, `parity: false`)
 * returns after each push exactly what the batch returns on that prefix, where a swing exists only
 * once `swingLength` later candles confirm it; the trend at `t` therefore uses nothing after `t`.
 * Surviving signals' break rows strictly increase with their signal rows, so the latest surviving
 * signal (scanning back from `t`) is the one broken last.
 *
 * @example
 * const trend = smcTrendSeries(market.candleColumns('BTCUSDT', '1h', { limit: 500 }), 5)
 * trend[trend.length - 1] // 1, -1 or 0
 */
export function smcTrendSeries(candles: Candles, swingLength: number): Float64Array {
  const n = candles.time.length
  const out = new Float64Array(n)
  const stream = createSmcStream({
    swings: { swingLength, parity: false },
    bosChoch: { closeBreak: true, parity: false },
    fvg: false,
    ob: false,
    liquidity: false,
    retracements: false,
    previousHighLow: false,
    initialCapacity: Math.max(16, n),
  })
  const { time: T, open: O, high: H, low: L, close: C, volume: V } = candles
  for (let t = 0; t < n; t++) {
    stream.push({ time: T[t]!, open: O[t]!, high: H[t]!, low: L[t]!, close: C[t]!, volume: V[t]! })
    const { bos, choch, brokenIndex } = stream.bosChoch()
    let trend = 0
    for (let i = t; i >= 0; i--) {
      const b = brokenIndex[i]!
      if (b !== b) continue
      const d = bos[i] === bos[i] ? bos[i]! : choch[i]!
      trend = d > 0 ? 1 : d < 0 ? -1 : 0
      break
    }
    out[t] = trend
  }
  return out
}
