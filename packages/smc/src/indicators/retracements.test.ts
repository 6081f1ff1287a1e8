import { describe, expect, it } from 'vitest'
import { expectColumnsMatch } from '../testing/compare'
import { eurusdCandles, readVector } from '../testing/vectors'
import { candlesFromArrays, type Candles } from '../types'
import { retracements } from './retracements'
import { swingHighsLows } from './swing-highs-lows'

const cols = (r: ReturnType<typeof retracements>) => ({
  Direction: r.direction,
  'CurrentRetracement%': r.currentRetracement,
  'DeepestRetracement%': r.deepestRetracement,
})

function randomCandles(n: number, rnd: () => number): Candles {
  const o: number[] = [], h: number[] = [], l: number[] = [], c: number[] = []
  let p = 1.1
  for (let i = 0; i < n; i++) {
    const open = p
    p += (rnd() - 0.5) * 0.004
    o.push(open)
    c.push(p)
    h.push(Math.max(open, p) + rnd() * 0.001)
    l.push(Math.min(open, p) - rnd() * 0.001)
  }
  return candlesFromArrays({ time: o.map((_, i) => i), open: o, high: h, low: l, close: c, volume: o.map(() => 0) })
}

describe('retracements', () => {
  it('matches retracements_result_data.csv on every row', () => {
    const candles = eurusdCandles()
    const r = retracements(candles, swingHighsLows(candles, { swingLength: 5 }))
    expectColumnsMatch('retracements', cols(r), readVector('retracements_result_data.csv'))
  })

  it('agrees with a literal transcription of the reference on random data', () => {
    let seed = 31337
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let trial = 0; trial < 200; trial++) {
      const candles = randomCandles(1 + Math.floor(rnd() * 300), rnd)
      const swings = swingHighsLows(candles, { swingLength: 1 + Math.floor(rnd() * 4) })
      expectColumnsMatch(`retracements trial ${trial}`, cols(retracements(candles, swings)), referenceRetracements(candles, swings))
    }
  })

  it('is all zeros for empty input, and without swings', () => {
    const empty = randomCandles(0, Math.random)
    expect(retracements(empty, swingHighsLows(empty, { swingLength: 5 })).direction.length).toBe(0)
    const few = randomCandles(9, () => 0.6)
    const r = retracements(few, swingHighsLows(few, { swingLength: 5 }))
    for (const col of Object.values(cols(r))) expect([...col].every((v) => v === 0)).toBe(true)
  })

  it('never produces NaN on real data and keeps deepest ≥ current', () => {
    const candles = eurusdCandles()
    const r = retracements(candles, swingHighsLows(candles, { swingLength: 5 }))
    let bad = 0
    for (let i = 0; i < r.direction.length; i++) {
      if (Number.isNaN(r.currentRetracement[i]!) || Number.isNaN(r.deepestRetracement[i]!)) bad++
      if (r.deepestRetracement[i]! < r.currentRetracement[i]!) bad++
    }
    expect(bad).toBe(0)
  })
})

/** smartmoneyconcepts v0.0.27 retracements, transcribed (Python negative indexing included). */
function referenceRetracements(candles: Candles, swings: { highLow: Float64Array; level: Float64Array }) {
  const n = candles.close.length
  const at = <T>(a: T[], i: number) => a[i < 0 ? a.length + i : i]!
  const pyRound1 = (x: number) => {
    let r = Number(x.toFixed(1))
    if (Number.isInteger(x * 4) && !Number.isInteger(x * 2)) {
      const lo = Math.floor(x * 10)
      r = (lo % 2 === 0 ? lo : lo + 1) / 10
    }
    return r === 0 && x < 0 ? -0 : r
  }
  const pyMax = (a: number, b: number) => (b > a ? b : a)
  const dir = new Array<number>(n).fill(0)
  const cur = new Array<number>(n).fill(0)
  const deep = new Array<number>(n).fill(0)
  let top = 0
  let bottom = 0
  for (let i = 0; i < n; i++) {
    if (swings.highLow[i] === 1) (dir[i] = 1), (top = swings.level[i]!)
    else if (swings.highLow[i] === -1) (dir[i] = -1), (bottom = swings.level[i]!)
    else dir[i] = i > 0 ? dir[i - 1]! : 0
    if (at(dir, i - 1) === 1) {
      cur[i] = top === bottom ? 0 : pyRound1(100 - ((candles.low[i]! - bottom) / (top - bottom)) * 100)
      deep[i] = pyMax(i > 0 && dir[i - 1] === 1 ? deep[i - 1]! : 0, cur[i]!)
    }
    if (dir[i] === -1) {
      cur[i] = bottom === top ? 0 : pyRound1(100 - ((candles.high[i]! - top) / (bottom - top)) * 100)
      deep[i] = pyMax(i > 0 && dir[i - 1] === -1 ? deep[i - 1]! : 0, cur[i]!)
    }
  }
  const roll = (a: number[]) => a.map((_, k) => at(a, k - 1))
  const D = roll(dir)
  const C = roll(cur)
  const P = roll(deep)
  let count = 0
  for (let i = 0; i < n; i++) {
    if (i + 1 === n) break
    if (D[i] !== D[i + 1]) count++
    D[i] = C[i] = P[i] = 0
    if (count === 3) {
      D[i + 1] = C[i + 1] = P[i + 1] = 0
      break
    }
  }
  return { Direction: D, 'CurrentRetracement%': C, 'DeepestRetracement%': P }
}
