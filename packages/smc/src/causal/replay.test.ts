import { describe, expect, it } from 'vitest'
import { randomWalkCandles } from '../testing/random-walk'
import { eurusdCandles } from '../testing/vectors'
import type { Candles } from '../types'
import { smcCausal } from './analyze'
import { createCausalStream } from './stream'
import type { CausalEvents, CausalOptions, CausalResult, PremiumDiscount } from './types'

const prefix = (c: Candles, n: number): Candles => ({
  time: c.time.subarray(0, n),
  open: c.open.subarray(0, n),
  high: c.high.subarray(0, n),
  low: c.low.subarray(0, n),
  close: c.close.subarray(0, n),
  volume: c.volume.subarray(0, n),
})

const LOGS = ['swings', 'breaks', 'zones', 'zoneEvents'] as const
const PD = ['rangeHigh', 'rangeLow', 'equilibrium', 'position', 'zone'] as const

/** First difference between two record logs (JSON of the record), or undefined. */
function firstDiff(label: string, actual: readonly object[], expected: readonly object[]): string | undefined {
  const n = Math.max(actual.length, expected.length)
  for (let q = 0; q < n; q++) {
    const a = JSON.stringify(actual[q])
    const e = JSON.stringify(expected[q])
    if (a !== e) return `${label}[${q}] of ${actual.length} / ${expected.length}: stream ${a}, batch ${e}`
  }
  return undefined
}

function expectSameEvents(label: string, actual: CausalEvents, expected: CausalEvents): void {
  for (const k of LOGS) {
    const d = firstDiff(`${label}.${k}`, actual[k], expected[k])
    if (d) expect.fail(d)
  }
}

