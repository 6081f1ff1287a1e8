import type { BosChoch, BosChochOptions } from '../indicators/bos-choch'
import type { FvgOptions, FvgResult } from '../indicators/fvg'
import type { Liquidity, LiquidityOptions } from '../indicators/liquidity'
import type { OrderBlocks, OrderBlocksOptions } from '../indicators/ob'
import type { PreviousHighLowOptions, PreviousHighLowResult } from '../indicators/previous-high-low'
import type { Retracements } from '../indicators/retracements'
import type { SessionsOptions, SessionsResult } from '../indicators/sessions'
import type { SwingHighsLows, SwingHighsLowsOptions } from '../indicators/swing-highs-lows'
import type { Candles } from '../types'
import { BosChochStream } from './bos-choch'
import { Series } from './columns'
import { FvgStream } from './fvg'
import { LiquidityStream } from './liquidity'
import { ObStream } from './ob'
import { PreviousHighLowStream } from './previous-high-low'
import { RetracementsStream } from './retracements'
import { SessionsStream } from './sessions'
import { SwingTracker } from './swings'

/** One candle for {@link SmcStream.push}; `time` is epoch milliseconds (naive clock time, as in `Candles`). */
export interface StreamCandle {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
}

/**
 * Options of {@link createSmcStream}: the batch functions' options, per indicator. `false`
 * disables an indicator (its accessor then throws); `true` or omitted means the batch defaults,
 * except `sessions`, which needs a session name and is off unless given.
 */
export interface SmcStreamOptions {
  /** The swing frame shared by bosChoch, ob, liquidity and retracements (`swingLength` default 50, as the batch). */
  swings?: SwingHighsLowsOptions
  fvg?: FvgOptions | boolean
  bosChoch?: BosChochOptions | boolean
  ob?: OrderBlocksOptions | boolean
  liquidity?: LiquidityOptions | boolean
  retracements?: boolean
  /** One time frame or several (accessor index = position); default `{ timeFrame: '1D' }`. */
  previousHighLow?: PreviousHighLowOptions | readonly PreviousHighLowOptions[] | boolean
  /** One session or several (accessor index = position); none by default. */
  sessions?: SessionsOptions | readonly SessionsOptions[]
  /** Rows to allocate up front (grows by doubling). Default 1024. */
  initialCapacity?: number
  /**
   * Bound memory for endless streams: once `2 × window` candles are held, the next push first drops
   * the oldest, keeping the latest `window`. The indicators are then those of the batch functions
   * on the candles held (`candles()`), exactly as without a window; row 0 is candle number
   * `dropped` of everything pushed. A trim re-runs the kept candles (amortised O(1) per push, a
   * pause of about `window` pushes when it happens). Default: keep everything.
   */
  window?: number
}

/** Every enabled indicator's columns for the current prefix (views, see {@link SmcStream}). */
export interface SmcStreamResult {
  length: number
  swings: SwingHighsLows
  fvg?: FvgResult
  bosChoch?: BosChoch
  ob?: OrderBlocks
  liquidity?: Liquidity
  retracements?: Retracements
  previousHighLow: PreviousHighLowResult[]
  sessions: SessionsResult[]
}

/**
 * Incremental SMC engine. After every `push`, each accessor returns exactly what the batch
 * function returns on the candles pushed so far (same columns, same typed-array types, bit for
 * bit). The returned arrays are views into internal buffers: valid until the next `push`; copy
 * them (`.slice()`) to keep them.
 */
export interface SmcStream {
  /** Candles held (pushed so far, less those a `window` dropped). */
  readonly length: number
  /** Candles dropped from the front by the `window` (0 without one): row `i` is candle `dropped + i` pushed. */
  readonly dropped: number
  /**
   * Append one candle. Times must strictly increase and prices/volume must be finite; a rejected
   * candle throws RangeError and leaves the stream unchanged. Amortised O(1) (a new extreme of the
   * whole series rebuilds liquidity, which depends on the global range).
   */
  push(candle: StreamCandle): this
  /** The candles pushed so far, columnar. */
  candles(): Candles
  swings(): SwingHighsLows
  fvg(): FvgResult
  bosChoch(): BosChoch
  ob(): OrderBlocks
  liquidity(): Liquidity
  retracements(): Retracements
  /** Result of the `index`-th `previousHighLow` configuration (default 0). */
  previousHighLow(index?: number): PreviousHighLowResult
  /** Result of the `index`-th `sessions` configuration (default 0). */
  sessions(index?: number): SessionsResult
  /** All enabled indicators at once. */
  result(): SmcStreamResult
}

const opt = <T extends object>(v: T | boolean | undefined, byDefault: boolean): T | undefined =>
  v === false || (v === undefined && !byDefault) ? undefined : v === true || v === undefined ? ({} as T) : v

const list = <T extends object>(v: T | readonly T[] | boolean | undefined, byDefault: boolean): T[] => {
  if (Array.isArray(v)) return [...(v as readonly T[])]
  const one = opt(v as T | boolean | undefined, byDefault)
  return one ? [one] : []
}

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
 */
export function createSmcStream(options: SmcStreamOptions = {}): SmcStream {
  const requested = options.initialCapacity ?? 1024
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(`createSmcStream: initialCapacity must be a positive integer, got ${requested}`)
  }
  const window = options.window
  if (window === undefined) return createEngine(options, requested).api
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
      next.api.push(candle)
      dropped += s.n - window
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
  }
  return outer
}

