import { DomainError, createRandom, type Random } from '../core'
import type { Instrument } from './instruments'
import { ceilToGrid, floorToGrid, fromSteps, type Grid, gridOf } from './precision'
import type { BookLevel, OrderBook } from './types'

export const DEFAULT_BOOK_DEPTH = 20
export const MAX_BOOK_DEPTH = 100

/** Half the quoted spread, as a fraction of the mid (0.4 bp: a ~0.8 bp spread, at least two ticks). */
const HALF_SPREAD = 0.4e-4
/** Typical distance between levels (1 bp, at least one tick). */
const LEVEL_SPACING = 1e-4
/**
 * Typical value resting on one level as a fraction of daily turnover: BTC (1.5 bn/day) shows
 * ~0.3–0.6 BTC near the top, so a few BTC market order walks several levels.
 */
const LEVEL_NOTIONAL_SHARE = 2.5e-5
/** Depth thickens away from the touch. */
const DEPTH_SLOPE = 0.03
const SIZE_NOISE_SD = 0.6
/** Occasional large resting orders ("walls"). */
const WALL_P = 0.04
const DEFAULT_DAILY_QUOTE_VOLUME = 50_000_000

/** Precomputed per-instrument inputs of the book. */
export interface BookSpec {
  instrument: Instrument
  priceGrid: Grid
  lotGrid: Grid
  /** Smallest level quantity: `minQuantity` rounded up to the lot. */
  minQuantity: number
}

/**
 * @example
 * const spec = bookSpec(DEFAULT_INSTRUMENTS[0]!)
 */
export function bookSpec(instrument: Instrument): BookSpec {
  const lotGrid = gridOf(instrument.lotSize)
  return {
    instrument,
    priceGrid: gridOf(instrument.tickSize),
    lotGrid,
    minQuantity: Math.max(instrument.lotSize, ceilToGrid(instrument.minQuantity, lotGrid)),
  }
}

/**
 * Validate a requested depth: a positive integer, clamped to {@link MAX_BOOK_DEPTH}.
 *
 * @example
 * resolveDepth(undefined) // 20
 * resolveDepth(500)       // 100
 */
export function resolveDepth(depth: number | undefined): number {
  if (depth === undefined) return DEFAULT_BOOK_DEPTH
  if (!Number.isInteger(depth) || depth < 1) {
    throw new DomainError('VALIDATION_FAILED', 'depth must be a positive integer', { field: 'depth', value: depth })
  }
  return Math.min(depth, MAX_BOOK_DEPTH)
}

/** Best bid and ask in tick steps. Depends on the mid only, so the ticker can quote it cheaply. */
function touchSteps(mid: number, g: Grid): { bid: number; ask: number } {
  const midSteps = (mid * g.scale) / g.units
  const half = Math.max(0.5, midSteps * HALF_SPREAD)
  const bid = Math.floor(midSteps - half)
  const ask = Math.ceil(midSteps + half)
  return { bid, ask: ask > bid ? ask : bid + 1 }
}

/**
 * The top of the book around `mid`: the same prices {@link buildOrderBook} puts first.
 *
 * @example
 * topOfBook(65000, gridOf(0.01)) // { bid: 64997.4, ask: 65002.6 }
 */
export function topOfBook(mid: number, priceGrid: Grid): { bid: number; ask: number } {
  const { bid, ask } = touchSteps(mid, priceGrid)
  return { bid: fromSteps(bid, priceGrid), ask: fromSteps(ask, priceGrid) }
}

function levelQuantity(spec: BookSpec, price: number, level: number, random: Random): number {
  const turnover = spec.instrument.dailyQuoteVolume ?? DEFAULT_DAILY_QUOTE_VOLUME
  const noise = Math.exp(SIZE_NOISE_SD * random.normal() - 0.5 * SIZE_NOISE_SD ** 2)
  const wall = random.next() < WALL_P ? 3 + 3 * random.next() : 1
  const notional = turnover * LEVEL_NOTIONAL_SHARE * (0.5 + DEPTH_SLOPE * level) * noise * wall
  return Math.max(spec.minQuantity, floorToGrid(notional / price, spec.lotGrid))
}

/**
 * One side of the book walking away from the touch. Each side has its own stream, so a deeper book
 * is the shallower one plus more levels (depth 5 is a prefix of depth 20).
 */
function side(spec: BookSpec, first: number, direction: 1 | -1, spacing: number, depth: number, random: Random) {
  const levels: BookLevel[] = []
  let steps = first
  for (let k = 0; k < depth && steps > 0; k++) {
    const price = fromSteps(steps, spec.priceGrid)
    levels.push([price, levelQuantity(spec, price, k, random)])
    // Mostly adjacent levels, sometimes a gap of one or two spacings.
    const gap = random.next() < 0.3 ? 2 + Math.floor(random.next() * 2) : 1
    steps += direction * spacing * gap
  }
  return levels
}

/**
 * A seeded depth snapshot around `mid`: best bid < mid < best ask, bids strictly descending, asks
 * strictly ascending, prices on tick, quantities on lot and positive. Sizes are a function of
 * (seed, symbol, second of `timestamp`) only.
 *
 * @example
 * const book = buildOrderBook(spec, 65000, Date.now(), 20, '42')
 * book.bids[0]![0] < book.asks[0]![0] // true
 */
export function buildOrderBook(spec: BookSpec, mid: number, timestamp: number, depth: number, seed: string): OrderBook {
  const g = spec.priceGrid
  const { bid, ask } = touchSteps(mid, g)
  const spacing = Math.max(1, Math.round(((mid * g.scale) / g.units) * LEVEL_SPACING))
  const key = `book:${seed}:${spec.instrument.symbol}:${Math.floor(timestamp / 1000)}`
  return {
    symbol: spec.instrument.symbol,
    timestamp,
    bids: side(spec, bid, -1, spacing, depth, createRandom(`${key}:bid`)),
    asks: side(spec, ask, 1, spacing, depth, createRandom(`${key}:ask`)),
  }
}

/** `levels` (best first) without their first `skip` lot-grid units, at most `depth` of them, copied. */
export function skipTop(levels: readonly BookLevel[], skip: number, depth: number, lotScale: number): BookLevel[] {
  const out: BookLevel[] = []
  for (const [p, q] of levels) {
    if (out.length >= depth) break
    if (skip > 0) {
      const units = Math.round(q * lotScale)
      if (units <= skip) {
        skip -= units
        continue
      }
      out.push([p, (units - skip) / lotScale])
      skip = 0
    } else out.push([p, q])
  }
  return out
}
