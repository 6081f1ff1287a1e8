import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../core'
import { createTestContext, type TestContext } from '../../testing'
import { CsvSourceError, loadCsvSource } from './load-csv'
import { createReplayMarket } from './replay-market'

// Issue 12: a CSV of any whole-minute interval (3m, 2h, …) is served, aggregated to the contract's
// intervals that are multiples of it; and the synthesised book and ticker are a function of the
// file and the seed alone.
const dir = mkdtempSync(join(tmpdir(), 'smc-csv-iv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const MINUTE = 60_000
const T0 = Date.UTC(2024, 0, 1)
/** A 7m boundary counted from the epoch (UTC midnights are not: a day is not a multiple of 7m). */
const GRID7 = Math.ceil(T0 / (7 * MINUTE)) * 7 * MINUTE

interface Row { time: number; open: number; high: number; low: number; close: number; volume: number }

/** `n` candles `stepMinutes` apart from T0, a seeded walk; prices with 2 decimals, volumes with 3. */
function writeFile(name: string, stepMinutes: number, n: number): { file: string; rows: Row[] } {
  const rows: Row[] = []
  let price = 42_000
  let seed = 11
  // The first candle on the file's own grid (counted from the epoch, as the loader requires).
  const base = Math.ceil(T0 / (stepMinutes * MINUTE)) * stepMinutes * MINUTE
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  for (let i = 0; i < n; i++) {
    const open = price
    const close = +(open * (1 + (rand() - 0.5) * 0.01)).toFixed(2)
    const high = +(Math.max(open, close) * (1 + rand() * 0.003)).toFixed(2)
    const low = +(Math.min(open, close) * (1 - rand() * 0.003)).toFixed(2)
    rows.push({ time: base + i * stepMinutes * MINUTE, open, high, low, close, volume: +(10 + rand() * 50).toFixed(3) })
    price = close
  }
  const file = join(dir, name, 'BTCUSDT.csv')
  mkdirSync(join(dir, name), { recursive: true })
  writeFileSync(file, ['timestamp,open,high,low,close,volume', ...rows.map((r) => `${r.time / 1000},${r.open},${r.high},${r.low},${r.close},${r.volume}`)].join('\n'))
  return { file, rows }
}

/** The candle the API should build from `rows` for the bucket opening at `time`, `minutes` long. */
function bucket(rows: Row[], time: number, minutes: number): Row {
  const inside = rows.filter((r) => r.time >= time && r.time < time + minutes * MINUTE)
  return {
    time,
    open: inside[0]!.open,
    high: Math.max(...inside.map((r) => r.high)),
    low: Math.min(...inside.map((r) => r.low)),
    close: inside.at(-1)!.close,
    volume: +inside.reduce((s, r) => s + r.volume, 0).toFixed(3),
  }
}

let ctx: TestContext | undefined
afterEach(async () => {
  await ctx?.close()
  ctx = undefined
})

async function serve(file: string, start: number) {
  ctx = await createTestContext(
    { RATE_LIMIT_ENABLED: 'false', MARKET_SOURCE: 'csv', MARKET_CSV: file, ML_ENABLED: 'false' },
    { market: (clock) => createReplayMarket({ clock, source: loadCsvSource(file), speed: 60, start }) },
  )
  const token = await ctx.token(['read_market_data'])
  return async (query: string) => {
    const res = await ctx!.call('GET', `/v1/market-data/BTCUSDT/ohlcv?${query}`, { token })
    return { status: res.status, body: await res.json() }
  }
}

describe('MARKET_SOURCE=csv: any whole-minute interval', () => {
  it.each([
    // [file interval, served (each checked bucket by bucket), refused with the reason]
    [3, ['15m', '1h'], [['1m', /finer than that/], ['5m', /not a whole number of 3m candles/]]],
    [120, ['4h', '1d'], [['15m', /finer than that/], ['1h', /finer than that/]]],
    [7, [], [['1d', /not a whole number of 7m candles/], ['5m', /finer than that/]]],
  ] as const)('a %im file: served %j, the rest 400 VALIDATION_FAILED naming interval and what is served', async (step, served, refused) => {
    const n = Math.ceil((3 * 1440) / step) // three days of candles
    const { file, rows } = writeFile(`step-${step}`, step, n)
    const source = loadCsvSource(file)
    expect(source.stepMinutes).toBe(step)
    const get = await serve(file, rows.at(-1)!.time)
    const minutesOf: Record<string, number> = { '15m': 15, '1h': 60, '4h': 240, '1d': 1440 }
    for (const interval of served) {
      const span = minutesOf[interval]!
      const { status, body } = await get(`interval=${interval}&start_time=${T0 / 1000}&limit=1000`)
      expect(status, interval).toBe(200)
      const closed = body.data.filter((k: { closed: boolean }) => k.closed)
      expect(closed.length, interval).toBeGreaterThan(1)
      for (const k of closed) {
        const want = bucket(rows, k.timestamp * 1000, span)
        expect(k, `${interval} at ${new Date(k.timestamp * 1000).toISOString()}`).toEqual({ timestamp: want.time / 1000, open: want.open, high: want.high, low: want.low, close: want.close, volume: want.volume, closed: true })
      }
    }
    for (const [interval, why] of refused) {
      const { status, body } = await get(`interval=${interval}`)
      expect(status, interval).toBe(400)
      expect(body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'interval', value: interval } })
      expect(body.error.details.allowed).toEqual(served.length > 0 ? expect.arrayContaining([...served]) : [])
      expect(body.error.message).toMatch(why)
    }
  })

  it.each([
    ['a 7m candle off the epoch grid', [GRID7, GRID7 + 7 * MINUTE, GRID7 + 15 * MINUTE], 4, /must open on a UTC 7m boundary \(a whole number of 7m since 1970-01-01T00:00Z\)/],
  ] as const)('%s → refused in one line', (_, times, line, problem) => {
    mkdirSync(join(dir, 'bad'), { recursive: true })
    const file = join(dir, 'bad', 'BTCUSDT.csv')
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...times.map((t) => `${new Date(t).toISOString()},1,2,0.5,1.5,1`)].join('\n'))
    let error: CsvSourceError | undefined
    try {
      loadCsvSource(file)
    } catch (e) {
      error = e as CsvSourceError
    }
    expect(error).toBeInstanceOf(CsvSourceError)
    expect(error!.line).toBe(line)
    expect(error!.message).toMatch(problem)
    expect(error!.message.split('\n')).toHaveLength(1)
  })
})