/** What the stream emitted, recorded candle by candle (copies of every record), and the per-candle premium / discount. */
function replay(c: Candles, options: CausalOptions) {
  const s = createCausalStream(options)
  const n = c.time.length
  const got: CausalEvents = { swings: [], breaks: [], zones: [], zoneEvents: [] }
  const htf: CausalEvents & { candles: object[] } = { candles: [], swings: [], breaks: [], zones: [], zoneEvents: [] }
  const pd = { rangeHigh: new Float64Array(n), rangeLow: new Float64Array(n), equilibrium: new Float64Array(n), position: new Float64Array(n), zone: new Float64Array(n) }
  const htfPd = { rangeHigh: new Float64Array(n), rangeLow: new Float64Array(n), equilibrium: new Float64Array(n), position: new Float64Array(n), zone: new Float64Array(n) }
  let late = 0
  for (let i = 0; i < n; i++) {
    const e = s.push({ time: c.time[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! })
    expect(e.index).toBe(i)
    for (const k of LOGS) {
      for (const r of e[k]) {
        if (r.confirmedAt !== i) late++
        ;(got[k] as object[]).push(structuredClone(r))
      }
      if (e.higherTimeframe) for (const r of e.higherTimeframe[k]) (htf[k] as object[]).push(structuredClone(r))
    }
    for (const k of PD) pd[k][i] = e.premiumDiscount[k]
    if (e.higherTimeframe) {
      for (const b of e.higherTimeframe.candles) htf.candles.push(structuredClone(b))
      for (const r of LOGS.flatMap((k) => e.higherTimeframe![k] as { confirmedAt: number }[])) if (r.confirmedAt !== i) late++
      for (const k of PD) htfPd[k][i] = e.higherTimeframe.premiumDiscount[k]
    }
  }
  expect(late, 'records stamped with another candle than the one that emitted them').toBe(0)
  return { stream: s, got, htf, pd, htfPd }
}

function expectSamePd(label: string, actual: PremiumDiscount, expected: PremiumDiscount): void {
  for (const k of PD) {
    const a = actual[k]
    const e = expected[k]
    for (let i = 0; i < e.length; i++) if (!Object.is(a[i], e[i])) expect.fail(`${label}.${k}[${i}]: stream ${a[i]}, batch ${e[i]}`)
  }
}

/** Records of `r` known by row `last` (confirmedAt ≤ last). */
function knownBy(r: CausalEvents, last: number): CausalEvents {
  const f = <T extends { confirmedAt: number }>(a: T[]) => a.filter((x) => x.confirmedAt <= last)
  return { swings: f(r.swings), breaks: f(r.breaks), zones: f(r.zones), zoneEvents: f(r.zoneEvents) }
}

/**
 * The replay test: the stream, run candle by candle, emits exactly what the batch over the whole
 * series reports, each record at its confirmedAt; and the batch over any prefix is the full batch's
 * records known by the prefix's last candle (nothing depends on later candles).
 */
function checkReplay(c: Candles, options: CausalOptions, prefixes: number[]): CausalResult {
  const { stream, got, htf, pd, htfPd } = replay(c, options)
  const batch = smcCausal(c, options)
  expectSameEvents('emitted vs batch', got, batch)
  expectSameEvents('stream log vs batch', stream.events(), batch)
  expectSamePd('premiumDiscount', pd, batch.premiumDiscount)
  if (options.higherTimeframe) {
    const b = batch.higherTimeframe!
    expectSameEvents('htf emitted vs batch', htf, b)
    expect(htf.candles).toEqual(b.candles)
    expectSamePd('htf premiumDiscount', htfPd, b.premiumDiscount)
  }
  for (const p of prefixes) {
    const part = smcCausal(prefix(c, p), options)
    expectSameEvents(`prefix ${p}`, part, knownBy(batch, p - 1))
    expectSamePd(`prefix ${p} premiumDiscount`, part.premiumDiscount, {
      rangeHigh: batch.premiumDiscount.rangeHigh.subarray(0, p),
      rangeLow: batch.premiumDiscount.rangeLow.subarray(0, p),
      equilibrium: batch.premiumDiscount.equilibrium.subarray(0, p),
      position: batch.premiumDiscount.position.subarray(0, p),
      zone: batch.premiumDiscount.zone.subarray(0, p),
    })
    if (options.higherTimeframe) expectSameEvents(`htf prefix ${p}`, part.higherTimeframe!, knownBy(batch.higherTimeframe!, p - 1))
  }
  return batch
}

describe('causal mode: replay (stream candle by candle = batch at confirmedAt, no look-ahead)', () => {
  it('EURUSD 15m seed vectors, swing length 5, 1h higher timeframe', () => {
    const c = eurusdCandles()
    const r = checkReplay(c, { swingLength: 5, higherTimeframe: { timeFrame: '1h', candleMs: 15 * 60_000 } }, [1, 11, 12, 500, 7777, 20_001])
    // The series is rich enough to exercise every record kind and state.
    expect(r.swings.length).toBeGreaterThan(1000)
    expect(r.breaks.some((b) => b.kind === 'choch') && r.breaks.some((b) => b.kind === 'bos')).toBe(true)
    for (const kind of ['ob', 'breaker', 'fvg'] as const) expect(r.zones.some((z) => z.kind === kind)).toBe(true)
    for (const state of ['tested', 'mitigated', 'invalidated'] as const) {
      expect(r.zoneEvents.some((e) => e.kind === 'ob' && e.state === state)).toBe(true)
      expect(r.zoneEvents.some((e) => e.kind === 'fvg' && e.state === state)).toBe(true)
    }
    expect(r.higherTimeframe!.zones.length).toBeGreaterThan(100)
  })

  it('EURUSD with wick breaks, body mitigation and a 4h timeframe closed by the next bucket', () => {
    checkReplay(eurusdCandles(), { swingLength: 3, closeBreak: false, closeMitigation: true, equilibriumBand: 0.2, higherTimeframe: { timeFrame: '4h', swingLength: 2 } }, [3000])
  })

  it('100,000-candle seeded random walk (5m candles, 1h timeframe)', () => {
    const c = randomWalkCandles(100_000, 20)
    const r = checkReplay(c, { swingLength: 10, higherTimeframe: { timeFrame: '1h', candleMs: 300_000, swingLength: 3 } }, [50_000, 99_999])
    expect(r.zones.length).toBeGreaterThan(1000)
    expect(r.higherTimeframe!.candles.length).toBeGreaterThan(8000)
  }, 120_000)
})
