import { checkCandle, createEngine } from './engine'
import { createCausalStream, type CausalSmcStream } from '../causal/stream'
import type { CausalOptions } from '../causal/types'
import type { SmcStream, SmcStreamOptions } from './types'

/**
 * Create a streaming SMC engine: push candles one at a time and read every indicator on the
 * prefix after each push, identical to the batch functions on that prefix but without
 * recomputing from scratch. Swings are final once `swingLength` candles have passed, FVGs once
 * the next candle is in, previous-high-low and sessions immediately; mitigation, break and
 * sweep searches advance with each candle. Only what the reference semantics tie to the moving
 * end of the series is recomputed: the last run of swing candidates, the artificial last swing
 * (parity), signals and pools that involve them, and liquidity when the overall range widens.
 *
 * @example
 * import { createSmcStream } from '@smc-trading/smc'
 * const stream = createSmcStream({ swings: { swingLength: 5 }, sessions: { session: 'London' } })
 * for (const c of candles) {
 *   stream.push(c) // { time, open, high, low, close, volume }
 *   const { bos, level } = stream.bosChoch()
 *   // bos.length === stream.length; same values as bosChoch(prefix, swingHighsLows(prefix, …))
 * }
 * // Causal mode: every push returns what that candle made known, never revised later.
 * const live = createSmcStream({ mode: 'causal', swingLength: 5, higherTimeframe: { timeFrame: '1h', candleMs: 300_000 } })
 * const { zones, zoneEvents, premiumDiscount } = live.push(candle)
 */
export function createSmcStream(options: CausalOptions & { mode: 'causal' }): CausalSmcStream
export function createSmcStream(options?: SmcStreamOptions): SmcStream
export function createSmcStream(options: SmcStreamOptions | (CausalOptions & { mode: 'causal' }) = {}): SmcStream | CausalSmcStream {
  if (options.mode === 'causal') return createCausalStream(options)
  const requested = options.initialCapacity ?? 1024
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(`createSmcStream: initialCapacity must be a positive integer, got ${requested}`)
  }
  const window = options.window
  if (window === undefined) return createEngine(options, requested).api
  // A window rebuilds its engine from the candles held, which would write them over the storage's first rows.
  if (options.storage) throw new RangeError('createSmcStream: storage cannot be combined with window')
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`createSmcStream: window must be a positive integer, got ${window}`)
  const capacity = Math.max(requested, 2 * window)
  let engine = createEngine(options, capacity)
  let dropped = 0
  const outer: SmcStream = {
    get length() {
      return engine.api.length
    },
    get dropped() {
      return dropped
    },
    push(candle) {
      const s = engine.series
      if (s.n < 2 * window) {
        engine.api.push(candle)
        return outer
      }
      checkCandle(candle, s.n, s.time[s.n - 1]!)
      const next = createEngine(options, capacity)
      for (let k = s.n - window; k < s.n; k++)
        next.api.push({ time: s.time[k]!, open: s.open[k]!, high: s.high[k]!, low: s.low[k]!, close: s.close[k]!, volume: s.volume[k]! })
      // A candle rejected here (e.g. a session time the zone cannot place) leaves the old engine.
      try {
        next.api.push(candle)
      } catch (err) {
        next.api.release()
        throw err
      }
      dropped += s.n - window
      // The old engine's columns go to the pool (if any): the next rebuild takes them.
      engine.api.release()
      engine = next
      return outer
    },
    candles: () => engine.api.candles(),
    swings: () => engine.api.swings(),
    fvg: () => engine.api.fvg(),
    bosChoch: () => engine.api.bosChoch(),
    ob: () => engine.api.ob(),
    liquidity: () => engine.api.liquidity(),
    retracements: () => engine.api.retracements(),
    previousHighLow: (index) => engine.api.previousHighLow(index),
    sessions: (index) => engine.api.sessions(index),
    result: () => engine.api.result(),
    release: () => engine.api.release(),
  }
  return outer
}
