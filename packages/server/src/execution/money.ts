/**
 * Integer fixed-point for the ledger. Money is held in quote "atoms" (1e-8 of the quote asset),
 * prices in ticks of 10^-pricePrecision and quantities in lots of 10^-quantityPrecision of their
 * instrument. Products go through BigInt, so `price × quantity` is exact; the only roundings are
 * explicit (commissions, cost released by partial closes), and their integer results are what the
 * ledger books, so `initial + realized − commission = balance` holds exactly after any sequence.
 */
import { ATOM_DECIMALS, ATOMS } from '../core'
import type { Instrument } from '../market'

export { ATOM_DECIMALS, ATOMS, fromAtoms, toAtoms } from '../core'

/** Integer scales of one instrument. */
export interface Scales {
  pricePrecision: number
  quantityPrecision: number
  /** 10^pricePrecision. */
  priceScale: number
  /** 10^quantityPrecision. */
  qtyScale: number
  /** atoms per (price unit × quantity unit) as a power of ten: 8 − pp − qp (may be negative). */
  notionalShift: number
}

const scalesCache = new WeakMap<Instrument, Scales>()

export function scalesOf(inst: Instrument): Scales {
  let s = scalesCache.get(inst)
  if (!s) {
    s = {
      pricePrecision: inst.pricePrecision,
      quantityPrecision: inst.quantityPrecision,
      priceScale: 10 ** inst.pricePrecision,
      qtyScale: 10 ** inst.quantityPrecision,
      notionalShift: ATOM_DECIMALS - inst.pricePrecision - inst.quantityPrecision,
    }
    scalesCache.set(inst, s)
  }
  return s
}

/** A decimal number to integer units of `scale`, or undefined when it is not a whole number of units. */
export function toUnits(value: number, scale: number): number | undefined {
  if (!Number.isFinite(value)) return undefined
  const scaled = value * scale
  const rounded = Math.round(scaled)
  // Same slack as market/precision.ts: float noise from parsing (0.1 × 10) is not "off the grid".
  if (Math.abs(scaled - rounded) > 1e-12 * Math.max(1, Math.abs(scaled))) return undefined
  return rounded
}

/** Integer units back to the canonical double of the decimal (one correctly rounded division). */
export const fromUnits = (units: number, scale: number): number => units / scale

/** Divide rounding half to even: used wherever the ledger must round. */
export function divRound(n: bigint, d: bigint): bigint {
  if (d < 0n) return divRound(-n, -d)
  const q = n / d
  const r = n - q * d
  const twice = 2n * (r < 0n ? -r : r)
  if (twice < d) return q
  if (twice > d) return n < 0n ? q - 1n : q + 1n
  // Exactly half: to even.
  if (q % 2n === 0n) return q
  return n < 0n ? q - 1n : q + 1n
}

/** Notional value in atoms of `qty` lots at `price` ticks. Exact whenever pp + qp ≤ 8. */
export function notionalAtoms(s: Scales, price: number, qty: number): bigint {
  const raw = BigInt(price) * BigInt(qty)
  if (s.notionalShift >= 0) return raw * 10n ** BigInt(s.notionalShift)
  return divRound(raw, 10n ** BigInt(-s.notionalShift))
}

/**
 * {@link notionalAtoms} as a number, exactly: in plain arithmetic while every intermediate is a safe
 * integer (the product of two safe integers below 2^53 is exact), through BigInt otherwise. For
 * marking positions every candle, where a BigInt per step was most of a backtest's allocation.
 */
export function notionalNumber(s: Scales, price: number, qty: number): number {
  const raw = price * qty
  if (Number.isSafeInteger(raw) && Number.isSafeInteger(price) && Number.isSafeInteger(qty)) {
    const shift = s.notionalShift
    if (shift >= 0) {
      const v = raw * 10 ** shift
      if (Number.isSafeInteger(v)) return v + 0
    } else {
      const d = 10 ** -shift
      if (Number.isSafeInteger(d)) return divRoundNumber(raw, d)
    }
  }
  return Number(notionalAtoms(s, price, qty))
}

/** divRound on safe integers (d > 0): the quotient truncated as BigInt division does, then half to even. */
function divRoundNumber(n: number, d: number): number {
  let q = Math.trunc(n / d)
  let r = n - q * d
  // The float quotient can land one off its integer part: settle q so that r has n's sign and |r| < d.
  while (n >= 0 ? r < 0 : r > 0) {
    q += n >= 0 ? -1 : 1
    r = n - q * d
  }
  while (Math.abs(r) >= d) {
    q += n >= 0 ? 1 : -1
    r = n - q * d
  }
  const twice = 2 * Math.abs(r)
  if (twice > d || (twice === d && q % 2 !== 0)) q += n < 0 ? -1 : 1
  return q + 0
}

/** Fee on a notional at `ratePpm` parts per million, rounded half to even to an atom. */
export const feeAtoms = (notional: bigint, ratePpm: number): bigint => divRound(notional * BigInt(ratePpm), 1_000_000n)

/** `total × part / whole`, rounded half to even: the share of a cost basis released by a partial close. */
export const share = (total: bigint, part: number, whole: number): bigint =>
  part === whole ? total : divRound(total * BigInt(part), BigInt(whole))

/** A BigInt to a safe-integer number for storage; a violation is a bug, never silently truncated. */
export function safe(n: bigint): number {
  const v = Number(n)
  if (!Number.isSafeInteger(v)) throw new RangeError(`ledger value ${n} exceeds the safe integer range`)
  return v
}

/** Price of an average: atoms / lots as a decimal price. */
export function averagePrice(s: Scales, notional: number, qty: number): number {
  if (qty === 0) return 0
  // notional atoms / (qty / qtyScale) / ATOMS; rounded to 8 decimals for a stable JSON shape.
  const v = (notional * s.qtyScale) / qty / ATOMS
  return Math.round(v * 1e8) / 1e8
}
