import type { Candles } from '@smc-trading/smc'
import { DomainError, type ErrorCode } from '../core'
import { type CandleColumns, type Interval, type MarketData, INTERVAL_MINUTES } from '../market'
import { DEFAULT_SWING_LENGTH, FEATURE_NAMES, type FeatureMatrix, computeFeatures } from './features'
import { DIRECTIONS, type Direction, directionOf } from './labels'
import { argmax, type DirectionModel, type ModelMetrics, predictProbabilities, trainDirectionModel } from './model'

const MODEL_UNAVAILABLE: ErrorCode = 'MODEL_UNAVAILABLE'

const MINUTE_MS = 60_000
const iso = (ms: number): string => new Date(ms).toISOString()

/** Seed 002's wording of the three classes. */
const SEED_DIRECTION: Readonly<Record<Direction, 'bullish' | 'neutral' | 'bearish'>> = { up: 'bullish', flat: 'neutral', down: 'bearish' }

export interface PredictionServiceOptions {
  /** Candle interval the models read and predict. Default `15m` (30 days of history ≈ 2,900 candles). */
  interval?: Interval
  /** Supported horizons, in candles of `interval`. Default `[1, 4, 12]`. */
  horizons?: readonly number[]
  /** Symbols to model. Default: every symbol of the market at the first training. */
  symbols?: readonly string[]
  /** Seeds the weights' initialisation: same seed and data, same predictions. Default 42. */
  seed?: string | number
  /** Closed candles read per symbol for training and features. Default 2000. */
  historyCandles?: number
  /** Retrain a symbol's models after this many new closed candles. Default 24. */
  retrainEvery?: number
  /** L2 strength. Default 0.01. */
  l2?: number
  /** Candles on each side of an SMC swing (trend feature). Default 5. */
  swingLength?: number
  /** Recorded predictions kept per symbol and horizon (newest). Default 500. */
  keepRecorded?: number
}

/** Live hit rate over resolved predictions. */
export interface LiveStats {
  resolved: number
  correct: number
  /** correct ÷ resolved, null before the first resolution. */
  hit_rate: number | null
  pending: number
}

/** One prediction, as plain snake_case JSON (`predict`, and each `onClosedCandle` update). */
export interface PredictionView {
  symbol: string
  horizon: number
  interval: Interval
  horizon_ms: number
  /** Market time (ISO) when the prediction was made. */
  timestamp: string
  /** Open time (ISO) of the closed candle whose close the prediction starts from. */
  candle_time: string
  /** Open time (ISO) of the candle whose close resolves it (candle_time + horizon candles). */
  target_time: string
  current_price: number
  probabilities: { up: number; flat: number; down: number }
  prediction: Direction
  /** Seed 002's name for the same class. */
  direction: 'bullish' | 'neutral' | 'bearish'
  /** Probability of the predicted class. */
  confidence: number
  /** The flat band τ (bps of log return) the outcome is judged with. */
  flat_band_bps: number
  model_version: string
}

/** A recorded prediction and, once its horizon has passed, its outcome. */
export interface RecordedPrediction extends PredictionView {
  status: 'pending' | 'resolved'
  actual: Direction | null
  correct: boolean | null
  /** ln(close[target] / close[candle]) in bps, null while pending. */
  realized_return_bps: number | null
  resolved_at: string | null
}

/** One (symbol, horizon) model in `info()`. */
export type SymbolModelInfo =
  | ({ symbol: string; horizon: number; horizon_ms: number; status: 'ready'; trained_at: string; live: LiveStats } & Omit<ModelMetrics, 'horizon'>)
  | { symbol: string; horizon: number; horizon_ms: number; status: 'insufficient_data'; reason: string; trained_at: string; live: LiveStats }

/** `info()`: the whole model set, as plain snake_case JSON. */
export interface ModelInfo {
  status: 'ready'
  model: {
    type: 'multinomial_logistic_regression'
    classes: Direction[]
    features: string[]
    standardization: string
    optimizer: string
    l2: number
    swing_length: number
  }
  interval: Interval
  horizons: number[]
  symbols: string[]
  seed: string
  /** Market time (ISO) of the latest training of any symbol. */
  trained_at: string
  retrain_every: number
  history_candles: number
  state: 'in_memory'
  models: SymbolModelInfo[]
  live: { resolved: number; correct: number; hit_rate: number | null }
}

