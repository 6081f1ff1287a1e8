import { describe, expect, it } from 'vitest'
import { bosChoch } from '../indicators/bos-choch'
import { fvg } from '../indicators/fvg'
import { liquidity } from '../indicators/liquidity'
import { ob } from '../indicators/ob'
import { previousHighLow } from '../indicators/previous-high-low'
import { retracements } from '../indicators/retracements'
import { sessions } from '../indicators/sessions'
import { swingHighsLows } from '../indicators/swing-highs-lows'
import { eurusdCandles } from '../testing/vectors'
import { LocalTimeError } from '../time/zone'
import { candlesFromArrays, type Candles } from '../types'
import { ColumnPool, createSmcStream, type SmcStream, type SmcStreamOptions } from './index'

type Columns = Record<string, Float64Array | Int32Array>

/** First difference between two column sets (exact: NaN equals NaN, -0 differs from 0), or undefined. */
function firstDiff(actual: object, expected: object): string | undefined {
  const a = actual as Columns
  const e = expected as Columns
  for (const k of Object.keys(e)) {
    const x = a[k]
    const y = e[k]!
    if (!x) return `missing column ${k}`
    if (x.constructor !== y.constructor) return `${k}: ${x.constructor.name} instead of ${y.constructor.name}`
    if (x.length !== y.length) return `${k}: length ${x.length} instead of ${y.length}`
    for (let i = 0; i < y.length; i++) if (!Object.is(x[i], y[i])) return `${k} row ${i}: ${x[i]} instead of ${y[i]}`
  }
  return undefined
}

const prefix = (c: Candles, n: number): Candles => ({
  time: c.time.subarray(0, n),
  open: c.open.subarray(0, n),
  high: c.high.subarray(0, n),
  low: c.low.subarray(0, n),
  close: c.close.subarray(0, n),
  volume: c.volume.subarray(0, n),
})

const enabled = <T extends object>(v: T | boolean | undefined, byDefault = true): T | undefined =>
  v === false || (v === undefined && !byDefault) ? undefined : v === true || v === undefined ? ({} as T) : v
const asList = <T extends object>(v: T | readonly T[] | boolean | undefined, byDefault: boolean): T[] =>
  Array.isArray(v) ? [...(v as T[])] : ((x) => (x ? [x] : []))(enabled(v as T | boolean | undefined, byDefault))

/** Compare every enabled indicator of the stream with the batch functions on the same prefix. */
function compareWithBatch(stream: SmcStream, c: Candles, o: SmcStreamOptions): void {
  compareOn(stream, prefix(c, stream.length), o, `prefix ${stream.length}`)
}

/** Compare every enabled indicator of the stream with the batch functions on `p`. */
function compareOn(stream: SmcStream, p: Candles, o: SmcStreamOptions, label: string): void {
  const fail = (what: string, diff: string | undefined) => {
    if (diff !== undefined) expect.fail(`${label}: ${what}: ${diff}`)
  }
  const sw = swingHighsLows(p, o.swings)
  fail('swings', firstDiff(stream.swings(), sw))
  const f = enabled(o.fvg)
  if (f) fail('fvg', firstDiff(stream.fvg(), fvg(p, f)))
  const b = enabled(o.bosChoch)
  if (b) fail('bosChoch', firstDiff(stream.bosChoch(), bosChoch(p, sw, b)))
  const ob_ = enabled(o.ob)
  if (ob_) fail('ob', firstDiff(stream.ob(), ob(p, sw, ob_)))
  const l = enabled(o.liquidity)
  if (l) fail('liquidity', firstDiff(stream.liquidity(), liquidity(p, sw, l)))
  if (o.retracements !== false) fail('retracements', firstDiff(stream.retracements(), retracements(p, sw)))
  asList(o.previousHighLow, true).forEach((po, k) => fail(`previousHighLow ${po.timeFrame ?? '1D'}`, firstDiff(stream.previousHighLow(k), previousHighLow(p, po))))
  asList(o.sessions, false).forEach((so, k) => fail(`sessions ${so.session}`, firstDiff(stream.sessions(k), sessions(p, so))))
}

