import { describe, expect, it } from 'vitest'
import { DEFAULT_INSTRUMENTS } from './instruments'
import { SeriesMarket } from './series-market'

const BTC = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!
const T0 = Date.UTC(2024, 0, 1)
const MIN = 60_000

function filled(keep?: number, n = 1000): SeriesMarket {
  const m = new SeriesMarket([BTC], 1, 'seed')
  if (keep !== undefined) m.keepHistory(keep)
  for (let k = 0; k < n; k++) {
    const p = 30_000 + k
    m.put('BTCUSDT', { time: T0 + k * MIN, open: p, high: p + 5, low: p - 5, close: p + 1, volume: 1 + k })
  }
  m.time = T0 + n * MIN - 1
  return m
}

const data = (m: SeriesMarket) =>
  m.marketData({ advance() {}, start() {}, stop() {}, lastUpdate: () => m.time, status: () => ({ state: 'live', reason: null }) })

describe('SeriesMarket.keepHistory', () => {
  it('keeps between `rows` and twice as many of the latest candles; the latest candles and the price are those of the full history', () => {
    const all = filled()
    const kept = filled(64)
    const candles = data(kept).candleColumns('BTCUSDT', '1m', { limit: 1000 })
    expect(candles.time.length).toBeGreaterThanOrEqual(64)
    expect(candles.time.length).toBeLessThan(128)
    // The latest candles are the same rows as in the full history.
    const full = data(all).candleColumns('BTCUSDT', '1m', { limit: candles.time.length })
    expect([...candles.time]).toEqual([...full.time])
    expect([...candles.close]).toEqual([...full.close])
    expect(kept.price('BTCUSDT')).toBe(all.price('BTCUSDT'))
    expect(data(kept).candleColumns('BTCUSDT', '1m', { limit: 1 }).time[0]).toBe(T0 + 999 * MIN)
  })

  it('without it, every candle stays', () => {
    expect(data(filled()).candleColumns('BTCUSDT', '1m', { limit: 5000 }).time).toHaveLength(1000)
  })
})
