import { describe, expect, it } from 'vitest'
import { expectColumnsMatch } from '../testing/compare'
import { eurusdCandles, readVector } from '../testing/vectors'
import { candlesFromArrays, type Candles } from '../types'
import { liquidity } from './liquidity'
import { swingHighsLows } from './swing-highs-lows'

const F32 = ['Liquidity', 'Level', 'End', 'Swept']
const cols = (r: ReturnType<typeof liquidity>) => ({ Liquidity: r.liquidity, Level: r.level, End: r.end, Swept: r.swept })

function randomCandles(n: number, rnd: () => number): Candles {
  const o: number[] = [], h: number[] = [], l: number[] = [], c: number[] = []
  let p = 100
  for (let i = 0; i < n; i++) {
    const open = p
    p += Math.round((rnd() - 0.5) * 8) / 4 + 0.01 * (rnd() - 0.5)
    o.push(open)
    c.push(p)
    h.push(Math.max(open, p) + Math.round(rnd() * 4) / 4)
    l.push(Math.min(open, p) - Math.round(rnd() * 4) / 4)
  }
  return candlesFromArrays({ time: o.map((_, i) => i), open: o, high: h, low: l, close: c, volume: o.map(() => 0) })
}

describe('liquidity', () => {
  it('matches liquidity_result_data.csv (range_percent=0.01) on every row', () => {
    const candles = eurusdCandles()
    const r = liquidity(candles, swingHighsLows(candles, { swingLength: 5 }), { rangePercent: 0.01 })
    expectColumnsMatch('liquidity', cols(r), readVector('liquidity_result_data.csv'), { float32Columns: F32 })
  })

  it('agrees with a literal transcription of the reference on random data', () => {
    let seed = 2024
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    let unswept = 0
    for (let trial = 0; trial < 200; trial++) {
      const candles = randomCandles(10 + Math.floor(rnd() * 300), rnd)
      const swings = swingHighsLows(candles, { swingLength: 1 + Math.floor(rnd() * 4) })
      const rangePercent = [0.005, 0.01, 0.03, 0.1][trial % 4]!
      const r = liquidity(candles, swings, { rangePercent })
      const ref = referenceLiquidity(candles, swings, rangePercent)
      expectColumnsMatch(`liquidity trial ${trial} rangePercent=${rangePercent}`, cols(r), ref, { float32Columns: F32 })
      unswept += ref.Swept.filter((v) => v === 0).length
    }
    expect(unswept).toBeGreaterThan(0)
  })

  it('returns empty columns for empty input and all NaN without swings', () => {
    const empty = randomCandles(0, Math.random)
    expect(liquidity(empty, swingHighsLows(empty, { swingLength: 5 })).level.length).toBe(0)
    const few = randomCandles(7, () => 0.2)
    const r = liquidity(few, swingHighsLows(few, { swingLength: 5 }))
    for (const col of Object.values(cols(r))) expect([...col].every(Number.isNaN)).toBe(true)
  })

  it('parity: false gives NaN for never-swept pools and exact float64 levels', () => {
    const candles = eurusdCandles()
    const swings = swingHighsLows(candles, { swingLength: 5 })
    const p = liquidity(candles, swings)
    const c = liquidity(candles, swings, { parity: false })
    let never = 0
    for (let i = 0; i < p.swept.length; i++) {
      if (Number.isNaN(p.liquidity[i]!)) continue
      if (p.swept[i] === 0) {
        never++
        expect(c.swept[i]).toBeNaN()
      }
      expect(Math.fround(c.level[i]!)).toBe(p.level[i])
    }
    expect(never).toBeGreaterThan(0)
  })
})

/** smartmoneyconcepts v0.0.27 liquidity, transcribed from the described loops (test only). */
function referenceLiquidity(candles: Candles, swings: { highLow: Float64Array; level: Float64Array }, rangePercent: number) {
  const { high: H, low: L } = candles
  const n = H.length
  const pip = (Math.max(...H) - Math.min(...L)) * rangePercent
  const HL = [...swings.highLow]
  const out = { Liquidity: new Array<number>(n).fill(NaN), Level: new Array<number>(n).fill(NaN), End: new Array<number>(n).fill(NaN), Swept: new Array<number>(n).fill(NaN) }
  for (const side of [1, -1]) {
    const cand = HL.flatMap((v, i) => (v === side ? [i] : []))
    for (const i of cand) {
      if (HL[i] !== side) continue
      const lvl = swings.level[i]!
      const lo = lvl - pip
      const hi = lvl + pip
      let swept = 0
      for (let c = i + 1; c < n; c++) {
        if (side === 1 ? H[c]! >= hi : L[c]! <= lo) {
          swept = c
          break
        }
      }
      const group = [lvl]
      let end = i
      for (const j of cand) {
        if (j <= i) continue
        if (swept !== 0 && j >= swept) break
        if (HL[j] === side && lo <= swings.level[j]! && swings.level[j]! <= hi) {
          group.push(swings.level[j]!)
          end = j
          HL[j] = 0
        }
      }
      if (group.length >= 2) {
        out.Liquidity[i] = side
        out.Level[i] = Math.fround(group.reduce((s, v) => s + v, 0) / group.length)
        out.End[i] = end
        out.Swept[i] = swept
      }
    }
  }
  return out
}