const candleAt = (c: Candles, i: number) => ({
  time: c.time[i]!,
  open: c.open[i]!,
  high: c.high[i]!,
  low: c.low[i]!,
  close: c.close[i]!,
  volume: c.volume[i]!,
})

/** Stream `c` (up to `limit` rows), comparing after every push up to `everyUpTo`, then at the sampled prefixes. */
function streamAndCompare(c: Candles, o: SmcStreamOptions, everyUpTo: number, sampled: Iterable<number> = [], limit = c.time.length): SmcStream {
  const stream = createSmcStream(o)
  const at = new Set(sampled)
  at.add(limit)
  for (let i = 0; i < limit; i++) {
    stream.push(candleAt(c, i))
    if (i < everyUpTo || at.has(i + 1)) compareWithBatch(stream, c, o)
  }
  return stream
}

function seeded(seed: number): () => number {
  let s = seed
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

/** `count` distinct prefix lengths in (from, to], seeded. */
function samplePrefixes(count: number, from: number, to: number, seed: number): number[] {
  const rnd = seeded(seed)
  const out = new Set<number>()
  while (out.size < count) out.add(from + 1 + Math.floor(rnd() * (to - from)))
  return [...out].sort((a, b) => a - b)
}

/** Random walk with coarse ticks (ties), occasional wide bars and time gaps, non-zero volumes. */
function synthetic(n: number, seed: number, tick: number, wide = 0.05): Candles {
  const rnd = seeded(seed)
  const cols = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] }
  let price = 100
  let t = Date.UTC(2024, 0, 5, 20)
  for (let i = 0; i < n; i++) {
    t += 15 * 60_000 * (rnd() < 0.02 ? 1 + Math.floor(rnd() * 200) : 1)
    const o = price
    const cl = Math.round((o + (rnd() - 0.5) * 2) / tick) * tick
    const span = rnd() < wide ? 6 : 1
    cols.time.push(t)
    cols.open.push(o)
    cols.close.push(cl)
    cols.high.push(Math.round((Math.max(o, cl) + rnd() * span) / tick) * tick)
    cols.low.push(Math.round((Math.min(o, cl) - rnd() * span) / tick) * tick)
    cols.volume.push(rnd() < 0.1 ? 0 : Math.floor(rnd() * 1000))
    price = cl
  }
  return candlesFromArrays(cols)
}

// The reference vectors' settings: swing length 5, default options, 4h/1D/W, London.
const REFERENCE_SUITE: SmcStreamOptions = {
  swings: { swingLength: 5 },
  previousHighLow: [{ timeFrame: '4h' }, { timeFrame: '1D' }, { timeFrame: 'W' }],
  sessions: { session: 'London' },
}

