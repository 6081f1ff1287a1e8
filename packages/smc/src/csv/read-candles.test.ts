import { describe, expect, it } from 'vitest'
import { CsvInputError, parseCandleTime, readCandleCsv, readCandlesCsv } from './read-candles'

const T = Date.UTC(2024, 0, 1)

describe('candle times', () => {
  it.each([
    ['1704067200', T],
    ['1704067200000', T],
    ['2024-01-01T00:00:00Z', T],
    ['2024-01-01 00:00:00', T],
    ['2024-01-01T01:00:00+01:00', T],
    ['2024.01.01 00:00:00', T],
    ['2024-01-01', T],
    ['2024-01-01T00:00:00.500Z', T + 500],
  ])('%s', (text, ms) => expect(parseCandleTime(text)).toBe(ms))
  it.each(['', 'x', '2024-02-30', '1e9', '-5'])('refuses %j', (text) => expect(parseCandleTime(text)).toBeNaN())
})

describe('readCandleCsv', () => {
  const row = (t: number, o = 1, h = 2, l = 0.5, c = 1.5, v = 10) => `${t / 1000},${o},${h},${l},${c},${v}`
  it('reads timestamp,open,high,low,close,volume', () => {
    const { series } = readCandleCsv(`timestamp,open,high,low,close,volume\n${row(T)}\n${row(T + 60_000, 1.5, 3, 1, 2, 7)}\n`)
    const c = series.get(null)!
    expect([...c.time]).toEqual([T, T + 60_000])
    expect([c.open[1], c.high[1], c.low[1], c.close[1], c.volume[1]]).toEqual([1.5, 3, 1, 2, 7])
  })
  it('groups by a symbol column, each in its own order', () => {
    const { series } = readCandleCsv(`symbol,time,open,high,low,close,volume\nbtcusdt,${T / 1000},1,2,0.5,1,1\nETHUSDT,${T / 1000},3,4,2,3,1\nBTCUSDT,${T / 1000 + 60},1,2,0.5,1,1\n`)
    expect([...series.keys()]).toEqual(['BTCUSDT', 'ETHUSDT'])
    expect(series.get('BTCUSDT')!.time.length).toBe(2)
  })
  it.each([
    ['open,high,low,close,volume\n1,2,0,1,1', 1, 'missing a time column'],
    [`timestamp,open,high,low,close\n${T / 1000},1,2,0,1`, 1, 'missing column "volume"'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},1,2,0,abc,1`, 2, 'unparsable number "abc" in column "close"'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},1,1,2,1,1`, 2, 'high 1 is below low 2'],
    [`timestamp,open,high,low,close,volume\n${T / 1000 + 60},1,2,0.5,1,1\n${T / 1000},1,2,0.5,1,1`, 3, 'not in ascending time order'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},1,2,0.5,1,1\n${T / 1000},1,2,0.5,1,1`, 3, 'duplicate time'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},3,2,1,1.5,1`, 2, 'open 3 is above high 2'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},0.5,2,1,1.5,1`, 2, 'open 0.5 is below low 1'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},1.5,2,1,2.5,1`, 2, 'close 2.5 is above high 2'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},1.5,2,1,0.9,1`, 2, 'close 0.9 is below low 1'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},1,2,0,1,1`, 2, 'low 0 is not a positive price'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},-1,-0.5,-2,-1,1`, 2, 'open -1 is not a positive price'],
    [`timestamp,open,high,low,close,volume\n${T / 1000},1,2,0.5,1,-3`, 2, 'volume -3 is negative'],
    ['timestamp,open,high,low,close,volume\nyesterday,1,2,0,1,1', 2, 'unparsable time "yesterday"'],
  ])('%#: refuses naming the line', (text, line, what) => {
    const e = (() => {
      try {
        readCandleCsv(text)
      } catch (err) {
        return err as CsvInputError
      }
    })()
    expect(e).toBeInstanceOf(CsvInputError)
    expect(e!.line).toBe(line)
    expect(e!.message).toContain(what)
  })
  it('takes flat candles and zero volume: equal values are real data', () => {
    const c = readCandlesCsv(`timestamp,open,high,low,close,volume\n${T / 1000},1,1,1,1,0\n${T / 1000 + 60},1,2,1,2,0\n${T / 1000 + 120},2,2,1,1,5`)
    expect([...c.close]).toEqual([1, 2, 1])
    expect([...c.volume]).toEqual([0, 0, 5])
  })
  it('readCandlesCsv refuses several symbols', () => {
    expect(() => readCandlesCsv(`symbol,time,open,high,low,close,volume\nA1,1,1,1,1,1,1\nB1,1,1,1,1,1,1`)).toThrow(/2 symbols/)
  })
})
