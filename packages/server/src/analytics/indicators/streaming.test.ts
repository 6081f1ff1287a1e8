// Property: after every prefix, each streaming class's latest value equals the batch function run on
// exactly that prefix (within 1e-9 relative; by construction they are bit-identical), null exactly
// where batch gives NaN. Seeded fast-check runs over random walks with flat stretches and jumps.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  StreamingAtr,
  StreamingBollinger,
  StreamingEma,
  StreamingMacd,
  StreamingRsi,
  StreamingSma,
  atr,
  bollinger,
  ema,
  macd,
  rsi,
  sma,
} from './index'
import { closeTo, randomWalkCandles } from './reference.test-helpers'

/** A price path: random multiplicative steps, flat runs (repeated closes) and occasional jumps. */
const pricePath = fc
  .tuple(
    fc.double({ min: 0.001, max: 100_000, noNaN: true }),
    fc.array(
      fc.oneof(
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.constant(0),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
      ),
      { minLength: 0, maxLength: 120 },
    ),
  )
  .map(([start, steps]) => {
    const out = [start]
    for (const s of steps) out.push(out[out.length - 1]! * (1 + s))
    return out
  })

/** Candles from a close path: high/low around open/close by non-negative random spreads. */
const candlePath = fc
  .tuple(pricePath, fc.array(fc.double({ min: 0, max: 0.02, noNaN: true }), { minLength: 256, maxLength: 256 }))
  .map(([close, spread]) => {
    const high = close.map((c, i) => Math.max(c, close[i - 1] ?? c) * (1 + spread[i % 256]!))
    const low = close.map((c, i) => Math.min(c, close[i - 1] ?? c) * (1 - spread[(i + 7) % 256]!))
    return { high, low, close }
  })

const same = (got: number | null | undefined, want: number): boolean =>
  Number.isNaN(want) ? got === null || got === undefined : got !== null && got !== undefined && closeTo(got, want)

const RUNS = { seed: 20_240_613, numRuns: 150 }

describe('streaming equals batch on every prefix', () => {
  it('SMA and EMA', () => {
    fc.assert(
      fc.property(pricePath, fc.integer({ min: 1, max: 30 }), (x, p) => {
        const s = new StreamingSma(p)
        const e = new StreamingEma(p)
        for (let i = 0; i < x.length; i++) {
          const prefix = Float64Array.from(x.slice(0, i + 1))
          const sv = s.update(x[i]!)
          const ev = e.update(x[i]!)
          if (!same(sv, sma(prefix, p)[i]!) || !same(ev, ema(prefix, p)[i]!)) return false
          if (s.value !== sv || e.value !== ev) return false
        }
        return true
      }),
      RUNS,
    )
  })

  it('RSI', () => {
    fc.assert(
      fc.property(pricePath, fc.integer({ min: 1, max: 30 }), (x, p) => {
        const r = new StreamingRsi(p)
        return x.every((v, i) => same(r.update(v), rsi(Float64Array.from(x.slice(0, i + 1)), p)[i]!))
      }),
      RUNS,
    )
  })

  it('MACD', () => {
    fc.assert(
      fc.property(
        pricePath,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 9 }),
        (x, fast, extra, signal) => {
          const slow = fast + extra
          const m = new StreamingMacd(fast, slow, signal)
          return x.every((v, i) => {
            const b = macd(Float64Array.from(x.slice(0, i + 1)), fast, slow, signal)
            const got = m.update(v)
            if (Number.isNaN(b.macd[i]!)) return got === null
            return (
              got !== null && same(got.macd, b.macd[i]!) && same(got.signal, b.signal[i]!) && same(got.histogram, b.histogram[i]!)
            )
          })
        },
      ),
      RUNS,
    )
  })

  it('Bollinger', () => {
    fc.assert(
      fc.property(pricePath, fc.integer({ min: 1, max: 30 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (x, p, k) => {
        const s = new StreamingBollinger(p, k)
        return x.every((v, i) => {
          const b = bollinger(Float64Array.from(x.slice(0, i + 1)), p, k)
          const got = s.update(v)
          if (Number.isNaN(b.middle[i]!)) return got === null
          return got !== null && same(got.middle, b.middle[i]!) && same(got.upper, b.upper[i]!) && same(got.lower, b.lower[i]!)
        })
      }),
      RUNS,
    )
  })

  it('ATR', () => {
    fc.assert(
      fc.property(candlePath, fc.integer({ min: 1, max: 30 }), (c, p) => {
        const a = new StreamingAtr(p)
        return c.close.every((close, i) => {
          const want = atr(
            Float64Array.from(c.high.slice(0, i + 1)),
            Float64Array.from(c.low.slice(0, i + 1)),
            Float64Array.from(c.close.slice(0, i + 1)),
            p,
          )[i]!
          return same(a.update({ high: c.high[i]!, low: c.low[i]!, close }), want)
        })
      }),
      RUNS,
    )
  })

  it('bit-identical to batch over 5,000 candles, across the periodic exact recompute', () => {
    const c = randomWalkCandles(5000, 99, 42_000)
    const n = c.close.length
    const bs = sma(c.close, 50)
    const be = ema(c.close, 26)
    const br = rsi(c.close, 14)
    const bm = macd(c.close)
    const bb = bollinger(c.close, 20, 2)
    const ba = atr(c.high, c.low, c.close, 14)
    const s = new StreamingSma(50)
    const e = new StreamingEma(26)
    const r = new StreamingRsi(14)
    const m = new StreamingMacd()
    const b = new StreamingBollinger()
    const a = new StreamingAtr()
    const nn = (v: number) => (Number.isNaN(v) ? null : v)
    for (let i = 0; i < n; i++) {
      const x = c.close[i]!
      expect(s.update(x)).toBe(nn(bs[i]!))
      expect(e.update(x)).toBe(nn(be[i]!))
      expect(r.update(x)).toBe(nn(br[i]!))
      const mv = m.update(x)
      if (mv !== null) {
        expect(mv.macd).toBe(bm.macd[i])
        expect(mv.signal).toBe(nn(bm.signal[i]!))
        expect(mv.histogram).toBe(nn(bm.histogram[i]!))
      } else expect(bm.macd[i]).toBeNaN()
      const bv = b.update(x)
      if (bv !== null) expect([bv.middle, bv.upper, bv.lower]).toEqual([bb.middle[i], bb.upper[i], bb.lower[i]])
      else expect(bb.middle[i]).toBeNaN()
      expect(a.update({ high: c.high[i]!, low: c.low[i]!, close: x })).toBe(nn(ba[i]!))
    }
  })

  it('a period that is a multiple of RECOMPUTE_EVERY (1024) recomputes at the same indices', () => {
    const c = randomWalkCandles(4000, 5, 1000).close
    const s = new StreamingSma(1024)
    const b = new StreamingBollinger(1024, 2)
    const bs = sma(c, 1024)
    const bb = bollinger(c, 1024, 2)
    for (let i = 0; i < c.length; i++) {
      const sv = s.update(c[i]!)
      const bv = b.update(c[i]!)
      if (i < 1023) continue
      expect(sv).toBe(bs[i])
      expect(bv!.upper).toBe(bb.upper[i])
    }
  })
})
