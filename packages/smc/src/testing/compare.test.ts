import { describe, expect, it } from 'vitest'
import { expectColumnsMatch, findFirstMismatch } from './compare'

describe('expectColumnsMatch', () => {
  it('treats NaN as equal to NaN and null as NaN', () => {
    expectColumnsMatch('x', { A: [1, Number.NaN, null] }, { A: Float64Array.from([1, Number.NaN, Number.NaN]) })
  })

  it('accepts values within relative tolerance 1e-9 and rejects beyond it', () => {
    expectColumnsMatch('x', { A: [1000 * (1 + 5e-10)] }, { A: [1000] })
    expect(findFirstMismatch('x', { A: [1000 * (1 + 2e-9)] }, { A: [1000] })).toMatchObject({ column: 'A', row: 0 })
  })

  it('compares float32 columns through Math.fround', () => {
    // 0.97345555 is the CSV text of a float32 value; the double 0.9734555555 rounds to the same float32.
    expectColumnsMatch('x', { L: [0.9734555555] }, { L: [0.97345555] }, { float32Columns: ['L'] })
  })

  it('reports the first mismatch with indicator, column, row and both values', () => {
    expect(() =>
      expectColumnsMatch('ob', { A: [1, 2, 3], B: [1, 5, 9] }, { A: [1, 2, 3], B: [1, 2, 3] }),
    ).toThrow('ob: first mismatch in column B at row 1: expected 2, actual 5')
  })

  it('maps CSV column names to camelCase actual names', () => {
    expectColumnsMatch('x', { highLow: [1] }, { HighLow: [1] }, { columnMap: { HighLow: 'highLow' } })
    expect(() => expectColumnsMatch('x', { a: [1] }, { HighLow: [1] })).toThrow(/missing actual column "HighLow"/)
  })

  it('reports length differences', () => {
    expect(() => expectColumnsMatch('x', { A: [1] }, { A: [1, 2] })).toThrow(/length 1 !== expected 2/)
  })
})
