import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import {
  annualVolatilityFromRange,
  canonicalSymbol,
  findSpotMarket,
  instrumentFromMarket,
  PRECISION_MODE,
  stepFromPrecision,
  type MarketLike,
} from './instrument'

const market = (over: Partial<MarketLike>): MarketLike => ({
  id: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  spot: true,
  active: true,
  precision: { price: 0.01, amount: 0.00001 },
  limits: { amount: { min: 0.00001 }, cost: { min: 5 } },
  ...over,
})

describe('ccxt market → instrument', () => {
  it('uses ccxt’s precision-mode constants', () => {
    const constants = ccxt as unknown as Record<string, number>
    expect(PRECISION_MODE).toEqual({
      DECIMAL_PLACES: constants.DECIMAL_PLACES,
      SIGNIFICANT_DIGITS: constants.SIGNIFICANT_DIGITS,
      TICK_SIZE: constants.TICK_SIZE,
    })
    expect(new ccxt.binance().precisionMode).toBe(PRECISION_MODE.TICK_SIZE)
  })

  it('reads tick and lot in TICK_SIZE and DECIMAL_PLACES modes alike', () => {
    const tick = instrumentFromMarket('BTCUSDT', market({}), PRECISION_MODE.TICK_SIZE, { last: 97_000 })
    const decimals = instrumentFromMarket('BTCUSDT', market({ precision: { price: 2, amount: 5 } }), PRECISION_MODE.DECIMAL_PLACES, { last: 97_000 })
    for (const inst of [tick, decimals]) {
      expect(inst).toMatchObject({ tickSize: 0.01, lotSize: 0.00001, pricePrecision: 2, quantityPrecision: 5, minQuantity: 0.00001, minNotional: 5 })
    }
    expect(stepFromPrecision(8, PRECISION_MODE.DECIMAL_PLACES)).toBe(1e-8)
    expect(stepFromPrecision(0, PRECISION_MODE.DECIMAL_PLACES)).toBe(1)
    expect(stepFromPrecision(0.5, PRECISION_MODE.TICK_SIZE)).toBe(0.5)
  })

  it('derives the tick from the price in SIGNIFICANT_DIGITS mode', () => {
    // 5 significant digits at 97,000 → steps of 1; at 0.4512 → 0.00001.
    expect(stepFromPrecision(5, PRECISION_MODE.SIGNIFICANT_DIGITS, 97_000)).toBe(1)
    expect(stepFromPrecision(5, PRECISION_MODE.SIGNIFICANT_DIGITS, 0.4512)).toBe(0.00001)
    const inst = instrumentFromMarket('XRPUSD', market({ precision: { price: 5, amount: 1 } }), PRECISION_MODE.SIGNIFICANT_DIGITS, { last: 0.4512 })
    expect(inst).toMatchObject({ tickSize: 0.00001, pricePrecision: 5, lotSize: 0.1, quantityPrecision: 1 })
  })

  it('rounds the minimum quantity up to the lot, falls back to one lot and to no minimum notional', () => {
    expect(instrumentFromMarket('X', market({ precision: { price: 0.01, amount: 0.001 }, limits: { amount: { min: 0.0025 } } }), 4).minQuantity).toBe(0.003)
    expect(instrumentFromMarket('X', market({ precision: { price: 0.01, amount: 0.1 }, limits: { amount: { min: 0.3 } } }), 4).minQuantity).toBe(0.3)
    const bare = instrumentFromMarket('X', market({ limits: {} }), 4)
    expect(bare).toMatchObject({ minQuantity: 0.00001, minNotional: 0, initialPrice: 0, annualVolatility: 0 })
    expect(bare.dailyQuoteVolume).toBeUndefined()
  })

  it('refuses a market without a price precision, naming it', () => {
    expect(() => instrumentFromMarket('BTCUSDT', market({ precision: { amount: 0.1 } }), 4, {}, 'kraken')).toThrow(
      'kraken gives no price precision for BTC/USDT (BTCUSDT)',
    )
  })

  it('estimates annual volatility from the 24 h range (Parkinson)', () => {
    expect(annualVolatilityFromRange(102, 98)).toBeCloseTo((Math.log(102 / 98) / Math.sqrt(4 * Math.LN2)) * Math.sqrt(365), 3)
    expect(annualVolatilityFromRange(undefined, 98)).toBe(0)
    expect(annualVolatilityFromRange(100, 100)).toBe(0)
  })
})

describe('canonical symbol ↔ ccxt unified market', () => {
  const markets: MarketLike[] = [
    market({ id: 'BTCUSDT', symbol: 'BTC/USDT:USDT', spot: false }),
    market({}),
    market({ id: 'XXBTZUSD', symbol: 'BTC/USD', base: 'BTC', quote: 'USD' }),
    market({ id: 'ETH-USDT', symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT' }),
  ]

  it('matches on the exchange id first, then on base+quote; spot only', () => {
    expect(findSpotMarket('BTCUSDT', markets)?.symbol).toBe('BTC/USDT')
    expect(findSpotMarket('BTCUSD', markets)?.symbol).toBe('BTC/USD')
    expect(findSpotMarket('ETHUSDT', markets)?.symbol).toBe('ETH/USDT')
    expect(findSpotMarket('XXBTZUSD', markets)?.symbol).toBe('BTC/USD')
    expect(findSpotMarket('DOGEUSDT', markets)).toBeUndefined()
    expect(findSpotMarket('BTCUSDT', [markets[0]!])).toBeUndefined()
  })

  it('normalises how symbols are written', () => {
    expect(canonicalSymbol('btc/usdt')).toBe('BTCUSDT')
    expect(canonicalSymbol('BTC-USDT')).toBe('BTCUSDT')
    expect(canonicalSymbol('BTCUSDT')).toBe('BTCUSDT')
  })
})
