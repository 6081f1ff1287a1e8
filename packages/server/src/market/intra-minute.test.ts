import { describe, expect, it } from 'vitest'
import { buildMinutePath, partialBar, SECONDS } from './intra-minute'
import { gridOf, isOnGrid } from './precision'
import { emptyBar, type MinuteBar } from './price-walk'

const priceGrid = gridOf(0.01)
const lotGrid = gridOf(0.00001)
const bar = (open: number, high: number, low: number, close: number): MinuteBar => ({
  open,
  high,
  low,
  close,
  volume: 12.34567,
  sigma: 0.001,
})

const cases: Array<[string, MinuteBar]> = [
  ['up candle', bar(65000, 65080.5, 64990.01, 65050.25)],
  ['down candle', bar(65000, 65010, 64900, 64920.77)],
  ['open is the high', bar(65000, 65000, 64950, 64960)],
  ['open is the low', bar(65000, 65040, 65000, 65030)],
  ['close is the high', bar(65000, 65030, 64990, 65030)],
  ['flat', bar(65000, 65000, 65000, 65000)],
]

describe('buildMinutePath', () => {
  it.each(cases)('%s: starts at open, ends at close, touches exactly high and low, stays on tick', (_, b) => {
    for (let minute = 0; minute < 50; minute++) {
      const { price, volume } = buildMinutePath(b, `t:${minute}`, priceGrid, lotGrid)
      expect(price.length).toBe(SECONDS + 1)
      expect(price[0]).toBe(b.open)
      expect(price[SECONDS]).toBe(b.close)
      expect(Math.max(...price)).toBe(b.high)
      expect(Math.min(...price)).toBe(b.low)
      for (const p of price) expect(isOnGrid(p, priceGrid)).toBe(true)
      for (let s = 1; s <= SECONDS; s++) expect(volume[s]!).toBeGreaterThanOrEqual(volume[s - 1]!)
      for (const v of volume) expect(isOnGrid(v, lotGrid)).toBe(true)
      expect(volume[SECONDS]).toBe(b.volume)
    }
  })

  it('depends only on its seed', () => {
    const b = cases[0]![1]
    expect(buildMinutePath(b, 'k', priceGrid, lotGrid)).toEqual(buildMinutePath(b, 'k', priceGrid, lotGrid))
    expect(buildMinutePath(b, 'k', priceGrid, lotGrid).price).not.toEqual(
      buildMinutePath(b, 'j', priceGrid, lotGrid).price,
    )
  })
})

describe('partialBar', () => {
  it('grows into the final bar without contradicting it', () => {
    const b = cases[0]![1]
    const path = buildMinutePath(b, 'p', priceGrid, lotGrid)
    const out = emptyBar()
    let prevHigh = -Infinity
    let prevLow = Infinity
    for (let s = 0; s <= SECONDS; s++) {
      partialBar(b, path, s, out)
      expect(out.open).toBe(b.open)
      expect(out.close).toBe(path.price[s])
      expect(out.high).toBeGreaterThanOrEqual(Math.max(prevHigh, out.open, out.close))
      expect(out.low).toBeLessThanOrEqual(Math.min(prevLow, out.open, out.close))
      expect(out.high).toBeLessThanOrEqual(b.high)
      expect(out.low).toBeGreaterThanOrEqual(b.low)
      prevHigh = out.high
      prevLow = out.low
    }
    expect(out).toEqual(b)
  })
})