interface Slot {
  model: DirectionModel | undefined
  reason: string
  trainedAt: number
  records: Recorded[]
  resolved: number
  correct: number
}

/** A recorded prediction with what its resolution needs at full precision. */
interface Recorded {
  view: RecordedPrediction
  band: number
  start: number
}

/** Most candles one `onClosedCandle` call records predictions for (the newest ones). */
const MAX_BACKFILL = 100

interface SymbolState {
  slots: Map<number, Slot>
  /** Open time of the latest closed candle a prediction was recorded for (or training saw). */
  lastCandle: number
  sinceTrain: number
  /** Features of the latest read, keyed by its last candle time. */
  cache: { last: number; cols: Candles; features: FeatureMatrix } | undefined
}

/**
 * Direction predictions per symbol and horizon from a multinomial logistic regression on causal
 * candle features (see `docs/analytics.md`, "Prediction model"). State is in memory: models are
 * trained at start (`train`) and retrained every `retrainEvery` closed candles; recorded
 * predictions and the live hit rate start over with the process.
 *
 * @example
 * const ml = new PredictionService({ interval: '15m', horizons: [1, 4, 12], seed: 42 })
 * ml.train(market)
 * ml.predict('BTCUSDT', 4)     // { probabilities: { up, flat, down }, prediction: 'up', … }
 * // on every closed candle of the interval:
 * for (const p of ml.onClosedCandle('BTCUSDT')) publish(`predictions.${p.symbol}`, p)
 */
export class PredictionService {
  readonly interval: Interval
  readonly horizons: readonly number[]
  readonly seed: string
  private readonly intervalMs: number
  private readonly historyCandles: number
  private readonly retrainEvery: number
  private readonly l2: number
  private readonly swingLength: number
  private readonly keepRecorded: number
  private readonly symbolFilter: readonly string[] | undefined
  private market: MarketData | undefined
  private trainedAt = Number.NaN
  private readonly states = new Map<string, SymbolState>()

  constructor(options: PredictionServiceOptions = {}) {
    this.interval = options.interval ?? '15m'
    const minutes = INTERVAL_MINUTES[this.interval]
    if (minutes === undefined) throw new RangeError(`Unsupported interval ${String(this.interval)}`)
    this.intervalMs = minutes * MINUTE_MS
    this.horizons = Object.freeze([...(options.horizons ?? [1, 4, 12])])
    for (const h of this.horizons) if (!Number.isInteger(h) || h < 1) throw new RangeError(`horizon must be a positive integer, got ${h}`)
    this.seed = String(options.seed ?? 42)
    this.historyCandles = options.historyCandles ?? 2000
    this.retrainEvery = options.retrainEvery ?? 24
    this.l2 = options.l2 ?? 0.01
    this.swingLength = options.swingLength ?? DEFAULT_SWING_LENGTH
    this.keepRecorded = options.keepRecorded ?? 500
    this.symbolFilter = options.symbols ? [...options.symbols] : undefined
  }

  /** Whether `train` has run. */
  get trained(): boolean {
    return this.market !== undefined
  }

  /**
   * Train every symbol's models on the market's closed candles (the forming candle is dropped) and
   * bind the service to that market. `now` (ms) stamps `trained_at`; default the market's time.
   * Synchronous and deterministic.
   */
  train(market: MarketData, now: number = market.now()): ModelInfo {
    this.market = market
    const symbols = this.symbolFilter ?? market.symbols()
    for (const symbol of symbols) {
      market.requireInstrument(symbol)
      this.trainSymbol(symbol, now)
    }
    return this.info()
  }

