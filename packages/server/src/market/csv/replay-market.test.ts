import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../testing'
import { createReplayMarket, type ReplayMarket } from './replay-market'
import { CsvSourceError, loadCsvSource } from './load-csv'

const dir = mkdtempSync(join(tmpdir(), 'smc-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const HOUR = 3_600_000
const T0 = Date.UTC(2024, 0, 1)

/** 200 hourly BTCUSDT candles from a seeded walk, prices with 2 decimals, volumes with 3; row 50 missing (a gap). */
function writeFile(): { file: string; rows: { time: number; open: number; high: number; low: number; close: number; volume: number }[] } {
  const rows = []
  let price = 42_000
  let seed = 7
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  for (let i = 0; i < 200; i++) {
    const open = price
    const close = +(open * (1 + (rand() - 0.5) * 0.01)).toFixed(2)
    const high = +(Math.max(open, close) * (1 + rand() * 0.003)).toFixed(2)
    const low = +(Math.min(open, close) * (1 - rand() * 0.003)).toFixed(2)
    rows.push({ time: T0 + i * HOUR, open, high, low, close, volume: +(10 + rand() * 50).toFixed(3) })
    price = close
  }
  const kept = rows.filter((_, i) => i !== 50)
  const file = join(dir, 'BTCUSDT.csv')
  writeFileSync(file, ['timestamp,open,high,low,close,volume', ...kept.map((r) => `${new Date(r.time).toISOString()},${r.open},${r.high},${r.low},${r.close},${r.volume}`)].join('\n'))
  return { file, rows }
}

const { file, rows } = writeFile()
const START = rows[150]!.time
let ctx: TestContext
let market: ReplayMarket
let token: string
beforeEach(async () => {
  ctx = await createTestContext(
    { RATE_LIMIT_ENABLED: 'false', MARKET_SOURCE: 'csv', MARKET_CSV: file },
    { market: (clock) => (market = createReplayMarket({ clock, source: loadCsvSource(file), speed: 3600, start: START })) },
  )
  token = await ctx.token(['read_market_data', 'read_trades', 'write_trades'])
})
afterEach(() => ctx.close())

const get = async (path: string) => {
  const res = await ctx.call('GET', path, { token })
  return { status: res.status, body: await res.json() }
}
const ohlcv = async (query: string) => (await get(`/v1/market-data/BTCUSDT/ohlcv?interval=1h&${query}`)).body
/** Move the clock: at speed 3600, one second of clock is one hour of data. */
const tick = (ms: number) => {
  ctx.clock.advance(ms)
  market.advance()
}

describe('MARKET_SOURCE=csv: a replayed file', () => {
  it("serves the file's candles before the replay start exactly, the gap as a flat candle", async () => {
    const { data, next_start_time } = await ohlcv(`start_time=${T0 / 1000}&limit=1000`)
    expect(next_start_time).toBeNull()
    expect(data).toHaveLength(151) // 150 closed candles and the one forming at the replay start
    for (let i = 0; i < 150; i++) {
      const r = rows[i]!
      if (i === 50) {
        const prev = rows[49]!.close
        expect(data[i]).toEqual({ timestamp: r.time / 1000, open: prev, high: prev, low: prev, close: prev, volume: 0, closed: true })
      } else expect(data[i]).toEqual({ timestamp: r.time / 1000, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, closed: true })
    }
    expect(data[150]).toMatchObject({ timestamp: START / 1000, open: rows[150]!.open, closed: false })
  })

  it('finer intervals than the file are refused naming the finest; coarser ones aggregate', async () => {
    const fine = await get('/v1/market-data/BTCUSDT/ohlcv?interval=15m')
    expect(fine.status).toBe(400)
    expect(fine.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'interval', finest: '1h' } })
    const { data } = (await get(`/v1/market-data/BTCUSDT/ohlcv?interval=4h&start_time=${T0 / 1000}&limit=1`)).body
    const first4 = rows.slice(0, 4)
    expect(data[0]).toMatchObject({ open: first4[0]!.open, close: first4[3]!.close, high: Math.max(...first4.map((r) => r.high)), low: Math.min(...first4.map((r) => r.low)) })
  })

  it('replays the following candles as live ticks: closed ones exactly, the forming one along its path', async () => {
    tick(1000)
    const { data } = await ohlcv(`start_time=${START / 1000}&limit=3`)
    const r = rows[150]!
    expect(data[0]).toEqual({ timestamp: r.time / 1000, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, closed: true })
    expect(data[1]).toMatchObject({ timestamp: rows[151]!.time / 1000, open: rows[151]!.open, closed: false })
    tick(500) // half-way through candle 151: the price lies within its range
    const { price } = (await get('/v1/market-data/BTCUSDT')).body
    expect(price).toBeGreaterThanOrEqual(rows[151]!.low)
    expect(price).toBeLessThanOrEqual(rows[151]!.high)
  })

  it('SMC analysis reads the closed candles only, by the data time (not the clock)', async () => {
    const { status, body } = await get('/v1/analytics/smc/BTCUSDT?interval=1h&lookback=200&swing_length=5')
    expect(status).toBe(200)
    expect(body.candles_analyzed).toBe(150) // the 150 closed candles; the one forming at the start is left out
  })

  it('a market order fills at the replayed price', async () => {
    tick(1000)
    const { price } = (await get('/v1/market-data/BTCUSDT')).body
    expect(price).toBe(rows[151]!.open)
    const res = await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 } })
    expect(res.status).toBe(201)
    const order = await res.json()
    expect(order.status).toBe('filled')
    expect(Math.abs(order.average_price - price) / price).toBeLessThan(0.001)
  })

  it('at the end of the data the feed stops: health degraded "replay finished", orders MARKET_CLOSED', async () => {
    tick(60_000) // 60 hours of data: past the last of the 49 candles left
    expect(market.status()).toEqual({ state: 'ended', reason: 'replay finished' })
    const health = await (await ctx.request('/v1/health')).json()
    expect(health.components.market_data).toMatchObject({ status: 'degraded', message: 'replay finished' })
    const { data } = await ohlcv('limit=2')
    expect(data[1]).toMatchObject({ timestamp: rows[199]!.time / 1000, close: rows[199]!.close, closed: true })
    const res = await ctx.call('POST', '/v1/trades', { token, body: { symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: 0.01 } })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 'MARKET_CLOSED', details: { state: 'ended', reason: 'replay finished' } })
  })
})

