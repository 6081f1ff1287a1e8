import { describe, expect, it } from 'vitest'
import { createRandom } from '../core'
import { CandleSeries } from './candle-series'
import { gridOf } from './precision'
import { computeTicker, type TickerCache } from './ticker'

describe('computeTicker with a cache of the rows before the forming one', () => {
  it('gives the same ticker as the full 24 h loop while the last row is rewritten and rows are appended', () => {
    const r = createRandom('ticker-cache')
    const series = new CandleSeries(1_000_000, 16, 1)
    const grid = gridOf(0.0001)
    const cache: TickerCache = {}
    let price = 100
    for (let row = 0; row < 3000; row++) {
      const open = price
      let high = open
      let low = open
      series.push(open, open, open, open, 0)
      // A few ticks rewrite the forming row, each checked against the uncached loop.
      for (let t = 0; t < 3; t++) {
        price = Math.round(price * (1 + 0.002 * r.normal()) * 100) / 100
        high = Math.max(high, price)
        low = Math.min(low, price)
        series.write(series.length - 1, open, high, low, price, Math.round(r.next() * 1e4) / 1e4)
        const touch = { bid: price - 0.01, ask: price + 0.01 }
        expect(computeTicker('X', series, grid, touch, row, cache)).toEqual(computeTicker('X', series, grid, touch, row))
      }
    }
  })
})

describe('computeTicker over a window of rows', () => {
  it('covers only the last windowRows rows: 1 gives the forming candle’s own figures', () => {
    const series = new CandleSeries(1_000_000, 16, 1)
    series.push(100, 120, 90, 110, 2)
    series.push(110, 112, 105, 111, 3)
    const touch = { bid: 110.99, ask: 111.01 }
    const one = computeTicker('X', series, gridOf(0.0001), touch, 0, {}, 1)
    expect(one).toMatchObject({ price: 111, open_24h: 110, high_24h: 112, low_24h: 105, volume_24h: 3, change_24h: (1 / 110) * 100 })
    expect(one.quote_volume_24h).toBe(Math.round(((3 * (112 + 105 + 111)) / 3) * 100) / 100)
    const day = computeTicker('X', series, gridOf(0.0001), touch, 0)
    expect(day).toMatchObject({ open_24h: 100, high_24h: 120, low_24h: 90, volume_24h: 5 })
  })
})