describe('createSmcStream: equality with the batch functions on every prefix', () => {
  const eurusd = eurusdCandles()
  const N = eurusd.time.length

  it('EURUSD, reference settings: every prefix of the first 2,000 candles, then 50 sampled prefixes and the full series', () => {
    const stream = streamAndCompare(eurusd, REFERENCE_SUITE, 2000, samplePrefixes(50, 2000, N, 1))
    expect(stream.length).toBe(N)
  })

  it.each<[string, SmcStreamOptions]>([
    [
      'parity: false everywhere',
      {
        swings: { swingLength: 5, parity: false },
        fvg: { parity: false },
        bosChoch: { parity: false },
        ob: { parity: false },
        liquidity: { parity: false },
        previousHighLow: [{ timeFrame: '1D', parity: false }, { timeFrame: 'W', parity: false }],
        sessions: [{ session: 'New York', parity: false }],
      },
    ],
    ['close_break false, close_mitigation, join_consecutive, range 0.5%', { swings: { swingLength: 5 }, bosChoch: { closeBreak: false }, ob: { closeMitigation: true }, fvg: { joinConsecutive: true }, liquidity: { rangePercent: 0.005 } }],
    ['swing length 1', { swings: { swingLength: 1 } }],
    ['swing length 1, parity false', { swings: { swingLength: 1, parity: false }, bosChoch: { parity: false }, ob: { parity: false } }],
    ['swing length 10', { swings: { swingLength: 10 } }],
    ['swing length 50 (batch default)', {}],
  ])('EURUSD, %s: every prefix of the first 1,000 candles, then 10 sampled prefixes', (_name, o) => {
    streamAndCompare(eurusd, o, 1000, samplePrefixes(10, 1000, N, 2))
  })

  it('synthetic series (ties, wide bars, gaps, volumes): every prefix, many settings', () => {
    const settings: SmcStreamOptions[] = [
      { previousHighLow: [{ timeFrame: '4h' }, { timeFrame: 'W' }], sessions: [{ session: 'Sydney' }, { session: 'Custom', startTime: '22:00', endTime: '02:30', timeZone: 'UTC+2' }] },
      { bosChoch: { closeBreak: false }, ob: { closeMitigation: true }, fvg: { joinConsecutive: true }, liquidity: { rangePercent: 0.05 } },
      {
        bosChoch: { parity: false, closeBreak: false },
        ob: { parity: false, closeMitigation: true },
        fvg: { parity: false, joinConsecutive: true },
        liquidity: { parity: false, rangePercent: 0.002 },
        previousHighLow: { timeFrame: '1D', parity: false },
        sessions: { session: 'London', timeZone: 'Europe/Berlin', parity: false },
      },
    ]
    let k = 0
    for (const swingLength of [1, 2, 3, 7]) {
      for (const parity of [true, false]) {
        for (const tick of [0.5, 0.01]) {
          const o = { ...settings[k % settings.length]!, swings: { swingLength, parity } }
          const c = synthetic(300, 1000 + k, tick, k % 2 === 0 ? 0.05 : 0.2)
          streamAndCompare(c, o, c.time.length)
          k++
        }
      }
    }
  })

  it('a bullish and a bearish OB on the same row: the bearish one inherits the breaker state (parity) on every prefix', () => {
    // Swing low 5, swing high 8 (swing length 3); the wide bar 12 is the lowest low before the
    // bullish breakout 13 and the highest high before the bearish breakdown 14, which also
    // mitigates the bullish OB. In parity mode the bearish OB then skips its own mitigation and is
    // reset by the next low below its bottom (bar 15), long before its own mitigation (bar 16).
    const bars = [
      [100, 104, 99, 100], [100, 101, 98, 100], [100, 101, 98, 100], [100, 101, 97, 99], [99, 100, 96, 98],
      [98, 99, 95, 97], [97, 101, 96, 100], [100, 103, 97, 102], [102, 105, 98, 103], [103, 104, 97, 100],
      [100, 102, 96, 99], [99, 101, 96, 100], [100, 120, 80, 101], [101, 107, 100, 106], [106, 125, 78, 90],
      [90, 110, 79, 100], [100, 130, 90, 125], [125, 126, 100, 110], [110, 115, 105, 112], [112, 118, 108, 115],
      [115, 116, 70, 75], [75, 80, 72, 78],
    ]
    const c = candlesFromArrays({
      time: bars.map((_, i) => Date.UTC(2024, 0, 1) + i * 60_000),
      open: bars.map((b) => b[0]!),
      high: bars.map((b) => b[1]!),
      low: bars.map((b) => b[2]!),
      close: bars.map((b) => b[3]!),
      volume: bars.map((_, i) => i + 1),
    })
    const seen: number[] = []
    for (const parity of [true, false]) {
      const o: SmcStreamOptions = { swings: { swingLength: 3 }, ob: { parity } }
      const stream = createSmcStream(o)
      for (let i = 0; i < bars.length; i++) {
        stream.push(candleAt(c, i))
        compareWithBatch(stream, c, o)
        if (parity && i === 14) seen.push(stream.ob().ob[12]!, stream.ob().mitigatedIndex[12]!)
        if (parity && i === 15) seen.push(stream.ob().ob[12]!)
        if (!parity && i === 16) seen.push(stream.ob().ob[12]!, stream.ob().mitigatedIndex[12]!)
      }
    }
    // The case really occurs: a bearish OB on row 12 carrying the bullish MitigatedIndex 13, gone
    // one bar later; without parity it is mitigated on its own (bar 16).
    expect(seen).toEqual([-1, 13, Number.NaN, -1, 16])
  })
})

