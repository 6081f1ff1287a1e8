import { describe, expect, it } from 'vitest'
import { DEFAULT_INSTRUMENTS } from './instruments'
import { decimalsOf, isOnStep, isOnTick } from './precision'

describe('DEFAULT_INSTRUMENTS', () => {
  it('lists the six USDT pairs', () => {
    expect(DEFAULT_INSTRUMENTS.map((i) => i.symbol)).toEqual([
      'BTCUSDT',
      'ETHUSDT',
      'SOLUSDT',
      'BNBUSDT',
      'XRPUSDT',
      'ADAUSDT',
    ])
  })

  it.each(DEFAULT_INSTRUMENTS.map((i) => [i.symbol, i] as const))('%s has self-consistent rules', (_, inst) => {
    expect(inst.baseAsset + inst.quoteAsset).toBe(inst.symbol)
    expect(inst.pricePrecision).toBe(decimalsOf(inst.tickSize))
    expect(inst.quantityPrecision).toBe(decimalsOf(inst.lotSize))
    expect(isOnTick(inst.initialPrice, inst.tickSize)).toBe(true)
    expect(isOnStep(inst.minQuantity, inst.lotSize)).toBe(true)
    expect(inst.minNotional).toBeGreaterThan(0)
    // A tick is a small fraction of the price, so the walk is not visibly quantised.
    expect(inst.tickSize / inst.initialPrice).toBeLessThan(5e-4)
  })

  it('gives BTC the lowest volatility, around 60 %', () => {
    const btc = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!
    expect(btc.annualVolatility).toBeCloseTo(0.6, 5)
    for (const i of DEFAULT_INSTRUMENTS) if (i !== btc) expect(i.annualVolatility).toBeGreaterThan(0.6)
  })

  it('is immutable', () => {
    expect(Object.isFrozen(DEFAULT_INSTRUMENTS)).toBe(true)
    expect(Object.isFrozen(DEFAULT_INSTRUMENTS[0])).toBe(true)
  })
})
