// Where the CLI's candles come from: CSV files, or the simulated market over the range asked for.
import { ManualClock } from '../core'
import { createSimulatedMarket, type MarketData } from '../market'
import { createReplayMarket, loadCsvSource } from '../market/csv'
import { MINUTE_MS } from '../market/intervals'

export interface CandleSource {
  market: MarketData
  /** What the data holds for a symbol (CSV files), or null (the simulated market has any range). */
  span(symbol: string): { start: number; end: number } | null
}

/** The candles' source: CSV files (every candle history), or the simulated market with enough history up to `to`. */
export function candleSource(csv: string | undefined, to: number, from: number, seed: string): CandleSource {
  if (csv) {
    const source = loadCsvSource(csv)
    const clock = new ManualClock(to)
    // Replaying from the end: every candle of the files is history.
    const market = createReplayMarket({ clock, source, speed: 1, start: Number.MAX_SAFE_INTEGER, seed })
    return {
      market,
      span: (symbol) => {
        const c = source.series.get(symbol)
        const n = c?.time.length ?? 0
        return n ? { start: c!.time[0]!, end: c!.time[n - 1]! + source.stepMinutes * MINUTE_MS } : null
      },
    }
  }
  const clock = new ManualClock(to)
  // The walk is keyed by (seed, its first minute), and its first minute follows --from: see --seed.
  return { market: createSimulatedMarket({ clock, seed, historyDays: Math.ceil((to - from) / 86_400_000) + 1 }), span: () => null }
}
