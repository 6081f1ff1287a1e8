import { describe, expect, it } from 'vitest'
import { runIndicator, type IndicatorParams } from '../cli/run-indicator'
import { eurusdCandles, readVectorText } from '../testing/vectors'
import { formatFloat32, formatFloat64, writeIndicatorCsv, writeResultCsv, type ReferenceIndicator } from './write-result'

describe('number formatting (expected strings produced by numpy 2 astype(str))', () => {
  it('float64 as Python repr', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [153, '153.0'],
      [0.97312, '0.97312'],
      [1e-5, '1e-05'],
      [1.2345678901234567e16, '1.2345678901234568e+16'],
      [1e16, '1e+16'],
      [1e15, '1000000000000000.0'],
      [-0, '-0.0'],
      [0, '0.0'],
      [0.1 + 0.2, '0.30000000000000004'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [123456.789e-10, '1.23456789e-05'],
      [0.0001, '0.0001'],
      [-2.5, '-2.5'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [NaN, ''],
    ]
    for (const [v, s] of cases) expect(formatFloat64(v), String(v)).toBe(s)
  })

  it('float32 as numpy float32 str (exponent from 1e6, ties to even)', () => {
    const cases: [number, string][] = [
      [0.97345555, '0.97345555'],
      [44.396366, '44.396366'],
      [46568.453, '46568.453'],
      [24243, '24243.0'],
      [1e6, '1e+06'],
      [999999.94, '999999.94'],
      [1e-4, '1e-04'], // float32(1e-4) is just below 1e-4
      [0.00012, '0.00012'],
      [2897816.25, '2.8978162e+06'], // exact tie between ...2 and ...3: even wins
      [16777216, '1.6777216e+07'],
      [3.4e38, '3.4e+38'],
      [1e-45, '1e-45'],
      [-0.5, '-0.5'],
      [-1234567, '-1.234567e+06'],
      [2 ** -126, '1.1754944e-38'],
      [2 ** 100, '1.2676506e+30'],
      [0.1, '0.1'],
      [0, '0.0'],
      [NaN, ''],
    ]
    for (const [v, s] of cases) expect(formatFloat32(v), String(v)).toBe(s)
  })

  it('float32 shortest digits always read back as the same float32', () => {
    let seed = 12345
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let i = 0; i < 20_000; i++) {
      const v = Math.fround((rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 8))
      const s = formatFloat32(v)
      expect(Math.fround(Number(s))).toBe(v)
    }
  })
})

describe('writeResultCsv', () => {
  it('writes header, rows, NaN as empty cell and a final newline', () => {
    const csv = writeResultCsv([
      { name: 'A', dtype: 'float64', values: [NaN, 1] },
      { name: 'B', dtype: 'float32', values: [0.1, NaN] },
      { name: 'C', dtype: 'int32', values: [0, -3] },
    ])
    expect(csv).toBe('A,B,C\n,0.1,0\n1.0,,-3\n')
  })

  it('rejects ragged columns and unknown result keys', () => {
    expect(() => writeResultCsv([{ name: 'A', dtype: 'int32', values: [1] }, { name: 'B', dtype: 'int32', values: [] }])).toThrow(/rows/)
    expect(() => writeIndicatorCsv('fvg', { fvg: [] })).toThrow(/top/)
  })
})

// Each reference file, with the call that produced it (README of the vectors).
const FILES: [string, ReferenceIndicator, IndicatorParams][] = [
  ['swing_highs_lows_result_data.csv', 'swing_highs_lows', { swingLength: 5 }],
  ['fvg_result_data.csv', 'fvg', { joinConsecutive: false }],
  ['fvg_consecutive_result_data.csv', 'fvg', { joinConsecutive: true }],
  ['bos_choch_result_data.csv', 'bos_choch', { closeBreak: true }],
  ['ob_result_data.csv', 'ob', { closeMitigation: false }],
  ['liquidity_result_data.csv', 'liquidity', { rangePercent: 0.01 }],
  ['previous_high_low_result_data_4h.csv', 'previous_high_low', { timeFrame: '4h' }],
  ['previous_high_low_result_data_1D.csv', 'previous_high_low', { timeFrame: '1D' }],
  ['previous_high_low_result_data_W.csv', 'previous_high_low', { timeFrame: 'W' }],
  ['sessions_result_data.csv', 'sessions', { session: 'London' }],
  ['retracements_result_data.csv', 'retracements', {}],
]

/** First differing line, for a readable failure instead of a 300 kB diff. */
function firstDiff(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined
  const a = actual.split('\n')
  const e = expected.split('\n')
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}: expected ${JSON.stringify(e[i])}, got ${JSON.stringify(a[i])}`
  }
  return 'differs'
}

describe('CSV output is byte-identical to the reference files', () => {
  for (const [file, indicator, params] of FILES) {
    it(file, () => {
      const csv = writeIndicatorCsv(indicator, runIndicator(indicator, eurusdCandles(), params))
      const expected = readVectorText(file)
      expect(firstDiff(csv, expected)).toBeUndefined()
      expect(Buffer.from(csv).equals(Buffer.from(expected))).toBe(true)
    })
  }
})
