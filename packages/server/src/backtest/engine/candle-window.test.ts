import { describe, expect, it } from 'vitest'
import { CandleWindow, DecisionContext } from './candle-window'

const cols = () => {
  const col = (k: number) => Float64Array.from({ length: 10 }, (_, i) => k * 100 + i)
  return { time: col(1), open: col(2), high: col(3), low: col(4), close: col(5), volume: col(6) }
}

describe('CandleWindow', () => {
  it('shows the first n rows of every column and nothing after them', () => {
    const all = cols()
    const w = new CandleWindow(all, 4)
    for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(w[k].length).toBe(4)
      expect([...w[k]]).toEqual([...all[k].subarray(0, 4)])
      expect(w[k][4]).toBeUndefined()
    }
  })

  it('over columns that are views themselves (an offset into a larger buffer), the same rows', () => {
    const big = cols()
    const all = Object.fromEntries(Object.entries(big).map(([k, a]) => [k, a.subarray(3, 9)])) as ReturnType<typeof cols>
    const w = new CandleWindow(all, 4)
    for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect([...w[k]]).toEqual([...big[k].subarray(3, 7)])
      expect(w[k][4]).toBeUndefined()
    }
  })

  it('makes a column view once, when first read, over the same memory', () => {
    const all = cols()
    const w = new CandleWindow(all, 3)
    expect(w.close).toBe(w.close)
    expect(w.close.buffer).toBe(all.close.buffer)
  })
})

describe('DecisionContext', () => {
  it('carries the candle, its index and the account; its window is the closed candles up to the index, made once per candle', () => {
    const all = cols()
    const candle = { time: 103, open: 203, high: 303, low: 403, close: 503, volume: 603 }
    const account = { equity: 1, available: 1, position: null }
    const ctx = new DecisionContext(all, candle, account).at(3)
    expect([ctx.index, ctx.candle, ctx.account]).toEqual([3, candle, account])
    expect(ctx.candles).toBe(ctx.candles)
    expect([...ctx.candles.close]).toEqual([500, 501, 502, 503])
    expect(ctx.candles.close[ctx.index]).toBe(ctx.candle.close)
    expect(Object.keys(ctx)).not.toContain('all')
    // Moved to the next candle: a new window, one row longer.
    const before = ctx.candles
    expect(ctx.at(4)).toBe(ctx)
    expect(ctx.candles).not.toBe(before)
    expect([...ctx.candles.close]).toEqual([500, 501, 502, 503, 504])
  })
})