  /** A cheap summary for health checks: when it trained, how many symbols, live results (undefined before training). */
  summary(): { trainedAt: string; symbols: number; resolved: number; correct: number } | undefined {
    if (!this.trained) return undefined
    let resolved = 0
    let correct = 0
    for (const state of this.states.values())
      for (const slot of state.slots.values()) {
        resolved += slot.resolved
        correct += slot.correct
      }
    return { trainedAt: iso(this.trainedAt), symbols: this.states.size, resolved, correct }
  }

  /** The model set and its measured figures; MODEL_UNAVAILABLE before the first training. */
  info(): ModelInfo {
    this.requireTrained()
    const models: SymbolModelInfo[] = []
    let resolved = 0
    let correct = 0
    for (const [symbol, state] of this.states) {
      for (const h of this.horizons) {
        const slot = state.slots.get(h)!
        resolved += slot.resolved
        correct += slot.correct
        const live = this.liveOf(slot)
        const base = { symbol, horizon: h, horizon_ms: h * this.intervalMs, trained_at: iso(slot.trainedAt) }
        if (slot.model) {
          const { horizon: _h, ...metrics } = slot.model.metrics
          models.push({ ...base, status: 'ready', ...metrics, live })
        } else models.push({ ...base, status: 'insufficient_data', reason: slot.reason, live })
      }
    }
    return {
      status: 'ready',
      model: {
        type: 'multinomial_logistic_regression',
        classes: [...DIRECTIONS],
        features: [...FEATURE_NAMES],
        standardization: 'z-score with the training samples\' mean and population σ',
        optimizer: 'L-BFGS (memory 8, Armijo backtracking), seeded initialisation',
        l2: this.l2,
        swing_length: this.swingLength,
      },
      interval: this.interval,
      horizons: [...this.horizons],
      symbols: [...this.states.keys()],
      seed: this.seed,
      trained_at: iso(this.trainedAt),
      retrain_every: this.retrainEvery,
      history_candles: this.historyCandles,
      state: 'in_memory',
      models,
      live: { resolved, correct, hit_rate: resolved > 0 ? correct / resolved : null },
    }
  }

  /**
   * The prediction for `symbol` over `horizon` candles from the latest closed candle. Throws
   * MODEL_UNAVAILABLE (not trained, or not enough data for this symbol), INVALID_SYMBOL, or
   * VALIDATION_FAILED (`details.field: 'horizon'`) for an unsupported horizon.
   */
  predict(symbol: string, horizon: number): PredictionView {
    const market = this.requireTrained()
    market.requireInstrument(symbol)
    this.checkHorizon(horizon)
    const state = this.states.get(symbol)
    if (!state) throw unavailable(`No model for ${symbol}`, { symbol })
    const slot = state.slots.get(horizon)!
    if (!slot.model) throw unavailable(`No model for ${symbol} at horizon ${horizon}: ${slot.reason}`, { symbol, horizon, reason: slot.reason })
    const { cols, features } = this.read(symbol, state)
    const t = cols.time.length - 1
    const view = t >= 0 ? this.viewAt(symbol, slot.model, cols, features, t, market.now()) : undefined
    if (!view) throw unavailable(`Not enough recent candles to predict ${symbol}`, { symbol, horizon })
    return view
  }

  /** Every supported horizon's prediction for `symbol` (see {@link PredictionService.predict}). */
  predictAll(symbol: string): PredictionView[] {
    return this.horizons.map((h) => this.predict(symbol, h))
  }

  /**
   * Recorded predictions of `symbol` (newest first), pending and resolved, optionally of one horizon.
   */
  recent(symbol: string, options: { horizon?: number; limit?: number } = {}): RecordedPrediction[] {
    const market = this.requireTrained()
    market.requireInstrument(symbol)
    if (options.horizon !== undefined) this.checkHorizon(options.horizon)
    const state = this.states.get(symbol)
    if (!state) return []
    const out: RecordedPrediction[] = []
    for (const h of this.horizons) {
      if (options.horizon !== undefined && h !== options.horizon) continue
      for (const { view } of state.slots.get(h)!.records) out.push({ ...view, probabilities: { ...view.probabilities } })
    }
    out.sort((a, b) => (a.candle_time < b.candle_time ? 1 : a.candle_time > b.candle_time ? -1 : a.horizon - b.horizon))
    return options.limit !== undefined ? out.slice(0, Math.max(0, options.limit)) : out
  }