describe('createSmcStream: window', () => {
  const c = eurusdCandles()
  const held = (s: SmcStream): Candles => {
    const k = s.candles()
    return { time: k.time.slice(), open: k.open.slice(), high: k.high.slice(), low: k.low.slice(), close: k.close.slice(), volume: k.volume.slice() }
  }

  it('holds at most 2 × window candles and equals the batch functions on the candles held, across trims', () => {
    const o: SmcStreamOptions = { swings: { swingLength: 5 }, sessions: { session: 'London' }, window: 150 }
    const stream = createSmcStream(o)
    for (let i = 0; i < 1000; i++) {
      stream.push(candleAt(c, i))
      expect(stream.length).toBeLessThanOrEqual(300)
      expect(stream.dropped + stream.length).toBe(i + 1)
      if (i % 41 === 0 || (i >= 298 && i <= 302)) compareOn(stream, held(stream), o, `push ${i}`)
    }
    expect(stream.dropped).toBeGreaterThan(0)
    expect(stream.candles().time[0]).toBe(c.time[stream.dropped])
    expect(stream.candles().close).toEqual(c.close.subarray(stream.dropped, 1000))
  })

  it('a candle rejected when a trim is due leaves the stream as it was', () => {
    const stream = createSmcStream({ swings: { swingLength: 3 }, window: 10 })
    for (let i = 0; i < 20; i++) stream.push(candleAt(c, i))
    expect(() => stream.push({ ...candleAt(c, 20), time: c.time[19]! })).toThrow(/time must increase strictly \(row 20\)/)
    expect(() => stream.push({ ...candleAt(c, 20), low: Number.NaN })).toThrow(/low must be a finite number/)
    expect([stream.length, stream.dropped]).toEqual([20, 0])
    stream.push(candleAt(c, 20))
    expect([stream.length, stream.dropped]).toEqual([11, 10])
  })

  it('rejects a window that is not a positive integer; without one nothing is dropped', () => {
    for (const window of [0, -1, 2.5, Number.NaN]) expect(() => createSmcStream({ window })).toThrow(/window must be a positive integer/)
    const stream = createSmcStream({ swings: { swingLength: 3 } })
    for (let i = 0; i < 100; i++) stream.push(candleAt(c, i))
    expect([stream.length, stream.dropped]).toEqual([100, 0])
  })
})

