import { describe, expect, it } from 'vitest'
import { expectColumnsMatch } from '../testing/compare'
import { eurusdCandles, readVector } from '../testing/vectors'
import { candlesFromArrays } from '../types'
import { swingHighsLows } from './swing-highs-lows'

function candlesFromHighLow(high: number[], low: number[]) {
  const n = high.length
  const zeros = new Array<number>(n).fill(0)
  return candlesFromArrays({
    time: high.map((_, i) => i * 60_000),
    open: low,
    high,
    low,
    close: high,
    volume: zeros,
  })
}

describe('swingHighsLows', () => {
  it('matches swing_highs_lows_result_data.csv (swing_length=5) on every row', () => {
    const r = swingHighsLows(eurusdCandles(), { swingLength: 5 })
    expectColumnsMatch('swing_highs_lows', { HighLow: r.highLow, Level: r.level }, readVector('swing_highs_lows_result_data.csv'))
  })

  it('returns empty columns for empty input', () => {
    const r = swingHighsLows(candlesFromHighLow([], []), { swingLength: 5 })
    expect(r.highLow.length).toBe(0)
    expect(r.level.length).toBe(0)
  })

  it('is all NaN when there are fewer candles than the window needs', () => {
    const high = [1, 2, 3, 9, 3, 2, 1]
    const r = swingHighsLows(candlesFromHighLow(high, high.map((h) => h - 0.5)), { swingLength: 5 })
    expect([...r.highLow].every(Number.isNaN)).toBe(true)
    expect([...r.level].every(Number.isNaN)).toBe(true)
  })

  it('ignores rows n-1 … 2n-2 (warm-up) and adds artificial endpoints in parity mode', () => {
    // n = 2: candidates are rows 3 … 6, window i-1 … i+2. Row 1 is a clear peak, but in the warm-up.
    const high = [1, 5, 2, 3, 9, 3, 2, 2, 2]
    const low = [0.5, 4.5, 1.5, 2.5, 8.5, 2.5, 1, 1.5, 1.5]
    const r = swingHighsLows(candlesFromHighLow(high, low), { swingLength: 2 })
    expect([...r.highLow]).toEqual([-1, NaN, NaN, NaN, 1, NaN, -1, NaN, 1])
    expect([...r.level]).toEqual([0.5, NaN, NaN, NaN, 9, NaN, 1, NaN, 2])
    // Without parity row 1 is a candidate (window 0 … 3) and no artificial endpoints are added;
    // row 2 is then the lowest low between the two highs.
    const clean = swingHighsLows(candlesFromHighLow(high, low), { swingLength: 2, parity: false })
    expect([...clean.highLow]).toEqual([NaN, 1, -1, NaN, 1, NaN, -1, NaN, NaN])
  })

  it('keeps the earliest of equal highs in a run, the lower-high being dropped', () => {
    // Rows 3 and 5 are both window maxima (9) with no swing low between them: row 3 survives.
    const high = [1, 1, 2, 9, 8, 9, 2, 1, 1]
    const low = [0.5, 0.5, 1.5, 8.5, 7.5, 8.5, 1.5, 0.6, 0.7]
    const r = swingHighsLows(candlesFromHighLow(high, low), { swingLength: 2 })
    expect([...r.highLow]).toEqual([-1, NaN, NaN, 1, NaN, NaN, NaN, NaN, -1])
  })

  it('agrees with a literal transcription of the reference algorithm on random data', () => {
    let seed = 99
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rnd() * 80)
      const w = 1 + Math.floor(rnd() * 6)
      const high: number[] = []
      const low: number[] = []
      let p = 10
      for (let i = 0; i < n; i++) {
        p += Math.round((rnd() - 0.5) * 4) / 2 // coarse steps: many ties
        high.push(p + Math.round(rnd() * 2) / 2)
        low.push(p - Math.round(rnd() * 2) / 2)
      }
      const r = swingHighsLows(candlesFromHighLow(high, low), { swingLength: w })
      const ref = referenceSwings(high, low, w)
      expectColumnsMatch(`swings trial ${trial}`, { HighLow: r.highLow, Level: r.level }, ref)
    }
  })

  it('rejects a non-positive swing length', () => {
    expect(() => swingHighsLows(candlesFromHighLow([1], [1]), { swingLength: 0 })).toThrow(RangeError)
  })
})

/** smartmoneyconcepts v0.0.27 swing_highs_lows, transcribed loop for loop (O(n²), test only). */
function referenceSwings(high: number[], low: number[], w: number): { HighLow: number[]; Level: number[] } {
  const n = high.length
  const hl = new Array<number>(n).fill(Number.NaN)
  // rolling(2w) over shift(-w): NaN unless the whole window exists; first 2w-1 values NaN.
  for (let i = 0; i < n; i++) {
    if (i < 2 * w - 1 || i + w > n - 1) continue
    const hs = high.slice(i - w + 1, i + w + 1)
    const ls = low.slice(i - w + 1, i + w + 1)
    if (high[i] === Math.max(...hs)) hl[i] = 1
    else if (low[i] === Math.min(...ls)) hl[i] = -1
  }
  for (;;) {
    const pos = hl.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]))
    if (pos.length < 2) break
    const remove = new Array<boolean>(pos.length).fill(false)
    for (let k = 0; k + 1 < pos.length; k++) {
      const a = pos[k]!
      const b = pos[k + 1]!
      if (hl[a] === 1 && hl[b] === 1) {
        if (high[a]! < high[b]!) remove[k] = true
        else remove[k + 1] = true
      }
      if (hl[a] === -1 && hl[b] === -1) {
        if (low[a]! > low[b]!) remove[k] = true
        else remove[k + 1] = true
      }
    }
    if (!remove.some(Boolean)) break
    pos.forEach((p, k) => {
      if (remove[k]) hl[p] = Number.NaN
    })
  }
  const pos = hl.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]))
  if (pos.length > 0) {
    hl[0] = -hl[pos[0]!]!
    hl[n - 1] = -hl[pos[pos.length - 1]!]!
  }
  return { HighLow: hl, Level: hl.map((v, i) => (v === 1 ? high[i]! : v === -1 ? low[i]! : Number.NaN)) }
}
