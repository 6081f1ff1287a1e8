import type { Instrument } from '../../instruments'
import { decimalsOf, gridOf } from '../../precision'

/**
 * ccxt's precision modes (`exchange.precisionMode`), the values of ccxt's own `DECIMAL_PLACES`,
 * `SIGNIFICANT_DIGITS` and `TICK_SIZE` constants (a test checks they still match). Repeated here so
 * this module needs no runtime import of ccxt.
 */
export const PRECISION_MODE = Object.freeze({ DECIMAL_PLACES: 2, SIGNIFICANT_DIGITS: 3, TICK_SIZE: 4 })

/** The part of a ccxt unified market this feed reads. */
export interface MarketLike {
  id: string
  symbol: string
  base: string
  quote: string
  spot?: boolean
  active?: boolean
  precision?: { price?: number; amount?: number }
  limits?: { amount?: { min?: number }; cost?: { min?: number } }
}

/** 24 h statistics used to fill the simulation-oriented fields of an {@link Instrument}. */
export interface MarketStats {
  /** Last traded price. */
  last?: number
  high?: number
  low?: number
  /** 24 h turnover in the quote asset. */
  quoteVolume?: number
}

/** Canonical form of a symbol: `btc/usdt`, `BTC-USDT` and `BTCUSDT` all become `BTCUSDT`. */
export function canonicalSymbol(symbol: string): string {
  return symbol.replace(/[^A-Za-z0-9]/g, '').toUpperCase()
}

/**
 * The spot market a canonical symbol (`BTCUSDT`) names: the one whose exchange id is the symbol, else
 * the one whose base + quote spell it (`BTC` + `USDT`). Undefined when there is none.
 */
export function findSpotMarket(
  canonical: string,
  markets: Iterable<MarketLike>,
): MarketLike | undefined {
  const spot = [...markets].filter((m) => m.spot !== false)
  return (
    spot.find((m) => canonicalSymbol(m.id) === canonical) ??
    spot.find((m) => `${m.base}${m.quote}`.toUpperCase() === canonical)
  )
}

/**
 * A price or quantity step from a ccxt precision value. In TICK_SIZE mode (binance and most
 * exchanges in ccxt 4) the value is the step itself; in DECIMAL_PLACES mode it counts decimals;
 * SIGNIFICANT_DIGITS mode counts significant digits, so the step depends on the magnitude of
 * `reference` (the current price for prices; quantities fall back to the decimals reading).
 */
export function stepFromPrecision(
  value: number | undefined,
  precisionMode: number,
  reference?: number,
): number | undefined {
  if (value === undefined || value === null || !Number.isFinite(value) || value < 0) return undefined
  if (precisionMode === PRECISION_MODE.TICK_SIZE) return value > 0 ? value : undefined
  if (precisionMode === PRECISION_MODE.SIGNIFICANT_DIGITS && reference !== undefined && reference > 0) {
    const magnitude = Math.floor(Math.log10(reference))
    return Number(`1e${magnitude - Math.round(value) + 1}`)
  }
  // DECIMAL_PLACES (and the fallback): 10^-decimals, written so the double is the exact decimal.
  return Number(`1e${-Math.round(value)}`)
}

/** Smallest multiple of `step` that is ≥ `value` (integer arithmetic on the step's grid). */
function ceilToStep(value: number, step: number): number {
  const { scale, units } = gridOf(step)
  const steps = Math.ceil(Math.round(value * scale * 1e6) / 1e6 / units)
  return (steps * units) / scale
}

/**
 * Parkinson's estimate of annualised volatility from one day's high and low:
 * σ_day = ln(H / L) / √(4 ln 2), × √365 (crypto trades every day). 0 when the range is unknown.
 */
export function annualVolatilityFromRange(high?: number, low?: number): number {
  if (!(high !== undefined && low !== undefined && high > 0 && low > 0 && high >= low)) return 0
  const daily = Math.log(high / low) / Math.sqrt(4 * Math.LN2)
  return Math.round(daily * Math.sqrt(365) * 1e4) / 1e4
}

/**
 * Our {@link Instrument} for a ccxt market: tick and lot from `market.precision` (read per the
 * exchange's precision mode), minimum quantity from `limits.amount.min` (rounded up to the lot, at
 * least one lot), minimum notional from `limits.cost.min` (else 0). The simulation-oriented fields
 * come from the 24 h statistics: `initialPrice` = last price, `dailyQuoteVolume` = 24 h quote
 * volume, `annualVolatility` = Parkinson's estimate from the 24 h range.
 */
export function instrumentFromMarket(
  canonical: string,
  market: MarketLike,
  precisionMode: number,
  stats: MarketStats = {},
  exchange = 'exchange',
): Instrument {
  const last = stats.last !== undefined && stats.last > 0 ? stats.last : undefined
  const tickSize = stepFromPrecision(market.precision?.price, precisionMode, last)
  const lotSize = stepFromPrecision(market.precision?.amount, precisionMode === PRECISION_MODE.SIGNIFICANT_DIGITS ? PRECISION_MODE.DECIMAL_PLACES : precisionMode)
  if (tickSize === undefined || lotSize === undefined) {
    throw new Error(
      `${exchange} gives no ${tickSize === undefined ? 'price' : 'amount'} precision for ${market.symbol} (${canonical})`,
    )
  }
  const minAmount = market.limits?.amount?.min
  const minQuantity = minAmount !== undefined && minAmount !== null && minAmount > lotSize ? ceilToStep(minAmount, lotSize) : lotSize
  const minCost = market.limits?.cost?.min
  const instrument: Instrument = {
    symbol: canonical,
    baseAsset: market.base,
    quoteAsset: market.quote,
    tickSize,
    lotSize,
    minQuantity,
    minNotional: minCost !== undefined && minCost !== null && minCost > 0 ? minCost : 0,
    pricePrecision: decimalsOf(tickSize),
    quantityPrecision: decimalsOf(lotSize),
    initialPrice: last ?? 0,
    annualVolatility: annualVolatilityFromRange(stats.high, stats.low),
  }
  if (stats.quoteVolume !== undefined && stats.quoteVolume !== null && stats.quoteVolume > 0) {
    instrument.dailyQuoteVolume = stats.quoteVolume
  }
  return Object.freeze(instrument)
}
