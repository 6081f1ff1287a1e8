/** Trading rules and simulation parameters of one spot pair. */
export interface Instrument {
  /** Exchange symbol, e.g. `BTCUSDT`. */
  symbol: string
  baseAsset: string
  quoteAsset: string
  /** Price increment; every price is a multiple of it. */
  tickSize: number
  /** Quantity increment; every quantity is a multiple of it. */
  lotSize: number
  /** Smallest order quantity (a multiple of `lotSize`). */
  minQuantity: number
  /** Smallest order value in the quote asset (price × quantity). */
  minNotional: number
  /** Decimals of `tickSize`. */
  pricePrecision: number
  /** Decimals of `lotSize`. */
  quantityPrecision: number
  /** Price the simulated market starts its history from. */
  initialPrice: number
  /** Annualised volatility of log returns (0.6 = 60 %), driving the simulated random walk. */
  annualVolatility: number
  /**
   * Typical 24 h turnover in the quote asset. Simulated sources scale traded volume and order-book
   * depth from it; optional because other sources (replay, live exchanges) have real volume.
   */
  dailyQuoteVolume?: number
}

/** Shared trading rules of the USDT pairs below (Binance-like). */
const usdt = (
  base: string,
  tickSize: number,
  lotSize: number,
  pricePrecision: number,
  quantityPrecision: number,
  initialPrice: number,
  annualVolatility: number,
  dailyQuoteVolume: number,
): Instrument =>
  Object.freeze({
    symbol: `${base}USDT`,
    baseAsset: base,
    quoteAsset: 'USDT',
    tickSize,
    lotSize,
    minQuantity: lotSize,
    minNotional: 5,
    pricePrecision,
    quantityPrecision,
    initialPrice,
    annualVolatility,
    dailyQuoteVolume,
  })

/**
 * The instruments of the embedded simulated market. Volatilities follow recent realised levels
 * (BTC lowest, smaller caps higher), volumes their rough relative spot turnover.
 */
export const DEFAULT_INSTRUMENTS: readonly Instrument[] = Object.freeze([
  usdt('BTC', 0.01, 0.00001, 2, 5, 65_000, 0.6, 1_500_000_000),
  usdt('ETH', 0.01, 0.0001, 2, 4, 3_200, 0.7, 800_000_000),
  usdt('SOL', 0.01, 0.001, 2, 3, 150, 0.9, 300_000_000),
  usdt('BNB', 0.01, 0.001, 2, 3, 580, 0.65, 100_000_000),
  usdt('XRP', 0.0001, 0.1, 4, 1, 0.55, 0.85, 150_000_000),
  usdt('ADA', 0.0001, 0.1, 4, 1, 0.45, 0.85, 60_000_000),
])

export { roundToTick, floorToStep, isOnTick, isOnStep } from './precision'

/** Validate and freeze instrument definitions (unique symbols, positive sizes and prices). */
export function freezeInstruments(instruments: readonly Instrument[]): Instrument[] {
  const seen = new Set<string>()
  return instruments.map((inst) => {
    if (seen.has(inst.symbol)) throw new Error(`duplicate instrument ${inst.symbol}`)
    seen.add(inst.symbol)
    for (const key of ['tickSize', 'lotSize', 'initialPrice'] as const) {
      if (!(inst[key] > 0)) throw new RangeError(`${inst.symbol}: ${key} must be positive`)
    }
    if (!(inst.annualVolatility >= 0)) throw new RangeError(`${inst.symbol}: annualVolatility must be ≥ 0`)
    return Object.freeze({ ...inst })
  })
}
