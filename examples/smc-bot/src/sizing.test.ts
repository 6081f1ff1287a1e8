import type { Instrument } from 'smc-trading-sdk'
import { describe, expect, it } from 'vitest'
import { positionSize, toTick } from './sizing'

const btc: Instrument = {
  symbol: 'BTCUSDT',
  base_asset: 'BTC',
  quote_asset: 'USDT',
  tick_size: 0.01,
  lot_size: 0.00001,
  min_quantity: 0.00001,
  min_notional: 5,
  price_precision: 2,
  quantity_precision: 5,
}
const xrp: Instrument = { ...btc, symbol: 'XRPUSDT', tick_size: 0.0001, lot_size: 0.1, min_quantity: 0.1, price_precision: 4, quantity_precision: 1 }

describe('positionSize', () => {
  it('puts the share of the balance into the position, rounded down to the lot size', () => {
    expect(positionSize(10_000, 0.02, 65_000, btc)).toBe(0.00307)
    expect(positionSize(10_000, 0.02, 0.5761, xrp)).toBe(347.1)
    // 3 × 0.1 is 0.30000000000000004 and 0.3 / 0.1 is 2.9999999999999996 in binary floats: still 3 lots.
    expect(positionSize(3, 0.1, 1, { ...xrp, min_notional: 0 })).toBe(0.3)
    expect(positionSize(60, 0.1, 1, { ...xrp, min_notional: 5 })).toBe(6)
  })

  it('is 0 below the minimum quantity or notional, or without balance', () => {
    expect(positionSize(100, 0.02, 65_000, btc)).toBe(0) // 2 USDT < min notional 5
    expect(positionSize(10, 0.001, 65_000, btc)).toBe(0) // below one lot
    expect(positionSize(0, 0.02, 65_000, btc)).toBe(0)
    expect(positionSize(-5, 0.02, 65_000, btc)).toBe(0)
  })
})

describe('toTick', () => {
  it('rounds a price below the reference down and one above it up, onto the tick grid', () => {
    expect(toTick(63_700.123, btc, 65_000)).toBe(63_700.12)
    expect(toTick(68_900.121, btc, 65_000)).toBe(68_900.13)
    expect(toTick(0.56457, xrp, 0.5761)).toBe(0.5645)
    expect(toTick(0.61067, xrp, 0.5761)).toBe(0.6107)
    // Already on the grid: unchanged, whatever the float noise of the multiplication.
    expect(toTick(65_000 * 0.98, btc, 65_000)).toBe(63_700)
    expect(toTick(0.1 + 0.2, { ...xrp, tick_size: 0.1, price_precision: 1 }, 1)).toBe(0.3)
  })
})