describe('MARKET_SOURCE=csv: the synthesised book and ticker are deterministic', () => {
  /** Replay `file` with `seed` for 40 advances; every book (depth 10) and ticker along the way. */
  function record(file: string, seed: string): unknown[] {
    const clock = new ManualClock(Date.UTC(2026, 0, 1))
    const { rows } = { rows: loadCsvSource(file).series.get('BTCUSDT')! }
    const market = createReplayMarket({ clock, source: loadCsvSource(file), speed: 60, start: rows.time[100]!, seed })
    const out: unknown[] = []
    for (let i = 0; i < 40; i++) {
      out.push({ book: market.orderBook('BTCUSDT', 10), ticker: market.ticker('BTCUSDT') })
      clock.advance(7_000) // 7 minutes of data: candles close and the forming one moves along its path
      market.advance()
    }
    return out
  }

  it('the same file and seed give identical order book and ticker sequences; another seed another book', () => {
    const { file } = writeFile('determinism', 3, 300)
    const a = record(file, '42')
    const b = record(file, '42')
    expect(b).toEqual(a)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    // The sequence moves (it is not one frozen book) …
    expect(new Set(a.map((x) => JSON.stringify(x))).size).toBeGreaterThan(30)
    // … and the seed matters: the books differ, the tickers (from the file's candles) agree on price.
    const c = record(file, '43')
    expect(c.map((x) => (x as { book: unknown }).book)).not.toEqual(a.map((x) => (x as { book: unknown }).book))
    expect(c.map((x) => (x as { ticker: { price: number } }).ticker.price)).toEqual(a.map((x) => (x as { ticker: { price: number } }).ticker.price))
  })
})
