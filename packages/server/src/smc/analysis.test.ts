import { candlesFromArrays, type Candles } from '@smc-trading/smc'
import { describe, expect, it } from 'vitest'
import { analyzeSmc } from './analysis'

const T0 = Date.UTC(2024, 0, 1)
const at = (row: number) => new Date(T0 + row * 900_000).toISOString()

// [open, high, low, close, volume], 15m candles. With swing length 2 the swings are: lows 3 (89),
// 11 (94), 18 (110.5), 22 (113.5); highs 7 (110), 16 (120), 20 (119.8), 23 (122).
const BARS: number[][] = [
  [100, 100.5, 98.5, 99, 10], [99, 99.5, 96.5, 97, 10], [97, 97.5, 94.5, 95, 10], [95, 95.5, 89, 92, 10],
  [92, 96.5, 91.5, 96, 10], [96, 100.5, 95.5, 100, 10], [100, 104.5, 99.5, 104, 10], [104, 110, 103.5, 107, 10],
  [107, 107.5, 103.5, 104, 10], [104, 104.5, 100.5, 101, 10], [101, 101.5, 97.5, 98, 10], [98, 98.5, 94, 96, 30],
  [96, 100.5, 95.5, 100, 10], [100, 103, 99.5, 102.5, 10], [102.5, 109, 102, 108.5, 40], [108.5, 115, 105, 114, 20],
  [114, 120, 113.5, 119, 10], [119, 119.5, 113.5, 115, 10], [115, 115.5, 110.5, 112, 10], [112, 115.5, 111.5, 115, 10],
  [115, 119.8, 114.5, 118, 10], [118, 118.5, 114.5, 116, 10], [116, 116.5, 113.5, 115, 10], [115, 122, 114.5, 121, 50],
  [121, 121.5, 118.5, 119, 10], [119, 119.5, 117.5, 118, 10],
]

function candles(bars: number[][], map: (b: number[]) => number[] = (b) => b): Candles {
  const rows = bars.map(map)
  return candlesFromArrays({
    time: rows.map((_, i) => T0 + i * 900_000),
    open: rows.map((b) => b[0]!),
    high: rows.map((b) => b[1]!),
    low: rows.map((b) => b[2]!),
    close: rows.map((b) => b[3]!),
    volume: rows.map((b) => b[4]!),
  })
}

// Total volume 360 over 26 candles: mean 13.846…
const MEAN_VOLUME = 360 / 26

