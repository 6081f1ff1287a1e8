/**
 * Price and quantity grids in integer units. Binary floats cannot represent 0.1 exactly, so every
 * check and rounding here goes through integers (`value × 10^decimals`) and back through one
 * correctly rounded division, which yields the canonical double of the decimal (0.1 + 0.2 → 0.3).
 */

/**
 * A step such as a tick size or a lot size, as integers: `step = units / scale`, `scale = 10^decimals`.
 * Precompute one per instrument for hot loops; `gridOf` keeps the ones asked for in a small cache.
 */
export interface Grid {
  readonly step: number
  readonly decimals: number
  readonly scale: number
  readonly units: number
}

/**
 * Relative slack when deciding whether a scaled value is an integer: a few thousand ulps, far above
 * float noise from parsing or a handful of additions, far below one unit of the grid.
 */
const INTEGER_SLACK = 1e-12

/**
 * Number of decimals in the shortest representation of `x` (handles exponent form such as `1e-8`).
 *
 * @example
 * decimalsOf(0.0001) // 4
 * decimalsOf(1e-8)   // 8
 * decimalsOf(5)      // 0
 */
export function decimalsOf(x: number): number {
  const s = String(Math.abs(x))
  const e = s.indexOf('e')
  const mantissa = e < 0 ? s : s.slice(0, e)
  const exponent = e < 0 ? 0 : Number(s.slice(e + 1))
  const dot = mantissa.indexOf('.')
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1
  return Math.max(0, fraction - exponent)
}

/**
 * The integer grid of a step (tick size or lot size).
 *
 * @example
 * gridOf(0.05) // { step: 0.05, decimals: 2, scale: 100, units: 5 }
 */
export function gridOf(step: number): Grid {
  const cached = grids.get(step)
  if (cached) return cached
  if (!Number.isFinite(step) || step <= 0) throw new RangeError(`step must be a positive number, got ${step}`)
  const decimals = decimalsOf(step)
  const scale = 10 ** decimals
  const g: Grid = Object.freeze({ step, decimals, scale, units: Math.round(step * scale) })
  // Every order's validation and rounding asks for its instrument's grids (decimalsOf formats the
  // step as a string); the steps in use are a handful, the bound is for arbitrary callers.
  if (grids.size >= MAX_CACHED_GRIDS) grids.clear()
  grids.set(step, g)
  return g
}
const MAX_CACHED_GRIDS = 256
const grids = new Map<number, Grid>()

/** Whether `steps` is an integer up to float noise. */
function isWhole(steps: number): boolean {
  return Math.abs(steps - Math.round(steps)) <= INTEGER_SLACK * Math.max(1, Math.abs(steps))
}

/**
 * An integer number of grid steps as the canonical double (one correctly rounded division).
 *
 * @example
 * fromSteps(6_500_001, gridOf(0.01)) // 65000.01
 */
export function fromSteps(steps: number, g: Grid): number {
  return (steps * g.units) / g.scale
}

/**
 * Round to the nearest multiple of the grid.
 *
 * @example
 * roundToGrid(0.30000000000000004, gridOf(0.1)) // 0.3
 */
export function roundToGrid(value: number, g: Grid): number {
  return fromSteps(Math.round((value * g.scale) / g.units), g)
}

/**
 * Round down to a multiple of the grid (an exact multiple stays, despite float noise).
 *
 * @example
 * floorToGrid(0.7 * 3, gridOf(0.1)) // 2.1, although 0.7 * 3 is 2.0999999999999996
 */
export function floorToGrid(value: number, g: Grid): number {
  const steps = (value * g.scale) / g.units
  return fromSteps(isWhole(steps) ? Math.round(steps) : Math.floor(steps), g)
}

/**
 * Round up to a multiple of the grid (an exact multiple stays, despite float noise).
 *
 * @example
 * ceilToGrid(0.1 + 0.2, gridOf(0.1)) // 0.3, although 0.1 + 0.2 is 0.30000000000000004
 */
export function ceilToGrid(value: number, g: Grid): number {
  const steps = (value * g.scale) / g.units
  return fromSteps(isWhole(steps) ? Math.round(steps) : Math.ceil(steps), g)
}

/**
 * Whether `value` is a multiple of the grid, tolerating float noise.
 *
 * @example
 * isOnGrid(0.1 + 0.2, gridOf(0.1)) // true
 */
export function isOnGrid(value: number, g: Grid): boolean {
  return Number.isFinite(value) && isWhole((value * g.scale) / g.units)
}

/**
 * Round a price to the nearest tick, returning the canonical double of the decimal.
 *
 * @example
 * roundToTick(65000.014, 0.01) // 65000.01
 * roundToTick(0.1 + 0.2, 0.1)  // 0.3 (not 0.30000000000000004)
 */
export function roundToTick(price: number, tick: number): number {
  return roundToGrid(price, gridOf(tick))
}

/**
 * Round a quantity down to the lot step (an order never buys more than asked).
 *
 * @example
 * floorToStep(1.23456789, 0.001) // 1.234
 * floorToStep(0.1 + 0.2, 0.1)    // 0.3 (float noise below 0.3 does not drop it to 0.2)
 */
export function floorToStep(quantity: number, step: number): number {
  return floorToGrid(quantity, gridOf(step))
}

/**
 * Whether a price is a multiple of the tick size; float noise does not make a valid price invalid.
 *
 * @example
 * isOnTick(0.1 + 0.2, 0.1)   // true
 * isOnTick(65000.015, 0.01)  // false
 */
export function isOnTick(price: number, tick: number): boolean {
  return isOnGrid(price, gridOf(tick))
}

/**
 * Whether a quantity is a multiple of the lot step; float noise does not make a valid quantity invalid.
 *
 * @example
 * isOnStep(0.7 * 3, 0.1)       // true (0.7 * 3 is 2.0999999999999996)
 * isOnStep(0.000015, 0.00001)  // false
 */
export function isOnStep(quantity: number, step: number): boolean {
  return isOnGrid(quantity, gridOf(step))
}
