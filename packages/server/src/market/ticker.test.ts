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
