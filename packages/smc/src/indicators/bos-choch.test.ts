import { describe, expect, it } from 'vitest'
import { expectColumnsMatch } from '../testing/compare'
import { eurusdCandles, readVector } from '../testing/vectors'
import { candlesFromArrays, type Candles } from '../types'
import { bosChoch } from './bos-choch'
import { swingHighsLows } from './swing-highs-lows'

const cols = (r: ReturnType<typeof bosChoch>) => ({ BOS: r.bos, CHOCH: r.choch, Level: r.level, BrokenIndex: r.brokenIndex })

function randomCandles(n: number, rnd: () => number): Candles {
  const o: number[] = [], h: number[] = [], l: number[] = [], c: number[] = []
  let p = 100
  for (let i = 0; i < n; i++) {
    const open = p
    p += Math.round((rnd() - 0.5) * 8) / 4
    o.push(open)
    c.push(p)
    h.push(Math.max(open, p) + Math.round(rnd() * 4) / 4)
    l.push(Math.min(open, p) - Math.round(rnd() * 4) / 4)
  }
  return candlesFromArrays({ time: o.map((_, i) => i), open: o, high: h, low: l, close: c, volume: o.map(() => 0) })
}

describe('bosChoch', () => {
  it('matches bos_choch_result_data.csv (close_break=True) on every row', () => {
    const candles = eurusdCandles()
    const r = bosChoch(candles, swingHighsLows(candles, { swingLength: 5 }), { closeBreak: true })
    expectColumnsMatch('bos_choch', cols(r), readVector('bos_choch_result_data.csv'), { float32Columns: ['Level'] })
  })

  it('reproduces the uncleared BrokenIndex rows (e.g. row 64 = ,,,153)', () => {
    const candles = eurusdCandles()
    const r = bosChoch(candles, swingHighsLows(candles, { swingLength: 5 }))
    expect([r.bos[64], r.choch[64], r.level[64], r.brokenIndex[64]]).toEqual([NaN, NaN, NaN, 153])
    let orphans = 0
    for (let i = 0; i < r.bos.length; i++) if (Number.isNaN(r.level[i]) && !Number.isNaN(r.brokenIndex[i])) orphans++
    expect(orphans).toBe(167)
  })

  it('agrees with a literal transcription of the reference on random data (both break sources)', () => {
    let seed = 4242
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let trial = 0; trial < 200; trial++) {
      const candles = randomCandles(20 + Math.floor(rnd() * 300), rnd)
      const swings = swingHighsLows(candles, { swingLength: 1 + Math.floor(rnd() * 4) })
      for (const closeBreak of [true, false]) {
        const r = bosChoch(candles, swings, { closeBreak })
        expectColumnsMatch(`bos_choch trial ${trial} closeBreak=${closeBreak}`, cols(r), referenceBosChoch(candles, swings, closeBreak))
      }
    }
  })

  it('returns empty columns for empty input and all-NaN without four swings', () => {
    const empty = randomCandles(0, Math.random)
    const r0 = bosChoch(empty, swingHighsLows(empty, { swingLength: 5 }))
    expect(r0.bos.length).toBe(0)
    const few = randomCandles(8, () => 0.3)
    const r1 = bosChoch(few, swingHighsLows(few, { swingLength: 5 }))
    for (const col of Object.values(cols(r1))) expect([...col].every(Number.isNaN)).toBe(true)
  })

  it('parity: false clears a superseded signal entirely and never looks before the confirming swing', () => {
    const candles = eurusdCandles()
    const swings = swingHighsLows(candles, { swingLength: 5 })
    const r = bosChoch(candles, swings, { parity: false })
    const swingRows = [...swings.highLow].flatMap((v, i) => (Number.isNaN(v) ? [] : [i]))
    const ordinal = new Map(swingRows.map((row, k) => [row, k]))
    // Collect violations instead of calling expect per row (24k rows).
    const bad: string[] = []
    let signals = 0
    for (let i = 0; i < r.bos.length; i++) {
      const signal = !Number.isNaN(r.bos[i]!) || !Number.isNaN(r.choch[i]!)
      if (Number.isNaN(r.brokenIndex[i]!) !== !signal) bad.push(`row ${i}: BrokenIndex without signal`)
      if (!signal) continue
      signals++
      // Level is the exact swing level, and the break comes no earlier than the 4th swing's row.
      if (r.level[i] !== swings.level[i]) bad.push(`row ${i}: level ${r.level[i]} !== ${swings.level[i]}`)
      const k = ordinal.get(i)!
      if (!(r.brokenIndex[i]! >= swingRows[k + 2]!)) bad.push(`row ${i}: broken ${r.brokenIndex[i]} before ${swingRows[k + 2]}`)
    }
    expect(bad.slice(0, 5)).toEqual([])
    expect(signals).toBeGreaterThan(100)
  })

  it('rejects a swing frame of the wrong length', () => {
    const c = randomCandles(10, () => 0.4)
    expect(() => bosChoch(c, { highLow: new Float64Array(9), level: new Float64Array(9) })).toThrow(RangeError)
  })
})

/** smartmoneyconcepts v0.0.27 bos_choch, transcribed loop for loop (O(n²), test only). */
function referenceBosChoch(candles: Candles, swings: { highLow: Float64Array; level: Float64Array }, closeBreak: boolean) {
  const n = candles.close.length
  const bos = new Array<number>(n).fill(0)
  const choch = new Array<number>(n).fill(0)
  const level = new Array<number>(n).fill(0)
  const T: number[] = []
  const V: number[] = []
  const rows: number[] = []
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(swings.highLow[i]!)) continue
    T.push(swings.highLow[i]!)
    V.push(swings.level[i]!)
    if (T.length >= 4) {
      const [a, b, c, d] = V.slice(-4) as [number, number, number, number]
      const t = T.slice(-4).join(',')
      const p = rows[rows.length - 2]!
      if (t === '-1,1,-1,1' && a < c && c < b && b < d) (bos[p] = 1), (level[p] = Math.fround(b))
      if (t === '1,-1,1,-1' && a > c && c > b && b > d) (bos[p] = -1), (level[p] = Math.fround(b))
      if (t === '-1,1,-1,1' && d > b && b > a && a > c) (choch[p] = 1), (level[p] = Math.fround(b))
      if (t === '1,-1,1,-1' && d < b && b < a && a < c) (choch[p] = -1), (level[p] = Math.fround(b))
    }
    rows.push(i)
  }
  const broken = new Array<number>(n).fill(0)
  const signals = bos.flatMap((v, i) => (v !== 0 || choch[i] !== 0 ? [i] : []))
  for (const i of signals) {
    let j = -1
    if (bos[i] === 1 || choch[i] === 1) {
      const src = closeBreak ? candles.close : candles.high
      for (let k = i + 2; k < n && j < 0; k++) if (src[k]! > level[i]!) j = k
    } else if (bos[i] === -1 || choch[i] === -1) {
      const src = closeBreak ? candles.close : candles.low
      for (let k = i + 2; k < n && j < 0; k++) if (src[k]! < level[i]!) j = k
    }
    if (j < 0) continue
    broken[i] = j
    for (const k of signals) {
      if ((bos[k] !== 0 || choch[k] !== 0) && k < i && broken[k]! >= j) bos[k] = choch[k] = level[k] = 0
    }
  }
  for (const i of signals) if (broken[i] === 0) bos[i] = choch[i] = level[i] = 0
  const nan = (x: number) => (x !== 0 ? x : Number.NaN)
  return { BOS: bos.map(nan), CHOCH: choch.map(nan), Level: level.map(nan), BrokenIndex: broken.map(nan) }
}
