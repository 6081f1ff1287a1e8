import { ceilToGrid, floorToGrid, floorToStep, gridOf, roundToGrid, type Instrument } from '../market'

/** What {@link positionSize} needs: the account's equity, the risk budget and the planned trade. */
export interface PositionSizeInput {
  /** Equity (balance + unrealized PnL), quote currency. */
  equity: number
  /** Fraction of equity lost if the stop is hit (0.01 = 1 %). */
  riskFraction: number
  /** Expected entry price. */
  entry: number
  /** Protective stop price. */
  stop: number
  instrument: Pick<Instrument, 'lotSize' | 'minQuantity'>
}

/**
 * Quantity that loses `equity × riskFraction` when the stop is hit:
 * `equity × riskFraction / |entry − stop|`, truncated toward zero to the instrument's lot (never
 * more than the risk budget allows). 0 when that is below the instrument's `minQuantity`, when the
 * stop distance is 0, or when an input is not a positive finite number. Fees and slippage are not
 * included: the risk is measured from the entry to the stop.
 *
 * @example
 * positionSize({ equity: 10_000, riskFraction: 0.01, entry: 100, stop: 98, instrument: { lotSize: 0.001, minQuantity: 0.001 } }) // 50
 * positionSize({ equity: 1_000, riskFraction: 0.01, entry: 65_000, stop: 64_000, instrument: BTC }) // 0.00001 (0.01 floored to the lot)
 */
export function positionSize({ equity, riskFraction, entry, stop, instrument }: PositionSizeInput): number {
  const distance = Math.abs(entry - stop)
  if (!(distance > 0) || !Number.isFinite(distance) || !(equity > 0) || !(riskFraction > 0)) return 0
  const raw = (equity * riskFraction) / distance
  if (!Number.isFinite(raw)) return 0
  const quantity = floorToStep(raw, instrument.lotSize)
  return quantity >= instrument.minQuantity && quantity > 0 ? quantity : 0
}

/** Which way {@link roundPriceToTick} moves a price that is not on the tick grid. */
export type TickRounding = 'nearest' | 'up' | 'down'

/**
 * A price on the instrument's tick grid (the canonical double of the decimal, via market/precision):
 * `down` for a long's stop (further from the entry, never tighter than asked), `up` for a short's,
 * `nearest` for targets.
 *
 * @example
 * roundPriceToTick(101.237, 0.01, 'down')    // 101.23
 * roundPriceToTick(101.231, 0.01, 'up')      // 101.24
 * roundPriceToTick(0.1 + 0.2, 0.1, 'nearest') // 0.3
 */
export function roundPriceToTick(price: number, tick: number, direction: TickRounding = 'nearest'): number {
  const g = gridOf(tick)
  return direction === 'up' ? ceilToGrid(price, g) : direction === 'down' ? floorToGrid(price, g) : roundToGrid(price, g)
}