  /**
   * Call on every closed candle of `interval` (calling more often is harmless): retrains the
   * symbol's models once `retrainEvery` new candles have closed, resolves the predictions whose
   * horizon has passed, and records one prediction per horizon for each newly closed candle.
   * Returns the new predictions (oldest candle first, then by horizon) for publishing; [] when no
   * new candle closed or before the first training.
   */
  onClosedCandle(symbol: string): PredictionView[] {
    const market = this.market
    if (!market) return []
    const state = this.states.get(symbol)
    if (!state) return []
    // Cheap early-out for callers on every tick: the newest candle that can be closed by now.
    const now = market.now()
    if (Math.floor(now / this.intervalMs) * this.intervalMs - this.intervalMs <= state.lastCandle) return []
    let { cols, features } = this.read(symbol, state)
    const n = cols.time.length
    let first = n
    while (first > 0 && cols.time[first - 1]! > state.lastCandle) first--
    if (first === n) return []
    const newCandles = n - first
    state.sinceTrain += newCandles
    if (state.sinceTrain >= this.retrainEvery) {
      this.trainSymbol(symbol, now)
      ;({ cols, features } = this.read(symbol, state))
    }
    this.resolve(state, cols, now)
    const out: PredictionView[] = []
    const m = cols.time.length
    for (let t = Math.max(0, m - Math.min(newCandles, MAX_BACKFILL)); t < m; t++) {
      for (const h of this.horizons) {
        const slot = state.slots.get(h)!
        if (!slot.model) continue
        const view = this.viewAt(symbol, slot.model, cols, features, t, now)
        if (!view) continue
        slot.records.push({
          view: { ...view, probabilities: { ...view.probabilities }, status: 'pending', actual: null, correct: null, realized_return_bps: null, resolved_at: null },
          band: slot.model.band,
          start: cols.time[t]!,
        })
        if (slot.records.length > this.keepRecorded) slot.records.splice(0, slot.records.length - this.keepRecorded)
        out.push(view)
      }
    }
    state.lastCandle = cols.time[m - 1]!
    return out
  }

  /** Live hit rate of one symbol and horizon. */
  live(symbol: string, horizon: number): LiveStats {
    this.requireTrained()
    this.checkHorizon(horizon)
    const slot = this.states.get(symbol)?.slots.get(horizon)
    return slot ? this.liveOf(slot) : { resolved: 0, correct: 0, hit_rate: null, pending: 0 }
  }

  private liveOf(slot: Slot): LiveStats {
    let pending = 0
    for (const r of slot.records) if (r.view.status === 'pending') pending++
    return { resolved: slot.resolved, correct: slot.correct, hit_rate: slot.resolved > 0 ? slot.correct / slot.resolved : null, pending }
  }

  private resolve(state: SymbolState, cols: Candles, now: number): void {
    const T = cols.time
    for (const h of this.horizons) {
      const slot = state.slots.get(h)!
      for (const { view: r, band, start } of slot.records) {
        if (r.status !== 'pending') continue
        const j = indexOfTime(T, start + h * this.intervalMs)
        if (j < 0) continue
        const actualReturn = Math.log(cols.close[j]! / r.current_price)
        const actual = DIRECTIONS[directionOf(actualReturn, band)]!
        r.status = 'resolved'
        r.actual = actual
        r.correct = actual === r.prediction
        r.realized_return_bps = actualReturn * 1e4
        r.resolved_at = iso(now)
        slot.resolved++
        if (r.correct) slot.correct++
      }
    }
  }

