import { z } from 'zod'
import type { Instrument } from '../market'
import { roundPriceToTick } from './sizing'
import type { CloseIntent, HoldIntent, Intent, OpenIntent, StrategyAccount } from './types'

// Building blocks shared by the built-in strategies: parameter fields, the position gate (what to
// answer given a signal and the open position), protective levels on the tick grid, and an
// incremental list of the SMC engine's swings.

export type Side = 'long' | 'short'

// ---- Parameters ---------------------------------------------------------------------------------

export const intParam = (min: number, max: number, def: number, description: string) =>
  z.number().int().min(min).max(max).default(def).describe(description)

export const numParam = (min: number, max: number, def: number, description: string) =>
  z.number().min(min).max(max).default(def).describe(description)

/** Fields every built-in shares. */
export const commonParams = {
  risk_fraction: z
    .number()
    .gt(0)
    .max(0.1)
    .default(0.01)
    .describe('Fraction of equity risked per trade: the quantity loses this much if the stop is hit, in (0, 0.1]'),
  take_profit_r: z
    .number()
    .gt(0)
    .max(20)
    .nullable()
    .default(2)
    .describe('Take profit at this multiple of the stop distance from the entry (R); null: no take profit'),
  allow_short: z.boolean().default(true).describe('Also open short positions (otherwise short signals only close longs)'),
  atr_period: intParam(2, 200, 14, "ATR period (Wilder) of the stop's distance"),
}

// ---- Intents ------------------------------------------------------------------------------------

/**
 * A hold. Holds carry confidence 0 (no conviction to act); they are built once per instance and
 * reused, so a candle without a signal allocates nothing.
 */
export const hold = (reason: string): HoldIntent => Object.freeze({ action: 'hold', reason, confidence: 0 }) as HoldIntent

export const clamp01 = (x: number): number => (x > 1 ? 1 : x > 0 ? x : 0)

/** An entry a strategy found on the candle that just closed. */
export interface EntrySignal {
  side: Side
  /** The event alone (e.g. "fast SMA 101.20 crossed above slow SMA 100.90"), for a close it causes. */
  cause: string
  stop: number
  takeProfit: number | null
  reason: string
  confidence: number
}

/** Why the open position should be closed now. */
export interface ExitSignal {
  reason: string
  confidence: number
}

/**
 * The position rules every built-in follows:
 * - flat and a fresh entry signal → open (market, filled by the engine at the next candle's open);
 * - a position of the signal's side already open → hold (never a second open on the same side);
 * - a position of the other side open → close; the signal is remembered and, on the next candle
 *   that finds the position flat, re-checked with the strategy's `retry`: if it still holds there
 *   (the signal persists) the strategy opens then, otherwise it is dropped; should the position
 *   still be open on the next candle (the close not filled), the close is asked again (confidence 0.5);
 * - otherwise the strategy's exit rule for the open side, else hold (confidence 0).
 * Opens are always `market` (filled at the next candle's open) with the signal's stop and target.
 */
export class PositionGate {
  private pending: Side | null = null
  private readonly holdFlat: HoldIntent
  private readonly holdLong: HoldIntent
  private readonly holdShort: HoldIntent

  constructor(noSignal: string) {
    this.holdFlat = hold(`flat: ${noSignal}`)
    this.holdLong = hold(`long open: ${noSignal}`)
    this.holdShort = hold(`short open: ${noSignal}`)
  }

  decide(
    account: StrategyAccount,
    signal: EntrySignal | null,
    exit: ExitSignal | null,
    retry: (side: Side) => EntrySignal | null,
  ): Intent {
    const pos = account.position?.side ?? null
    if (pos === null) {
      if (signal) {
        this.pending = null
        return open(signal)
      }
      if (this.pending !== null) {
        const side = this.pending
        this.pending = null
        const again = retry(side)
        if (again) return open(again)
      }
      return this.holdFlat
    }
    if (signal && signal.side !== pos) {
      this.pending = signal.side
      return close(`${signal.cause}: closing the ${pos} first (the ${signal.side} opens on a later candle if the signal persists)`, signal.confidence)
    }
    if (exit) {
      this.pending = null
      return close(exit.reason, exit.confidence)
    }
    if (this.pending !== null && this.pending !== pos) {
      // The close did not go through (yet): ask again rather than hold against the signal.
      return close(`a ${this.pending} signal is pending: closing the ${pos}`, 0.5)
    }
    if (signal) return { action: 'hold', reason: `${pos} already open: ${signal.cause}`, confidence: 0 }
    return pos === 'long' ? this.holdLong : this.holdShort
  }
}

const open = (s: EntrySignal): OpenIntent => ({
  action: 'open',
  side: s.side,
  type: 'market',
  stop_loss: s.stop,
  take_profit: s.takeProfit,
  reason: s.reason,
  confidence: clamp01(s.confidence),
})