/** A candle's fields are finite and its time follows `lastTime` (row `i` of the stream), or RangeError. */
function checkCandle(candle: StreamCandle, i: number, lastTime: number | undefined): void {
  const { time, open, high, low, close, volume } = candle
  if (!Number.isFinite(time)) throw new RangeError(`push: time must be a finite number (row ${i})`)
  if (i > 0 && !(time > lastTime!)) throw new RangeError(`push: time must increase strictly (row ${i})`)
  if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume))) {
    const bad = (['open', 'high', 'low', 'close', 'volume'] as const).find((k) => !Number.isFinite(candle[k]))
    throw new RangeError(`push: ${bad} must be a finite number (row ${i})`)
  }
}

/** One engine over all the candles it is given (the stream without a window). */
function createEngine(options: SmcStreamOptions, requested: number): { api: SmcStream; series: Series } {
  const cap0 = Math.max(16, requested)
  const series = new Series(cap0)
  const swingOpts = options.swings ?? {}
  const sw = new SwingTracker(swingOpts.swingLength ?? 50, swingOpts.parity ?? true, cap0)
  const fvgOpts = opt(options.fvg, true)
  const bosOpts = opt(options.bosChoch, true)
  const obOpts = opt(options.ob, true)
  const liqOpts = opt(options.liquidity, true)
  const retr = options.retracements ?? true
  const fvg = fvgOpts && new FvgStream(fvgOpts, cap0)
  const bos = bosOpts && new BosChochStream(sw, bosOpts, cap0)
  const ob = obOpts && new ObStream(sw, obOpts, cap0)
  const liq = liqOpts && new LiquidityStream(sw, liqOpts, cap0)
  const ret = retr ? new RetracementsStream(sw, cap0) : undefined
  const phl = list(options.previousHighLow, true).map((o) => new PreviousHighLowStream(o, cap0))
  const ses = list(options.sessions, false).map((o) => new SessionsStream(o, cap0))
  // Order matters: the swing frame first, then everything reading it.
  const ordered: { grow(cap: number): void; push(s: Series): void }[] = [sw]
  for (const p of [fvg, bos, ob, liq, ret]) if (p) ordered.push(p)
  ordered.push(...phl, ...ses)

  const view = (a: Float64Array) => a.subarray(0, series.n)
  const viewI = (a: Int32Array) => a.subarray(0, series.n)
  const need = <T>(x: T | undefined | false, name: string): T => {
    if (!x) throw new RangeError(`createSmcStream: ${name} is disabled in this stream's options`)
    return x
  }
  const at = <T>(arr: T[], index: number, name: string): T => {
    const x = arr[index]
    if (!x) throw new RangeError(`createSmcStream: no ${name} configuration #${index} (have ${arr.length})`)
    return x
  }

  const api: SmcStream = {
    get length() {
      return series.n
    },
    dropped: 0,
    push(candle) {
      const { time, open, high, low, close, volume } = candle
      const i = series.n
      checkCandle(candle, i, series.time[i - 1])
      for (const s of ses) s.prepare(time, i)
      if (i === series.cap) {
        const cap = series.cap * 2
        series.grow(cap)
        for (const p of ordered) p.grow(cap)
      }
      series.time[i] = time
      series.open[i] = open
      series.high[i] = high
      series.low[i] = low
      series.close[i] = close
      series.volume[i] = volume
      series.n = i + 1
      for (const p of ordered) p.push(series)
      return api
    },
    candles() {
      return {
        time: view(series.time),
        open: view(series.open),
        high: view(series.high),
        low: view(series.low),
        close: view(series.close),
        volume: view(series.volume),
      }
    },
    swings() {
      return { highLow: view(sw.highLow), level: view(sw.level) }
    },
    fvg() {
      const f = need(fvg, 'fvg')
      return { fvg: view(f.fvg), top: view(f.top), bottom: view(f.bottom), mitigatedIndex: view(f.mit) }
    },
    bosChoch() {
      const b = need(bos, 'bosChoch')
      return { bos: view(b.bos), choch: view(b.choch), level: view(b.level), brokenIndex: view(b.brokenIndex) }
    },
    ob() {
      const o = need(ob, 'ob')
      return {
        ob: view(o.ob),
        top: view(o.top),
        bottom: view(o.bottom),
        obVolume: view(o.obVolume),
        mitigatedIndex: view(o.mitigatedIndex),
        percentage: view(o.percentage),
      }
    },
    liquidity() {
      const l = need(liq, 'liquidity')
      return { liquidity: view(l.liquidity), level: view(l.level), end: view(l.end), swept: view(l.swept) }
    },
    retracements() {
      const r = need(ret, 'retracements')
      return { direction: viewI(r.direction), currentRetracement: view(r.current), deepestRetracement: view(r.deepest) }
    },
    previousHighLow(index = 0) {
      const p = at(phl, index, 'previousHighLow')
      return {
        previousHigh: view(p.previousHigh),
        previousLow: view(p.previousLow),
        brokenHigh: viewI(p.brokenHigh),
        brokenLow: viewI(p.brokenLow),
      }
    },
    sessions(index = 0) {
      const s = at(ses, index, 'sessions')
      return { active: viewI(s.active), high: view(s.high), low: view(s.low) }
    },
    result() {
      return {
        length: series.n,
        swings: api.swings(),
        fvg: fvg ? api.fvg() : undefined,
        bosChoch: bos ? api.bosChoch() : undefined,
        ob: ob ? api.ob() : undefined,
        liquidity: liq ? api.liquidity() : undefined,
        retracements: ret ? api.retracements() : undefined,
        previousHighLow: phl.map((_, k) => api.previousHighLow(k)),
        sessions: ses.map((_, k) => api.sessions(k)),
      }
    },
  }
  return { api, series }
}
