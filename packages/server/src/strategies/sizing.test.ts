import { describe, expect, it } from 'vitest'
import { DEFAULT_INSTRUMENTS } from '../market'
import { positionSize, roundPriceToTick } from './sizing'

const BTC = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!
const XRP = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'XRPUSDT')!
const lot = (lotSize: number, minQuantity = lotSize) => ({ lotSize, minQuantity })

describe('positionSize', () => {
  it('risks equity × riskFraction over the stop distance', () => {
    expect(positionSize({ equity: 10_000, riskFraction: 0.01, entry: 100, stop: 98, instrument: lot(0.001) })).toBe(50)
    // Short: the stop is above the entry; the distance is absolute.
    expect(positionSize({ equity: 10_000, riskFraction: 0.01, entry: 98, stop: 100, instrument: lot(0.001) })).toBe(50)
  })

  it('truncates toward zero to the lot (never more risk than asked)', () => {
    // 10_000 × 0.02 / 3 = 66.666… → 66.666 at lot 0.001
    expect(positionSize({ equity: 10_000, riskFraction: 0.02, entry: 103, stop: 100, instrument: lot(0.001) })).toBe(66.666)
    // 1000 × 0.01 / 1500 = 0.0066666… BTC lot 0.00001 → 0.00666
    expect(positionSize({ equity: 1000, riskFraction: 0.01, entry: 65_000, stop: 63_500, instrument: BTC })).toBe(0.00666)
    // XRP lot 0.1: 500 × 0.01 / 0.0123 = 406.5… → 406.5
    expect(positionSize({ equity: 500, riskFraction: 0.01, entry: 0.55, stop: 0.5377, instrument: XRP })).toBe(406.5)
    // Float noise at an exact multiple does not drop a lot: 0.3 / 1 with lot 0.1
    expect(positionSize({ equity: 3, riskFraction: 0.1, entry: 2, stop: 1, instrument: lot(0.1) })).toBe(0.3)
  })

  it('is 0 below the minimum quantity, at a zero stop distance, or on bad input', () => {
    expect(positionSize({ equity: 100, riskFraction: 0.01, entry: 100, stop: 99, instrument: lot(0.1, 2) })).toBe(0) // 1 < 2
    expect(positionSize({ equity: 100, riskFraction: 0.01, entry: 100, stop: 99, instrument: lot(0.1, 1) })).toBe(1)
    expect(positionSize({ equity: 100, riskFraction: 0.01, entry: 10, stop: 10, instrument: lot(0.001) })).toBe(0)
    expect(positionSize({ equity: 0.001, riskFraction: 0.01, entry: 100, stop: 99, instrument: lot(0.001) })).toBe(0) // 1e-5 floors to 0
    expect(positionSize({ equity: -5, riskFraction: 0.01, entry: 100, stop: 99, instrument: lot(0.001) })).toBe(0)
    expect(positionSize({ equity: 100, riskFraction: 0, entry: 100, stop: 99, instrument: lot(0.001) })).toBe(0)
    expect(positionSize({ equity: 100, riskFraction: 0.01, entry: Number.NaN, stop: 99, instrument: lot(0.001) })).toBe(0)
    expect(positionSize({ equity: 100, riskFraction: 0.01, entry: Infinity, stop: 99, instrument: lot(0.001) })).toBe(0)
  })
})

describe('roundPriceToTick', () => {
  it('rounds down, up or to the nearest tick, returning canonical decimals', () => {
    expect(roundPriceToTick(101.237, 0.01, 'down')).toBe(101.23)
    expect(roundPriceToTick(101.231, 0.01, 'up')).toBe(101.24)
    expect(roundPriceToTick(101.235001, 0.01)).toBe(101.24)
    expect(roundPriceToTick(0.1 + 0.2, 0.1, 'nearest')).toBe(0.3)
    // An exact multiple stays put despite float noise, in both directions.
    expect(roundPriceToTick(0.1 + 0.2, 0.1, 'down')).toBe(0.3)
    expect(roundPriceToTick(0.7 * 3, 0.1, 'up')).toBe(2.1)
    expect(roundPriceToTick(0.55123, 0.0001, 'down')).toBe(0.5512)
  })
})