const close = (reason: string, confidence: number): CloseIntent => ({ action: 'close', reason, confidence: clamp01(confidence) })

// ---- Protective levels --------------------------------------------------------------------------

/**
 * Stop and take profit on the instrument's tick grid for an entry expected at `entry` (the close
 * the decision is made on): the stop is rounded away from the entry (a long's down, a short's up:
 * never tighter than asked), the take profit `takeProfitR` stop distances (measured to the rounded
 * stop) beyond the entry, rounded to the nearest tick. Null when the stop is not strictly on the
 * losing side of the entry or not a positive price; a short's take profit at or below 0 becomes null.
 */
export function protectiveLevels(
  side: Side,
  entry: number,
  rawStop: number,
  takeProfitR: number | null,
  tick: number,
): { stop: number; takeProfit: number | null } | null {
  if (!Number.isFinite(rawStop) || !Number.isFinite(entry)) return null
  const stop = roundPriceToTick(rawStop, tick, side === 'long' ? 'down' : 'up')
  const risk = side === 'long' ? entry - stop : stop - entry
  if (!(risk > 0) || !(stop > 0)) return null
  if (takeProfitR === null) return { stop, takeProfit: null }
  const tp = roundPriceToTick(side === 'long' ? entry + takeProfitR * risk : entry - takeProfitR * risk, tick, 'nearest')
  return { stop, takeProfit: tp > 0 ? tp : null }
}

/** Formats prices in reasons with the instrument's decimals. */
export const priceFormatter =
  (instrument: Pick<Instrument, 'pricePrecision'>) =>
  (x: number): string =>
    x.toFixed(instrument.pricePrecision)

/** "stop 99.33, take profit 113.34" or "stop 99.33, no take profit", for reasons. */
export const describeLevels = (fmt: (x: number) => string, stop: number, tp: number | null): string =>
  `stop ${fmt(stop)}, ${tp === null ? 'no take profit' : `take profit ${fmt(tp)}`}`

// ---- Swings -------------------------------------------------------------------------------------

/**
 * The swing highs/lows of the SMC stream's frame (clean mode, `parity: false`) as a list, kept in
 * step with it in O(1) per push. In clean mode a push only ever decides row `n − 1 − swingLength`
 * (a new swing there, possibly replacing the last one when it is a more extreme point of the same
 * run, whose row the engine then clears); no other row changes. Call `update` after every push.
 */
export class SwingList {
  readonly rows: number[] = []
  /** 1 = swing high, −1 = swing low. */
  readonly types: number[] = []
  readonly levels: number[] = []

  constructor(readonly swingLength: number) {}

  get length(): number {
    return this.rows.length
  }

  /** Syncs with the frame after a push; true when the list changed. */
  update(highLow: Float64Array, level: Float64Array, n: number): boolean {
    const i = n - 1 - this.swingLength
    if (i < 0) return false
    const t = highLow[i]!
    if (t !== t) return false
    const last = this.rows.length - 1
    if (last >= 0) {
      const r = this.rows[last]!
      const still = highLow[r]!
      if (still !== still) {
        // The run's representative moved forward to row i.
        this.rows.pop()
        this.types.pop()
        this.levels.pop()
      }
    }
    this.rows.push(i)
    this.types.push(t)
    this.levels.push(level[i]!)
    return true
  }

  /**
   * Forget the `k` oldest swings (a strategy that reads only recent ones keeps the list short: a
   * million-candle run has about 100,000 swings, and each growth of a list that long leaves its old
   * copy as garbage the collector keeps until a full collection). Keeps the newest one.
   */
  dropOldest(k: number): void {
    const n = Math.min(k, this.rows.length - 1)
    if (n <= 0) return
    this.rows.splice(0, n)
    this.types.splice(0, n)
    this.levels.splice(0, n)
  }
}

// ---- SMC stream columns -------------------------------------------------------------------------

/**
 * Full-capacity views of an SMC stream accessor's columns. The accessors return fresh `subarray(0, n)`
 * views on every call (about half the cost of a push when called on every candle); the columns
 * underneath are written in place and only reallocated when the stream grows (its capacity doubles
 * when `n` passes it). So: widen once, read rows `< n` directly, and widen again when `n` exceeds the
 * widened length. Columns that share a buffer are not widened (their views are returned as they are,
 * which simply makes the caller refresh on every push).
 */
export function widen<T extends object>(cols: T): T {
  const out = {} as Record<string, Float64Array>
  for (const [k, v] of Object.entries(cols) as [string, Float64Array][]) {
    const whole = v.byteOffset === 0 ? new Float64Array(v.buffer) : v
    out[k] = whole
  }
  return out as T
}

/** Rows readable in every column of a widened set. */
export function widenedRows(cols: object): number {
  let rows = Infinity
  for (const v of Object.values(cols) as Float64Array[]) rows = Math.min(rows, v.length)
  return rows
}
