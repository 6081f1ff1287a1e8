import { createRandom } from '../core'
import { DEFAULT_INSTRUMENTS, type Instrument, type MarketData, SeriesMarket } from '../market'

const HOUR_MS = 3_600_000

/** A planted market for tests: a `SeriesMarket` of 1h candles, its `MarketData`, and a way to append candles. */
export interface PlantedMarket {
  market: MarketData
  series: SeriesMarket
  symbol: string
  /** Candles put so far. */
  readonly count: number
  /** Append the next closed candle and move the market's time to its close. */
  next(): void
}

export interface PlantedOptions {
  /** Closed 1h candles at creation. */
  candles: number
  /**
   * AR(1) coefficient of the log price around a fixed level: 0 = closes drawn independently around
   * the level (a close far above its recent band is followed by a fall), 1 = a random walk.
   */
  phi: number
  /** Standard deviation of each candle's log-price innovation. Default 0.01. */
  sigma?: number
  seed?: string
  start?: number
  instrument?: Instrument
}

/**
 * A 1h market whose log price follows x[t+1] = φ·x[t] + σ·ε around a fixed level, so the next
 * return (φ−1)·x[t] + σ·ε is predictable from where the close sits in its recent range: the
 * Bollinger %B, RSI and last return features see it. φ = 1 makes it a plain random walk.
 *
 * @example
 * const p = plantedMarket({ candles: 1500, phi: 0 })
 * service.train(p.market)
 * p.next() // one more closed candle
 */
export function plantedMarket(options: PlantedOptions): PlantedMarket {
  const instrument = options.instrument ?? DEFAULT_INSTRUMENTS[0]!
  const symbol = instrument.symbol
  const series = new SeriesMarket([instrument], 60, 'planted')
  const rng = createRandom(options.seed ?? 'planted')
  const start = options.start ?? Date.UTC(2024, 0, 1)
  const sigma = options.sigma ?? 0.01
  const level = instrument.initialPrice
  let x = 0
  let prev = level
  let count = 0
  const next = (): void => {
    x = options.phi * x + sigma * rng.normal()
    const close = Math.round(level * Math.exp(x) * 100) / 100
    const open = prev
    const wick = 1 + 0.002 * rng.next()
    series.put(symbol, {
      time: start + count * HOUR_MS,
      open,
      high: Math.max(open, close) * wick,
      low: Math.min(open, close) / wick,
      close,
      volume: Math.round((10 + 5 * rng.next()) * 1e4) / 1e4,
    })
    prev = close
    count++
    series.time = start + count * HOUR_MS
  }
  for (let i = 0; i < options.candles; i++) next()
  const market = series.marketData({
    advance() {},
    start() {},
    stop() {},
    lastUpdate: () => series.time,
    status: () => ({ state: 'live', reason: null }),
  })
  return {
    market,
    series,
    symbol,
    get count() {
      return count
    },
    next,
  }
}