  private viewAt(symbol: string, model: DirectionModel, cols: Candles, features: FeatureMatrix, t: number, now: number): PredictionView | undefined {
    const p = predictProbabilities(model, features, t)
    if (!p) return undefined
    const k = argmax(p)
    const prediction = DIRECTIONS[k]!
    const h = model.horizon
    return {
      symbol,
      horizon: h,
      interval: this.interval,
      horizon_ms: h * this.intervalMs,
      timestamp: iso(now),
      candle_time: iso(cols.time[t]!),
      target_time: iso(cols.time[t]! + h * this.intervalMs),
      current_price: cols.close[t]!,
      probabilities: { up: p[0]!, flat: p[1]!, down: p[2]! },
      prediction,
      direction: SEED_DIRECTION[prediction],
      confidence: p[k]!,
      flat_band_bps: model.band * 1e4,
      model_version: model.metrics.model_version,
    }
  }

  private trainSymbol(symbol: string, now: number): void {
    let state = this.states.get(symbol)
    if (!state) {
      state = { slots: new Map(), lastCandle: Number.NEGATIVE_INFINITY, sinceTrain: 0, cache: undefined }
      this.states.set(symbol, state)
    }
    const { cols, features } = this.read(symbol, state)
    for (const h of this.horizons) {
      const result = trainDirectionModel(cols, features, { horizon: h, seed: `${this.seed}:${symbol}:${h}`, l2: this.l2 })
      const old = state.slots.get(h)
      const slot: Slot = old ?? { model: undefined, reason: '', trainedAt: now, records: [], resolved: 0, correct: 0 }
      slot.trainedAt = now
      if (result.ok) {
        slot.model = result.model
        slot.reason = ''
      } else {
        slot.model = undefined
        slot.reason = result.reason
      }
      // The metrics carry the service seed, not the per-slot derivation.
      if (slot.model) slot.model.metrics.seed = this.seed
      state.slots.set(h, slot)
    }
    const n = cols.time.length
    if (n > 0 && state.lastCandle === Number.NEGATIVE_INFINITY) state.lastCandle = cols.time[n - 1]!
    state.sinceTrain = 0
    if (!(this.trainedAt >= now)) this.trainedAt = now
  }

  /** Closed candles of `symbol` (the forming one dropped) and their features, cached per last candle. */
  private read(symbol: string, state: SymbolState): { cols: Candles; features: FeatureMatrix } {
    const market = this.market!
    const raw = market.candleColumns(symbol, this.interval, { limit: this.historyCandles + 1 })
    const cols = closedOnly(raw, this.intervalMs, market.now(), this.historyCandles)
    const n = cols.time.length
    const last = n > 0 ? cols.time[n - 1]! : Number.NaN
    const c = state.cache
    if (c && c.last === last && c.cols.time.length === n && (n === 0 || c.cols.time[0] === cols.time[0])) return c
    const fresh = { last, cols, features: computeFeatures(cols, this.swingLength) }
    state.cache = fresh
    return fresh
  }

  private requireTrained(): MarketData {
    if (!this.market) throw unavailable('The prediction model has not been trained yet', {})
    return this.market
  }

  private checkHorizon(horizon: number): void {
    if (!this.horizons.includes(horizon)) {
      throw new DomainError('VALIDATION_FAILED', `Unsupported horizon ${String(horizon)}; supported: ${this.horizons.join(', ')}`, {
        field: 'horizon',
        value: horizon,
        allowed: [...this.horizons],
      })
    }
  }
}

function unavailable(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError(MODEL_UNAVAILABLE, message, details)
}

/** The last `max` candles that have closed by `now` (a candle closes at time + interval). */
function closedOnly(cols: CandleColumns, intervalMs: number, now: number, max: number): Candles {
  let n = cols.time.length
  while (n > 0 && cols.time[n - 1]! + intervalMs > now) n--
  const from = Math.max(0, n - max)
  if (from === 0 && n === cols.time.length) return cols
  return {
    time: cols.time.slice(from, n),
    open: cols.open.slice(from, n),
    high: cols.high.slice(from, n),
    low: cols.low.slice(from, n),
    close: cols.close.slice(from, n),
    volume: cols.volume.slice(from, n),
  }
}

/** Index of `time` in ascending `T`, or −1. */
function indexOfTime(T: Float64Array, time: number): number {
  let lo = 0
  let hi = T.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = T[mid]!
    if (v === time) return mid
    if (v < time) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}
