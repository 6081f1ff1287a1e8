// Test-only: the planted scanner market (one volume-surge breakout among calm symbols), shared by
// the scanner's unit tests and the scanner API test.
import { SeriesMarket, type Instrument, type MarketData } from '../../market'

export const STEP = 15 * 60_000
export const T0 = Date.parse('2026-01-01T00:00:00Z')
export const N = 320

const instrument = (symbol: string): Instrument => ({
  symbol,
  baseAsset: symbol.replace('USDT', ''),
  quoteAsset: 'USDT',
  tickSize: 0.01,
  lotSize: 0.001,
  minQuantity: 0.001,
  minNotional: 5,
  pricePrecision: 2,
  quantityPrecision: 3,
  initialPrice: 100,
  annualVolatility: 0.5,
})

const r2 = (x: number): number => Math.round(x * 100) / 100
/** A small deterministic wobble (no randomness: the test's figures are exact). */
const wobble = (i: number, k: number): number => ((i * 7919 + k * 104729) % 97) / 97 - 0.5

/**
 * A ranging market on 15-minute candles: closes follow 102 + a·sin(2πi/24), so every 24 candles
 * the highs top out at the same price (a resistance of about a dozen swing highs) and the lows
 * bottom out at the same price (a support). Candles open at the previous close; high/low 0.1 beyond.
 */
function ranging(market: SeriesMarket, symbol: string, amplitude: number, k: number, last?: { close: number; volume: number }, pad = 0.1): void {
  let prev = 102
  for (let i = 0; i < N; i++) {
    const isLast = i === N - 1 && last
    const close = isLast ? last.close : r2(102 + amplitude * Math.sin((2 * Math.PI * i) / 24))
    const volume = isLast ? last.volume : 1000 + 50 * wobble(i, k)
    market.put(symbol, { time: T0 + i * STEP, open: prev, high: r2(Math.max(prev, close) + pad), low: r2(Math.min(prev, close) - pad), close, volume })
    prev = close
  }
}

/**
 * The planted market: candle N−2 of every ranging symbol is at the top of its wave (close 104,
 * high 104.1 = the resistance). On the last closed candle (N−1):
 * - BRKUSDT closes at 105 (above the resistance, 0.9 past it) on 5× the average volume;
 * - NEARUSDT closes at 103.9 (0.19 % under the resistance) on 2× the average volume;
 * - CALMUSDT keeps ranging on ordinary volume;
 * - FLATUSDT barely moves (ATR ≈ 0.02 % of price) on ordinary volume.
 * The market's time is 5 minutes into candle N, which is forming.
 */
export function plantedMarket(): { core: SeriesMarket; market: MarketData } {
  const symbols = ['CALMUSDT', 'BRKUSDT', 'FLATUSDT', 'NEARUSDT']
  const core = new SeriesMarket(symbols.map(instrument), 15, 'planted')
  // Phase: i = N−2 at the top of the wave (sin = 1): (N−2) mod 24 = 6.
  if ((N - 2) % 24 !== 6) throw new Error('the planted candle must sit at the top of the wave')
  ranging(core, 'CALMUSDT', 2, 1)
  ranging(core, 'BRKUSDT', 2, 2, { close: 105, volume: 5000 })
  ranging(core, 'FLATUSDT', 0.01, 3, undefined, 0.01)
  ranging(core, 'NEARUSDT', 2, 4, { close: 103.9, volume: 2000 })
  for (const s of symbols) core.put(s, { time: T0 + N * STEP, open: core.price(s), high: core.price(s), low: core.price(s), close: core.price(s), volume: 1 })
  core.time = T0 + N * STEP + 5 * 60_000
  const driver = { advance() {}, start() {}, stop() {}, lastUpdate: () => core.time, status: () => ({ state: 'live' as const, reason: null }) }
  return { core, market: core.marketData(driver) }
}

