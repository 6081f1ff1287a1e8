import type { ManualClock } from '../../core'
import type { Candle, SeriesMarket } from '../../market'

// How one candle is replayed into a SeriesMarket so the paper engine sees it as a sequence of
// ticks: the path inside the candle is O → H → L → C, or O → L → H → C when the open is nearer the
// low (ties: high first). The four anchors sit at the candle's open time and at 1/4, 1/2 and 3/4 of
// its duration; on each leg between two anchors the price also stops, in the order it reaches them,
// at every trigger price lying strictly inside the leg (the stop prices of resting stop orders), at
// a time interpolated linearly along the leg. A stop is therefore met where the price crosses it, as
// the continuously ticking paper market meets it, not only at the candle's extremes.

/** The four price anchors of a candle's path: open, first extreme, second extreme, close. */
export function candlePath(open: number, high: number, low: number, close: number): [number, number, number, number] {
  // The open nearer the low goes down first; otherwise (nearer the high, or halfway) up first.
  return open - low < high - open ? [open, low, high, close] : [open, high, low, close]
}

/** The offsets (ms from the candle's open time) of the four anchors: 0, D/4, D/2, 3D/4. */
export function anchorOffsets(durationMs: number): [number, number, number, number] {
  return [0, Math.floor(durationMs / 4), Math.floor(durationMs / 2), Math.floor((3 * durationMs) / 4)]
}

/**
 * The extra stops of a leg from `from` (at `t0`) to `to` (at `t1`): each trigger strictly between
 * them, in the order the price reaches it, at a linearly interpolated time (ms, floored).
 *
 * @example
 * legCrossings(100, 90, 0, 1000, [95, 80, 92]) // [{ price: 95, time: 500 }, { price: 92, time: 800 }]
 */
const NO_CROSSINGS: readonly { price: number; time: number }[] = Object.freeze([])

export function legCrossings(from: number, to: number, t0: number, t1: number, triggers: readonly number[]): readonly { price: number; time: number }[] {
  if (from === to || triggers.length === 0) return NO_CROSSINGS
  const lo = Math.min(from, to)
  const hi = Math.max(from, to)
  // Most legs cross no stop: nothing allocated for them.
  let crossed = false
  for (const p of triggers)
    if (p > lo && p < hi) {
      crossed = true
      break
    }
  if (!crossed) return NO_CROSSINGS
  const inside = [...new Set(triggers.filter((p) => p > lo && p < hi))]
  inside.sort((a, b) => (to > from ? a - b : b - a))
  return inside.map((price) => ({ price, time: t0 + Math.floor(((t1 - t0) * (price - from)) / (to - from)) }))
}

/**
 * Moves one symbol of a SeriesMarket (and its clock) through candles as ticks. The backtest engine
 * replays its sandbox market with it; a test drives a paper server's market the same way.
 */
export class CandleReplay {
  private high = 0
  private low = 0
  private open = 0
  /** The forming candle handed to the market at each tick (it copies the values). */
  private readonly forming: Candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 }

  constructor(
    readonly series: SeriesMarket,
    readonly clock: ManualClock,
    readonly symbol: string,
    readonly durationMs: number,
  ) {
    this.anchors = anchorOffsets(durationMs)
  }

  /** The path's anchor offsets within a candle (fixed by its duration). */
  private readonly anchors: number[]

  /** One tick: move the clock and the market's time to `time`, rewrite the forming candle, notify. */
  private tick(time: number, openTime: number, price: number, volume = 0): void {
    if (price > this.high) this.high = price
    if (price < this.low) this.low = price
    this.clock.set(time)
    this.series.time = time
    const f = this.forming
    f.time = openTime
    f.open = this.open
    f.high = this.high
    f.low = this.low
    f.close = price
    f.volume = volume
    this.series.put(this.symbol, f)
    // Always notify (NaN differs from every price): the engine's marks and triggers run on each step.
    this.series.emitChanges([Number.NaN])
  }

  /** The candle opens: a tick at its open price, at its open time (none when `emit` is false). */
  openCandle(c: Candle, emit = true): void {
    this.open = this.high = this.low = c.open
    if (emit) this.tick(c.time, c.time, c.open)
  }

  /**
   * The rest of the candle after {@link openCandle}: the legs of its path, each with the stops of
   * `triggers()` (read at the start of each leg: an entry filled at the open has its exits by then),
   * `after()` called after each tick; then the complete candle (with its volume) is put. An extreme
   * (the end of the first or second leg) for which `matters(price)` is false is passed without a
   * tick (the candle's high/low still include it): the engine answers false when no resting order
   * could trigger or fill at that price. Crossings and the close always tick.
   */
  finishCandle(c: Candle, triggers: () => readonly number[], after: () => void = () => {}, matters: (price: number) => boolean = () => true): void {
    const path = candlePath(c.open, c.high, c.low, c.close)
    const at = this.anchors
    for (let leg = 1; leg < 4; leg++) {
      const from = path[leg - 1]!
      const to = path[leg]!
      const t0 = c.time + at[leg - 1]!
      const t1 = c.time + at[leg]!
      for (const x of legCrossings(from, to, t0, t1, triggers())) {
        this.tick(x.time, c.time, x.price)
        after()
      }
      if (leg === 3 || matters(to)) {
        this.tick(t1, c.time, to)
        after()
      } else {
        if (to > this.high) this.high = to
        if (to < this.low) this.low = to
      }
    }
    this.series.put(this.symbol, c)
  }

  /** A candle nobody needs ticks for (no position, no resting order): put whole, no notification. */
  skipCandle(c: Candle): void {
    this.series.time = c.time + this.anchors[3]!
    this.series.put(this.symbol, c)
  }

  /** The candle that opened at `openTime` has closed: the clock moves to its end. */
  closeCandle(openTime: number): void {
    const end = openTime + this.durationMs
    this.clock.set(end)
    this.series.time = end
  }
}
