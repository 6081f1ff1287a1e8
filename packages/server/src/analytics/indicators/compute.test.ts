// computeIndicators: defaults, shape, null (never NaN) for insufficient history, finite numbers
// wherever history suffices, series alignment, causality (a later candle never changes an earlier
// value), and VALIDATION_FAILED with details.field naming the query parameter.
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../core'
import {
  INDICATOR_NAMES,
  atr,
  bollinger,
  computeIndicators,
  ema,
  macd,
  rsi,
  sma,
  volumeSma,
  type IndicatorRequest,
  type IndicatorsResult,
} from './index'
import { randomWalkCandles } from './reference.test-helpers'

const ALL = { indicators: [...INDICATOR_NAMES] } as const

function slice(c: ReturnType<typeof randomWalkCandles>, n: number) {
  return {
    time: c.time.slice(0, n),
    open: c.open.slice(0, n),
    high: c.high.slice(0, n),
    low: c.low.slice(0, n),
    close: c.close.slice(0, n),
    volume: c.volume.slice(0, n),
  }
}

/** Every leaf number in a result (walks objects and arrays). */
function leaves(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) v.forEach((x) => leaves(x, out))
  else if (v !== null && typeof v === 'object') Object.values(v).forEach((x) => leaves(x, out))
  else out.push(v)
  return out
}

function validationField(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError)
    expect((e as DomainError).code).toBe('VALIDATION_FAILED')
    return (e as DomainError).details.field as string
  }
  throw new Error('expected a VALIDATION_FAILED DomainError')
}