describe('bad CSV input is refused naming the file, the line and the problem', () => {
  const header = 'timestamp,open,high,low,close,volume'
  const at = (h: number, o = 1, hi = 2, l = 0.5, c = 1.5, v = 1) => `${(T0 + h * HOUR) / 1000},${o},${hi},${l},${c},${v}`
  it.each([
    ['a missing file', null, null, /cannot read: ENOENT/],
    ['an unknown column layout', 'date_utc,o,h,l,c,v\n1,1,1,1,1,1', 1, /missing a time column/],
    ['a non-numeric value', `${header}\n${at(0)}\n${at(1, 1, 2, 0.5, Number.NaN)}`, 3, /unparsable number "NaN" in column "close"/],
    ['high below low', `${header}\n${at(0, 1, 0.4, 0.5)}`, 2, /high 0.4 is below low 0.5/],
    ['times out of order', `${header}\n${at(1)}\n${at(0)}`, 3, /not in ascending time order/],
    ['a duplicated time', `${header}\n${at(0)}\n${at(0)}`, 3, /duplicate time/],
    ['an interval that is not whole minutes', `${header}\n${at(0)}\n${(T0 + 30_000) / 1000},1,2,0.5,1,1`, null, /0\.5 minutes apart; the interval must be a whole number of minutes, at least 1m/],
    ['a candle off its boundary', `${header}\n${(T0 + 60_000) / 1000},1,2,0.5,1,1\n${(T0 + HOUR + 60_000) / 1000},1,2,0.5,1,1`, 2, /must open on a UTC 1h boundary/],
  ])('%s', (_, text, line, problem) => {
    const path = join(dir, `case-${Math.random().toString(36).slice(2)}`, 'BTCUSDT.csv')
    if (text !== null) {
      mkdirSync(join(path, '..'), { recursive: true })
      writeFileSync(path, text)
    }
    let error: CsvSourceError | undefined
    try {
      loadCsvSource(path)
    } catch (e) {
      error = e as CsvSourceError
    }
    expect(error).toBeInstanceOf(CsvSourceError)
    expect(error!.file).toBe(path)
    expect(error!.line).toBe(line)
    expect(error!.message).toMatch(problem)
    expect(error!.message.split('\n')).toHaveLength(1)
    expect(error!.message.startsWith(`${path}${line === null ? '' : `:${line}`}: `)).toBe(true)
  })
})