describe('createSmcStream: a ColumnPool', () => {
  const c = eurusdCandles()
  // Every indicator, every column kind (Float64 NaN- and zero-filled, Int32 zero- and −1-filled).
  const all: SmcStreamOptions = { ...REFERENCE_SUITE, ob: { closeMitigation: true }, liquidity: { rangePercent: 0.01 } }

  it('a stream on reused memory equals the batch functions, from its capacity and through growth', () => {
    const pool = new ColumnPool()
    // First stream: fresh memory, grown from 16 rows (what growth replaces goes to the pool at once).
    const first = streamAndCompare(c, { ...all, pool, initialCapacity: 16 }, 0, [300, 1000], 1200)
    expect(pool.bytes).toBeGreaterThan(0)
    first.release()
    const kept = pool.bytes
    // Its memory now holds its values: a second stream must not see them, whatever the rows.
    const second = streamAndCompare(c, { ...all, pool, initialCapacity: 16 }, 40, [17, 33, 64, 129, 700], 1200)
    expect(pool.bytes).toBeLessThan(kept)
    second.release()
    const again = streamAndCompare(c, { ...all, pool, initialCapacity: 2048 }, 0, [5, 999], 1500)
    again.release()
    const reused = streamAndCompare(c, { ...all, pool, initialCapacity: 2048 }, 30, [77, 1500], 1500)
    expect(reused.length).toBe(1500)
  })

  it('a released stream refuses candles; release without a pool only ends the stream', () => {
    const pool = new ColumnPool()
    const s = createSmcStream({ swings: { swingLength: 5 }, pool })
    for (let i = 0; i < 20; i++) s.push(candleAt(c, i))
    s.release()
    expect(() => s.push(candleAt(c, 20))).toThrow(/released/)
    expect(pool.bytes).toBeGreaterThan(0)
    const plain = createSmcStream({ swings: { swingLength: 5 } })
    plain.push(candleAt(c, 0))
    plain.release()
    expect(() => plain.push(candleAt(c, 1))).toThrow(/released/)
  })

  it('keeps at most maxBytes, and a window stream trims into it with unchanged results', () => {
    const tiny = new ColumnPool(1000)
    const s = createSmcStream({ swings: { swingLength: 5 }, pool: tiny, initialCapacity: 4096 })
    s.push(candleAt(c, 0))
    s.release()
    expect(tiny.bytes).toBe(0)
    const pool = new ColumnPool()
    const o: SmcStreamOptions = { swings: { swingLength: 5 }, sessions: { session: 'London' }, window: 150, pool }
    const stream = createSmcStream(o)
    const plain = createSmcStream({ ...o, pool: undefined })
    for (let i = 0; i < 1000; i++) {
      stream.push(candleAt(c, i))
      plain.push(candleAt(c, i))
      if (i % 37 === 0) expect(firstDiff(stream.result().bosChoch!, plain.result().bosChoch!)).toBeUndefined()
    }
    expect(stream.dropped).toBeGreaterThan(0)
    expect(firstDiff(stream.result().ob!, plain.result().ob!)).toBeUndefined()
    expect(firstDiff(stream.result().sessions[0]!, plain.result().sessions[0]!)).toBeUndefined()
  })
})

describe('createSmcStream: storage', () => {
  const c = eurusdCandles()
  const copyOf = (n: number): Candles => prefix(
    { time: c.time.slice(0, n), open: c.open.slice(0, n), high: c.high.slice(0, n), low: c.low.slice(0, n), close: c.close.slice(0, n), volume: c.volume.slice(0, n) },
    n,
  )

  it('keeps the candles in the lent columns, equal to the batch functions, and past their length in columns of its own', () => {
    const storage = copyOf(1200)
    const before = copyOf(1200)
    const stream = streamAndCompare(c, { ...REFERENCE_SUITE, storage }, 50, [300, 1199], 1200)
    expect(firstDiff(storage, before)).toBeUndefined()
    expect(stream.candles().close.buffer).toBe(storage.close.buffer)
    // Shorter storage: the stream grows out of it (into its own columns) and stays equal.
    const short = copyOf(100)
    const grown = streamAndCompare(c, { ...REFERENCE_SUITE, storage: short }, 0, [99, 100, 101, 257, 900], 900)
    expect(grown.candles().close.buffer).not.toBe(short.close.buffer)
    expect(firstDiff(short, copyOf(100))).toBeUndefined()
  })

  it('refuses storage with a window, or columns that are not Float64Array of one length', () => {
    expect(() => createSmcStream({ storage: copyOf(50), window: 10 })).toThrow(/storage cannot be combined with window/)
    expect(() => createSmcStream({ storage: { ...copyOf(50), volume: new Float64Array(49) } })).toThrow(/storage.volume must be a Float64Array as long as storage.time/)
    expect(() => createSmcStream({ storage: { ...copyOf(50), open: new Float32Array(50) as unknown as Float64Array } })).toThrow(/storage.open/)
  })
})