describe('computeIndicators', () => {
  const c = randomWalkCandles(300, 5, 30_000)

  it('returns the defaults’ latest values, equal to the batch functions', () => {
    const r = computeIndicators(c, ALL)
    const n = c.close.length
    expect(r.candles).toBe(n)
    expect(r.time).toBe(c.time[n - 1])
    expect(r.series_time).toBeUndefined()
    expect(r.sma).toEqual([
      { period: 20, value: sma(c.close, 20)[n - 1] },
      { period: 50, value: sma(c.close, 50)[n - 1] },
    ])
    expect(r.ema).toEqual([
      { period: 12, value: ema(c.close, 12)[n - 1] },
      { period: 26, value: ema(c.close, 26)[n - 1] },
    ])
    expect(r.rsi).toEqual({ period: 14, value: rsi(c.close, 14)[n - 1] })
    const m = macd(c.close, 12, 26, 9)
    expect(r.macd).toEqual({
      fast: 12,
      slow: 26,
      signal_period: 9,
      macd: m.macd[n - 1],
      signal: m.signal[n - 1],
      histogram: m.histogram[n - 1],
    })
    const b = bollinger(c.close, 20, 2)
    expect(r.bollinger).toEqual({ period: 20, k: 2, middle: b.middle[n - 1], upper: b.upper[n - 1], lower: b.lower[n - 1] })
    expect(r.atr).toEqual({ period: 14, value: atr(c.high, c.low, c.close, 14)[n - 1] })
    expect(r.volume_sma).toEqual({ period: 20, value: volumeSma(c.volume, 20)[n - 1] })
  })

  it('only the requested indicators, custom periods, deduplicated', () => {
    const r = computeIndicators(c, {
      indicators: ['sma', 'bollinger', 'macd'],
      periods: { sma: [5, 5, 200], bollinger: { period: 10, k: 1.5 }, macd: { fast: 5, slow: 35, signal: 5 } },
    })
    expect(Object.keys(r).sort()).toEqual(['bollinger', 'candles', 'macd', 'sma', 'time'])
    expect(r.sma!.map((s) => s.period)).toEqual([5, 200])
    expect(r.bollinger!.period).toBe(10)
    expect(r.bollinger!.k).toBe(1.5)
    expect(r.macd!.slow).toBe(35)
  })

  it('series: the last N values aligned with series_time, null in the warm-up, never NaN', () => {
    const short = slice(c, 30)
    const r = computeIndicators(short, { ...ALL, series: 40 })
    expect(r.series_time).toEqual(Array.from(short.time))
    const sma20 = r.sma![0]!.series!
    expect(sma20).toHaveLength(30)
    expect(sma20.slice(0, 19).every((v) => v === null)).toBe(true)
    expect(sma20.slice(19).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true)
    expect(r.sma![1]!.value).toBeNull() // SMA 50 on 30 candles
    expect(typeof r.macd!.macd).toBe('number') // from the 26th candle
    expect(r.macd!.signal).toBeNull() // from the 34th
    expect(r.macd!.histogram).toBeNull()
    expect(r.rsi!.series!.filter((v) => v !== null)).toHaveLength(30 - 14)
    expect(r.atr!.series!.filter((v) => v !== null)).toHaveLength(30 - 13)
    const tail = computeIndicators(c, { indicators: ['rsi'], series: 5 })
    expect(tail.rsi!.series).toEqual(Array.from(rsi(c.close, 14).subarray(295)))
    expect(tail.series_time).toEqual(Array.from(c.time.subarray(295)))
  })

  it('NaN never leaks: enough history → every value a finite number; none → nulls', () => {
    const r = computeIndicators(c, { ...ALL, series: 200 }) // 300 candles ≥ every default's warm-up + 200
    for (const v of leaves(r)) expect(typeof v === 'number' && Number.isFinite(v), String(v)).toBe(true)
    const empty = computeIndicators(slice(c, 0), { ...ALL, series: 3 })
    expect(empty.time).toBeNull()
    expect(empty.series_time).toEqual([])
    const values = leaves({ ...empty, candles: undefined, time: undefined, series_time: undefined })
    for (const v of values) expect(v === null || v === undefined || typeof v === 'number').toBe(true)
    expect(empty.rsi!.value).toBeNull()
    expect(empty.macd).toMatchObject({ macd: null, signal: null, histogram: null })
    const one = computeIndicators(slice(c, 1), { ...ALL, series: 1 })
    for (const v of [...one.sma!, ...one.ema!, one.rsi!, one.atr!, one.volume_sma!]) expect([v.value, v.series]).toEqual([null, [null]])
    expect(one.bollinger).toMatchObject({ middle: null, upper: null, lower: null })
    expect(JSON.stringify(one)).not.toContain('NaN')
  })

  it('a later candle never changes an earlier value (the caller drops the forming candle)', () => {
    const before = computeIndicators(slice(c, 250), { ...ALL, series: 50 })
    const after = computeIndicators(slice(c, 251), { ...ALL, series: 51 })
    const drop = (r: IndicatorsResult) => JSON.parse(JSON.stringify(r), (_k, v) => (Array.isArray(v) ? v.slice(0, 50) : v))
    const a = drop(after)
    const b = drop(before)
    expect(a.series_time).toEqual(b.series_time)
    for (const k of ['sma', 'ema'] as const) expect(a[k].map((s: { series: unknown }) => s.series)).toEqual(b[k].map((s: { series: unknown }) => s.series))
    for (const k of ['rsi', 'atr', 'volume_sma'] as const) expect(a[k].series).toEqual(b[k].series)
    expect(a.macd.series).toEqual(b.macd.series)
    expect(a.bollinger.series).toEqual(b.bollinger.series)
  })

  it('refuses bad requests with VALIDATION_FAILED naming the query parameter', () => {
    const bad = (req: Partial<IndicatorRequest> & Record<string, unknown>) =>
      validationField(() => computeIndicators(c, { indicators: ['sma'], ...req } as IndicatorRequest))
    expect(bad({ indicators: [] })).toBe('indicators')
    expect(bad({ indicators: ['vwap'] as never })).toBe('indicators')
    expect(bad({ periods: { sma: [1] } })).toBe('sma_periods')
    expect(bad({ periods: { sma: [501] } })).toBe('sma_periods')
    expect(bad({ periods: { sma: [20.5] } })).toBe('sma_periods')
    expect(bad({ periods: { sma: [] } })).toBe('sma_periods')
    expect(bad({ periods: { sma: Array.from({ length: 11 }, (_, i) => i + 2) } })).toBe('sma_periods')
    expect(bad({ periods: { ema: [0] } })).toBe('ema_periods')
    expect(bad({ periods: { rsi: 1 } })).toBe('rsi_period')
    expect(bad({ periods: { atr: 1000 } })).toBe('atr_period')
    expect(bad({ periods: { volume_sma: Number.NaN } })).toBe('volume_sma_period')
    expect(bad({ periods: { bollinger: { period: 1 } } })).toBe('bb_period')
    expect(bad({ periods: { bollinger: { k: 0 } } })).toBe('bb_k')
    expect(bad({ periods: { bollinger: { k: 10.5 } } })).toBe('bb_k')
    expect(bad({ periods: { bollinger: { k: Number.POSITIVE_INFINITY } } })).toBe('bb_k')
    expect(bad({ periods: { macd: { fast: 26, slow: 12 } } })).toBe('macd_fast')
    expect(bad({ periods: { macd: { fast: 26 } } })).toBe('macd_fast') // 26 is not < the default slow 26
    expect(bad({ periods: { macd: { slow: 600 } } })).toBe('macd_slow')
    expect(bad({ periods: { macd: { signal: 1 } } })).toBe('macd_signal')
    expect(bad({ series: -1 })).toBe('series')
    expect(bad({ series: 1.5 })).toBe('series')
    expect(bad({ series: 1001 })).toBe('series')
    // Bounds are inclusive.
    expect(() => computeIndicators(c, { indicators: ['sma'], periods: { sma: [2, 500] }, series: 1000 })).not.toThrow()
    expect(() => computeIndicators(c, { indicators: ['bollinger'], periods: { bollinger: { period: 20, k: 10 } } })).not.toThrow()
  })
})