describe('analyzeSmc', () => {
  it('derives trend, order blocks, the latest BOS/CHOCH, the latest open FVG and sweeps as documented', () => {
    const a = analyzeSmc(candles(BARS), { swingLength: 2, priceDecimals: 2 })
    // Lows 89, 94 and highs 110, 120 form a bullish BOS on 110 (broken by the close of 16); lows
    // 110.5, 113.5 and highs 119.8, 122 another one on 119.8, broken by candle 23's close 121.
    expect(a.trend).toBe('bullish')
    expect(a.choch_bos).toEqual({ confirmed: true, price_level: 119.8, direction: 'bullish', type: 'bos' })
    // Close 114 (candle 15) breaks swing high 110: the lowest low between is candle 11; close 121
    // (23) breaks 119.8: candle 22. Neither has been traded through. OBVolume = 3 candles ending
    // at the breakout (20 + 40 + 10 and 50 + 10 + 10 = 70); Percentage = 10 / 60.
    const ratio = Number((70 / 3 / MEAN_VOLUME).toFixed(4))
    expect(ratio).toBe(1.6852)
    expect(a.order_blocks).toEqual([
      { price_level: [113.5, 116.5], type: 'bullish', strength: 0.1667, volume_ratio: ratio, timestamp: at(22) },
      { price_level: [94, 98.5], type: 'bullish', strength: 0.1667, volume_ratio: ratio, timestamp: at(11) },
    ])
    // Candle 14 leaves high[13] = 103 < low[15] = 105; no later low reaches 105. The later gap on
    // candle 23 (116.5 … 118.5) was filled by candle 25's low 117.5.
    expect(a.fvg).toEqual({ detected: true, top: 105, bottom: 103, direction: 'bullish' })
    // Highs 120 (16) and 119.8 (20) are within pip = (122 − 89) × 1% = 0.33: a pool at their mean,
    // swept by candle 23 (high 122 ≥ 120 + 0.33), whose volume is 50.
    expect(a.liquidity_sweeps).toEqual([{ price: 119.9, volume: 50, timestamp: at(23), side: 'buy' }])
  })

  it('reports a pattern as unconfirmed until a candle closes beyond its level; trend keeps the last confirmed break', () => {
    // Candle 23 only wicks above 119.8 (close 119.5): the second BOS is pending and no OB forms on it.
    const bars = BARS.map((b, i) => (i === 23 ? [115, 122, 114.5, 119.5, 50] : b))
    const a = analyzeSmc(candles(bars), { swingLength: 2, priceDecimals: 2 })
    expect(a.choch_bos).toEqual({ confirmed: false, price_level: 119.8, direction: 'bullish', type: 'bos' })
    expect(a.trend).toBe('bullish') // the BOS on 110, broken at candle 16
    expect(a.order_blocks.map((o) => o.timestamp)).toEqual([at(11)])
    expect(a.liquidity_sweeps).toHaveLength(1)
  })

  it('mirrors to bearish on the mirrored series', () => {
    // Price p → 240 − p: highs become lows and vice versa.
    const a = analyzeSmc(candles(BARS, ([o, h, l, c, v]) => [240 - o!, 240 - l!, 240 - h!, 240 - c!, v!]), { swingLength: 2, priceDecimals: 2 })
    expect(a.trend).toBe('bearish')
    expect(a.choch_bos).toEqual({ confirmed: true, price_level: 120.2, direction: 'bearish', type: 'bos' })
    expect(a.order_blocks.map((o) => [o.type, o.price_level])).toEqual([
      ['bearish', [123.5, 126.5]],
      ['bearish', [141.5, 146]],
    ])
    expect(a.fvg).toEqual({ detected: true, top: 137, bottom: 135, direction: 'bearish' })
    expect(a.liquidity_sweeps).toEqual([{ price: 120.1, volume: 50, timestamp: at(23), side: 'sell' }])
  })

  it('without volume: volume_ratio and strength are 0', () => {
    const a = analyzeSmc(candles(BARS, (b) => [...b.slice(0, 4), 0]), { swingLength: 2, priceDecimals: 2 })
    expect(a.order_blocks).toHaveLength(2)
    for (const o of a.order_blocks) expect([o.strength, o.volume_ratio]).toEqual([0, 0])
  })

  it('caps the lists and handles series too short for any swing', () => {
    expect(analyzeSmc(candles(BARS), { swingLength: 2, priceDecimals: 2, maxItems: 1 }).order_blocks).toHaveLength(1)
    const empty = { trend: 'neutral', order_blocks: [], choch_bos: { confirmed: false, price_level: null, direction: null, type: null }, liquidity_sweeps: [] }
    expect(analyzeSmc(candles([]), { swingLength: 2, priceDecimals: 2 })).toEqual({ ...empty, fvg: { detected: false, top: null, bottom: null, direction: null } })
    // Four rising candles: bullish gaps on candles 1 and 2, no swings with a swing length of 2.
    const few = analyzeSmc(candles(BARS.slice(4, 8)), { swingLength: 2, priceDecimals: 2 })
    expect(few).toMatchObject(empty)
    expect(few.fvg.detected).toBe(true)
  })

  it('rounds pool levels to the price precision', () => {
    const bars = BARS.map((b, i) => (i === 20 ? [115, 119.83, 114.5, 118, 10] : b))
    expect(analyzeSmc(candles(bars), { swingLength: 2, priceDecimals: 1 }).liquidity_sweeps[0]!.price).toBe(119.9) // 119.915
    expect(analyzeSmc(candles(bars), { swingLength: 2, priceDecimals: 3 }).liquidity_sweeps[0]!.price).toBe(119.915)
  })
})
