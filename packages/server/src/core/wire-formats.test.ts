import { describe, expect, it } from 'vitest'
import { parseDecimal, parseIsoDateTime } from './wire-formats'

describe('parseDecimal', () => {
  it('reads plain decimal digits', () => {
    expect(parseDecimal('42', true)).toBe(42)
    expect(parseDecimal('-7', true)).toBe(-7)
    expect(parseDecimal('0.25', false)).toBe(0.25)
    expect(parseDecimal('007', true)).toBe(7)
  })
  it.each(['', ' ', ' 1', '1 ', '1e3', '0x10', '+1', '1.', '.5', 'NaN', 'Infinity', '1_000', '١٢'])('refuses %j', (text) => {
    expect(parseDecimal(text, false)).toBeUndefined()
    expect(parseDecimal(text, true)).toBeUndefined()
  })
  it('an integer has no decimal point', () => {
    expect(parseDecimal('1.0', true)).toBeUndefined()
    expect(parseDecimal('1.0', false)).toBe(1)
  })
})

describe('parseIsoDateTime', () => {
  it.each([
    ['2026-11-06T22:56:19Z', '2026-11-06T22:56:19.000Z'],
    ['2026-11-06T22:56:19.858731', '2026-11-06T22:56:19.858Z'],
    ['2026-11-06T22:56:19.123456789Z', '2026-11-06T22:56:19.123Z'],
    ['2026-11-06T22:56:19.5', '2026-11-06T22:56:19.500Z'],
    ['2026-11-06', '2026-11-06T00:00:00.000Z'],
    ['2026-11-06T22:56', '2026-11-06T22:56:00.000Z'],
    ['2026-11-06 22:56:19', '2026-11-06T22:56:19.000Z'],
    ['2026-11-06T22:56:19+02:00', '2026-11-06T20:56:19.000Z'],
    ['2026-11-06T22:56:19-0530', '2026-11-07T04:26:19.000Z'],
    ['2026-11-06T01:00:00+02', '2026-11-05T23:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['0050-01-01', '0050-01-01T00:00:00.000Z'],
  ])('%s → %s', (text, iso) => expect(parseIsoDateTime(text)).toBe(iso))

  it.each(['', 'yesterday', '2026-02-30', '2025-02-29', '2026-13-01', '2026-11-06T24:00:00', '2026-11-06T22:60', '2026-11-06T22:56:19+25:00', '2026-11-06T', '1700000000', '2026-11-6', '2026-11-06T22:56:19.1234567890'])(
    'refuses %j',
    (text) => expect(parseIsoDateTime(text)).toBeUndefined(),
  )
})
