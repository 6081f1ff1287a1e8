import { describe, expect, it } from 'vitest'
import { expectColumnsMatch } from '../testing/compare'
import { eurusdCandles, readVector } from '../testing/vectors'
import { candlesFromArrays } from '../types'
import { fvg } from './fvg'

const cols = (r: ReturnType<typeof fvg>) => ({
  FVG: r.fvg,
  Top: r.top,
  Bottom: r.bottom,
  MitigatedIndex: r.mitigatedIndex,
})

/** Candles from [open, high, low, close] rows; time and volume are irrelevant to fvg. */
function ohlc(rows: [number, number, number, number][]) {
  return candlesFromArrays({
    time: rows.map((_, i) => i * 60_000),
    open: rows.map((r) => r[0]),
    high: rows.map((r) => r[1]),
    low: rows.map((r) => r[2]),
    close: rows.map((r) => r[3]),
    volume: rows.map(() => 0),
  })
}

describe('fvg parity with smartmoneyconcepts 0.0.27 (EURUSD)', () => {
  it('join_consecutive=False matches fvg_result_data.csv', () => {
    expectColumnsMatch('fvg', cols(fvg(eurusdCandles())), readVector('fvg_result_data.csv'))
  })
  it('join_consecutive=True matches fvg_consecutive_result_data.csv', () => {
    expectColumnsMatch(
      'fvg_consecutive',
      cols(fvg(eurusdCandles(), { joinConsecutive: true })),
      readVector('fvg_consecutive_result_data.csv'),
    )
  })
})

describe('fvg edge cases', () => {
  it('detects a bullish gap, mitigates on touch (<=) from i+2, first and last rows never gap', () => {
    const r = fvg(
      ohlc([
        [1, 2, 0.5, 1.5], // 0: high 2
        [2, 4, 1.9, 3.9], // 1: up candle, gap between high[0]=2 and low[2]=3
        [3.9, 5, 3, 4.5], // 2
        [4.5, 6, 3.5, 5], // 3: low 3.5 > top 3
        [5, 5.5, 3, 3.2], // 4: low 3 == top 3 -> mitigated (inclusive)
      ]),
    )
    expect(Array.from(r.fvg)).toEqual([NaN, 1, NaN, NaN, NaN])
    expect(r.top[1]).toBe(3)
    expect(r.bottom[1]).toBe(2)
    expect(r.mitigatedIndex[1]).toBe(4)
    expect(Number.isNaN(r.mitigatedIndex[0])).toBe(true)
  })

  it('a doji never qualifies, and inequalities are strict', () => {
    const r = fvg(
      ohlc([
        [1, 2, 0.5, 1.5],
        [2, 4, 1.9, 2], // doji
        [3, 5, 3, 4.5],
        [4.5, 5, 2, 4.8], // up candle, but high[2]=5 == low[4]=5: not a gap
        [4.8, 6, 5, 5.5],
      ]),
    )
    expect(r.fvg.every((v) => Number.isNaN(v))).toBe(true)
  })

  it('bearish gap never mitigated: 0 in parity mode, NaN with parity: false', () => {
    const rows: [number, number, number, number][] = [
      [10, 11, 9, 10],
      [9, 9.5, 7, 7.2], // down candle: low[0]=9 > high[2]=8
      [7.2, 8, 6, 6.5],
      [6.5, 7, 5, 5.5],
      [5.5, 6, 4, 4.5],
    ]
    const r = fvg(ohlc(rows))
    expect(r.fvg[1]).toBe(-1)
    expect(r.top[1]).toBe(9)
    expect(r.bottom[1]).toBe(8)
    expect(r.mitigatedIndex[1]).toBe(0)
    expect(Number.isNaN(fvg(ohlc(rows), { parity: false }).mitigatedIndex[1])).toBe(true)
  })

  it('a gap on row n-2 has nothing to search and is never mitigated', () => {
    const r = fvg(ohlc([[1, 2, 0.5, 1.5], [2, 4, 1.9, 3.9], [3.9, 5, 3, 4.5]]))
    expect(r.fvg[1]).toBe(1)
    expect(r.mitigatedIndex[1]).toBe(0)
  })

  it('joinConsecutive collapses a run onto its last row with the widest edges', () => {
    const rows: [number, number, number, number][] = [
      [1, 2, 0.5, 1.5], // 0
      [2, 4, 1.9, 3.9], // 1: bull gap 2..3
      [3.9, 5, 3, 4.8], // 2: bull gap 4..4.5
      [4.8, 6, 4.5, 5.9], // 3: bull gap 5..5.5? low[4]=5.5 > high[2]=5 -> yes
      [5.9, 7, 5.5, 6.5], // 4
    ]
    const plain = fvg(ohlc(rows))
    expect(Array.from(plain.fvg)).toEqual([NaN, 1, 1, 1, NaN])
    const j = fvg(ohlc(rows), { joinConsecutive: true })
    expect(Array.from(j.fvg)).toEqual([NaN, NaN, NaN, 1, NaN])
    expect(j.top[3]).toBe(5.5)
    expect(j.bottom[3]).toBe(2)
  })

  it('handles empty and tiny inputs', () => {
    expect(fvg(ohlc([])).fvg.length).toBe(0)
    expect(Number.isNaN(fvg(ohlc([[1, 2, 0, 1.5]])).fvg[0])).toBe(true)
    expect(fvg(ohlc([[1, 2, 0, 1.5], [1, 2, 0, 1.5]])).fvg.length).toBe(2)
  })

  it('matches a brute-force reference on random data', () => {
    let seed = 7
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let trial = 0; trial < 20; trial++) {
      const rows: [number, number, number, number][] = []
      let p = 100
      for (let i = 0; i < 300; i++) {
        const o = p
        const c = Math.round((o + (rnd() - 0.5) * 4) * 4) / 4
        const h = Math.max(o, c) + Math.round(rnd() * 4) / 4
        const l = Math.min(o, c) - Math.round(rnd() * 4) / 4
        rows.push([o, h, l, c])
        p = c
      }
      for (const joinConsecutive of [false, true]) {
        const r = fvg(ohlc(rows), { joinConsecutive })
        for (let i = 0; i < rows.length; i++) {
          if (Number.isNaN(r.fvg[i])) {
            expect(Number.isNaN(r.mitigatedIndex[i])).toBe(true)
            continue
          }
          let want = 0
          for (let j = i + 2; j < rows.length; j++) {
            if (r.fvg[i] === 1 ? rows[j]![2] <= r.top[i]! : rows[j]![1] >= r.bottom[i]!) {
              want = j
              break
            }
          }
          expect(r.mitigatedIndex[i]).toBe(want)
        }
      }
    }
  })
})
