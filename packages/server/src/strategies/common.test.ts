import { createSmcStream, swingHighsLows } from '@smc-trading/smc'
import { describe, expect, it } from 'vitest'
import { SwingList } from './common'
import { randomCandles } from './strategies.test-helpers'

/** The list's swings as [row, type, level] triples. */
const triples = (l: SwingList): number[][] => l.rows.map((r, k) => [r, l.types[k]!, l.levels[k]!])

describe('SwingList', () => {
  const candles = randomCandles(3000, 'swing-list')
  const w = 3

  /** A list kept in step with an SMC stream over `candles`; `drop` runs after every update. */
  function follow(drop?: (l: SwingList) => void): SwingList {
    const stream = createSmcStream({ swings: { swingLength: w, parity: false }, bosChoch: false, ob: false, fvg: false, liquidity: false, retracements: false, previousHighLow: false })
    const list = new SwingList(w)
    for (let i = 0; i < candles.close.length; i++) {
      stream.push({ time: candles.time[i]!, open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]!, volume: candles.volume[i]! })
      const s = stream.swings()
      list.update(s.highLow, s.level, stream.length)
      drop?.(list)
    }
    return list
  }

  it('holds the swings of the batch swingHighsLows over the candles pushed', () => {
    const s = swingHighsLows(candles, { swingLength: w, parity: false })
    const expected = [...s.highLow].flatMap((t, i) => (t === t ? [[i, t, s.level[i]!]] : []))
    expect(expected.length).toBeGreaterThan(300)
    expect(triples(follow())).toEqual(expected)
  })

  it('dropOldest forgets the oldest swings only: what is kept, and every later update, is the tail of the whole list', () => {
    const whole = triples(follow())
    // Dropping as smc_trend does (down to 64 once 128 gather) and down to the newest one.
    for (const [at, keep] of [[128, 64], [2, 1]] as const) {
      const short = follow((l) => {
        if (l.length >= at) l.dropOldest(l.length - keep)
      })
      expect(short.length).toBeLessThan(at)
      expect(triples(short)).toEqual(whole.slice(whole.length - short.length))
    }
    // Never the newest: asking for more leaves one.
    const l = follow()
    l.dropOldest(1e9)
    expect(triples(l)).toEqual(whole.slice(-1))
  })
})