describe('createSmcStream: API', () => {
  const c = eurusdCandles()

  it('grows past its initial capacity and returns views of the current length', () => {
    const stream = createSmcStream({ swings: { swingLength: 5 }, initialCapacity: 16 })
    for (let i = 0; i < 100; i++) stream.push(candleAt(c, i))
    expect(stream.length).toBe(100)
    expect(stream.candles().close).toEqual(c.close.subarray(0, 100))
    const r = stream.result()
    expect(r.length).toBe(100)
    expect(r.swings.highLow.length).toBe(100)
    expect(r.previousHighLow).toHaveLength(1)
    expect(r.sessions).toHaveLength(0)
    compareWithBatch(stream, c, { swings: { swingLength: 5 } })
  })

  it('rejects a candle that is out of order or not finite, leaving the stream unchanged', () => {
    const o: SmcStreamOptions = { swings: { swingLength: 3 }, sessions: { session: 'London' } }
    const stream = createSmcStream(o)
    for (let i = 0; i < 50; i++) stream.push(candleAt(c, i))
    const last = candleAt(c, 49)
    expect(() => stream.push({ ...candleAt(c, 50), time: last.time })).toThrow(/time must increase strictly \(row 50\)/)
    expect(() => stream.push({ ...candleAt(c, 50), high: Number.NaN })).toThrow(/high must be a finite number \(row 50\)/)
    expect(() => stream.push({ ...candleAt(c, 50), volume: Number.POSITIVE_INFINITY })).toThrow(/volume must be a finite number/)
    expect(stream.length).toBe(50)
    for (let i = 50; i < 120; i++) stream.push(candleAt(c, i))
    compareWithBatch(stream, c, o)
  })

  it('a session time the zone rejects (DST fold) throws LocalTimeError with the stream row and changes nothing', () => {
    const o: SmcStreamOptions = { swings: { swingLength: 2 }, sessions: { session: 'London', timeZone: 'Europe/London' } }
    const stream = createSmcStream(o)
    // 2024-10-27 01:00 … 01:59 happens twice in London.
    const base = Date.UTC(2024, 9, 27, 0, 0)
    const bar = (i: number) => ({ time: base + i * 15 * 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 })
    for (let i = 0; i < 4; i++) stream.push(bar(i))
    expect(() => stream.push(bar(4))).toThrow(LocalTimeError)
    expect(() => stream.push(bar(4))).toThrow(/01:00:00 \(row 4\) is ambiguous/)
    expect(stream.length).toBe(4)
    expect(stream.sessions().active).toEqual(new Int32Array(4))
  })

  it('disabled indicators and unknown configuration indexes throw; bad options fail at creation', () => {
    const stream = createSmcStream({ fvg: false, ob: false, previousHighLow: false })
    stream.push(candleAt(c, 0))
    expect(() => stream.fvg()).toThrow(/fvg is disabled/)
    expect(() => stream.ob()).toThrow(/ob is disabled/)
    expect(() => stream.previousHighLow()).toThrow(/no previousHighLow configuration #0/)
    expect(() => stream.sessions(1)).toThrow(/no sessions configuration #1/)
    expect(stream.result().fvg).toBeUndefined()
    expect(stream.bosChoch().bos.length).toBe(1)
    expect(() => createSmcStream({ swings: { swingLength: 0 } })).toThrow(/swingLength must be a positive integer/)
    expect(() => createSmcStream({ initialCapacity: Number.NaN })).toThrow(/initialCapacity must be a positive integer/)
    expect(() => createSmcStream({ previousHighLow: { timeFrame: '15m' } })).toThrow(/months/)
    expect(() => createSmcStream({ sessions: { session: 'Lunch' } })).toThrow(/unknown session/)
    expect(() => createSmcStream({ sessions: { session: 'London', timeZone: 'Mars/Base' } })).toThrow(/unknown time zone/)
  })
})
