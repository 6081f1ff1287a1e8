import type { Candles } from '@smc-trading/smc'
import { hashSeed } from '../core'
import { type FeatureMatrix, rowComplete } from './features'
import { DIRECTIONS, type Direction, directionOf, flatBand, forwardReturns } from './labels'
import { fitSoftmax, softmaxProbabilities } from './logistic'

export interface TrainOptions {
  /** Label horizon in candles. */
  horizon: number
  seed: string | number
  /** L2 strength on the standardised weights. Default 0.01. */
  l2?: number
  /** Chronological share of the samples trained on; the rest (after a gap of `horizon`) is held out. Default 0.7. */
  trainFraction?: number
  /** Expanding walk-forward folds. Default 4. */
  folds?: number
  /** Fewer labelled samples than this: no model. Default 150. */
  minSamples?: number
  maxIterations?: number
}

/** Counts per class. */
export interface ClassCounts {
  up: number
  flat: number
  down: number
}

export interface WalkForwardFold {
  fold: number
  train_samples: number
  test_samples: number
  /** Open time (ISO) of the first and last test candle. */
  test_from: string
  test_to: string
  accuracy: number
  /** Frequency of the fold's most common test class. */
  baseline_accuracy: number
  log_loss: number
}

/** What training measured, as plain snake_case JSON. */
export interface ModelMetrics {
  horizon: number
  model_version: string
  features: string[]
  label: {
    classes: Direction[]
    /** The flat band τ: up when ln(close[t+h]/close[t]) > τ, down when < −τ, flat otherwise. */
    flat_band: { log_return: number; bps: number }
    rule: string
  }
  /** Open times (ISO) of the first and last training sample's candle. */
  training_window: { from: string; to: string }
  held_out_window: { from: string; to: string }
  samples: { total: number; train: number; gap: number; held_out: number }
  class_distribution: { train: ClassCounts; held_out: ClassCounts }
  train: { accuracy: number; log_loss: number }
  held_out: { accuracy: number; log_loss: number }
  /**
   * Constant predictors on the held-out set: `accuracy` of always answering the held-out set's
   * most common class (the best any constant answer scores there), `log_loss` of always answering
   * the training class frequencies.
   */
  baseline: { strategy: 'majority_class'; class: Direction; accuracy: number; log_loss: number }
  walk_forward: { folds: WalkForwardFold[]; mean_accuracy: number | null; mean_baseline_accuracy: number | null }
  optimizer: { method: 'L-BFGS'; iterations: number; converged: boolean; l2: number }
  seed: string
}

/** A trained model: everything needed to predict, plus its measured figures. */
export interface DirectionModel {
  horizon: number
  band: number
  mean: Float64Array
  std: Float64Array
  weights: Float64Array
  d: number
  metrics: ModelMetrics
}

export type TrainResult = { ok: true; model: DirectionModel } | { ok: false; reason: string; samples: number }

const K = DIRECTIONS.length
const EPS = 1e-15
const iso = (ms: number): string => new Date(ms).toISOString()
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6

interface Fitted {
  band: number
  mean: Float64Array
  std: Float64Array
  weights: Float64Array
  iterations: number
  converged: boolean
  prior: Float64Array
  trainCounts: Float64Array
}

/** Labels of rows `idx` with the flat band. */
function labelsOf(idx: readonly number[], r: Float64Array, band: number): Uint8Array {
  const y = new Uint8Array(idx.length)
  for (let i = 0; i < idx.length; i++) y[i] = directionOf(r[idx[i]!]!, band)
  return y
}

function standardised(f: FeatureMatrix, idx: readonly number[], mean: Float64Array, std: Float64Array): Float64Array {
  const d = f.d
  const X = new Float64Array(idx.length * d)
  for (let i = 0; i < idx.length; i++) {
    const o = idx[i]! * d
    for (let j = 0; j < d; j++) X[i * d + j] = (f.values[o + j]! - mean[j]!) / std[j]!
  }
  return X
}

function fit(f: FeatureMatrix, r: Float64Array, trainIdx: readonly number[], options: Required<Pick<TrainOptions, 'l2' | 'seed' | 'maxIterations'>>): Fitted {
  const d = f.d
  const n = trainIdx.length
  const band = flatBand(trainIdx.map((t) => r[t]!))
  const mean = new Float64Array(d)
  const std = new Float64Array(d)
  for (const t of trainIdx) for (let j = 0; j < d; j++) mean[j] += f.values[t * d + j]!
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n
  for (const t of trainIdx) {
    for (let j = 0; j < d; j++) {
      const e = f.values[t * d + j]! - mean[j]!
      std[j] += e * e
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(std[j]! / n)
    std[j] = s > 1e-12 ? s : 1
  }
  const y = labelsOf(trainIdx, r, band)
  const X = standardised(f, trainIdx, mean, std)
  const result = fitSoftmax(X, y, n, d, { classes: K, l2: options.l2, seed: options.seed, maxIterations: options.maxIterations })
  const trainCounts = new Float64Array(K)
  for (let i = 0; i < n; i++) trainCounts[y[i]!]++
  const prior = new Float64Array(K)
  for (let k = 0; k < K; k++) prior[k] = Math.max(trainCounts[k]! / n, 1e-6)
  return { band, mean, std, weights: result.weights, iterations: result.iterations, converged: result.converged, prior, trainCounts }
}

interface Evaluation {
  accuracy: number
  logLoss: number
  counts: Float64Array
  majority: number
  baselineAccuracy: number
  baselineLogLoss: number
}

/** Accuracy and log loss of a fitted model on rows `idx`, with the constant baselines. */
function evaluate(m: Fitted, f: FeatureMatrix, r: Float64Array, idx: readonly number[]): Evaluation {
  const d = f.d
  const y = labelsOf(idx, r, m.band)
  const X = standardised(f, idx, m.mean, m.std)
  const p = new Float64Array(K)
  const counts = new Float64Array(K)
  let correct = 0
  let loss = 0
  let baseLoss = 0
  for (let i = 0; i < idx.length; i++) {
    softmaxProbabilities(m.weights, K, d, X, i * d, p)
    const yi = y[i]!
    counts[yi]++
    if (argmax(p) === yi) correct++
    loss -= Math.log(Math.max(p[yi]!, EPS))
    baseLoss -= Math.log(m.prior[yi]!)
  }
  const n = idx.length
  const majority = argmax(counts)
  return {
    accuracy: n > 0 ? correct / n : Number.NaN,
    logLoss: n > 0 ? loss / n : Number.NaN,
    counts,
    majority,
    baselineAccuracy: n > 0 ? counts[majority]! / n : Number.NaN,
    baselineLogLoss: n > 0 ? baseLoss / n : Number.NaN,
  }
}

/** Index of the largest value; ties go to the earlier class (up, then flat, then down). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k
  return best
}

const countsOf = (c: Float64Array): ClassCounts => ({ up: c[0]!, flat: c[1]!, down: c[2]! })

function versionOf(m: Fitted, horizon: number): string {
  const text = [horizon, m.band, ...m.mean, ...m.std, ...m.weights].map((v) => v.toString()).join(',')
  return `mlr-h${horizon}-${hashSeed(text).toString(16).padStart(8, '0')}`
}

/**
 * Train the direction model of one horizon on closed candles and their features.
 *
 * Samples are the candles whose features are all defined and whose label (h candles later) is
 * known, in time order. The first `trainFraction` of them train the model (flat band, feature
 * means/σ and weights all from them only); the held-out set starts `horizon` candles after the last
 * training candle, so no training label overlaps a held-out label. Walk-forward: the samples are
 * cut into `folds + 1` chronological blocks; fold j trains on blocks 0 … j−1 and tests on block j
 * (same gap). The model kept for predictions is the one evaluated on the held-out set.
 *
 * @example
 * const r = trainDirectionModel(cols, computeFeatures(cols), { horizon: 4, seed: 42 })
 * if (r.ok) r.model.metrics.held_out.accuracy
 */
export function trainDirectionModel(candles: Candles, f: FeatureMatrix, options: TrainOptions): TrainResult {
  const h = options.horizon
  const l2 = options.l2 ?? 0.01
  const trainFraction = options.trainFraction ?? 0.7
  const folds = options.folds ?? 4
  const minSamples = options.minSamples ?? 150
  const fitOptions = { l2, seed: options.seed, maxIterations: options.maxIterations ?? 300 }
  const T = candles.time
  const r = forwardReturns(candles.close, h)
  const samples: number[] = []
  for (let t = 0; t < f.rows; t++) if (r[t] === r[t] && rowComplete(f, t)) samples.push(t)
  const m = samples.length
  if (m < minSamples) return { ok: false, reason: `${m} labelled samples, at least ${minSamples} needed`, samples: m }

  const split = (train: number[], rest: readonly number[]): number[] => {
    const last = train[train.length - 1]!
    return rest.filter((t) => t > last + h)
  }
  const nTrain = Math.floor(trainFraction * m)
  const trainIdx = samples.slice(0, nTrain)
  const heldIdx = split(trainIdx, samples.slice(nTrain))
  if (heldIdx.length === 0) return { ok: false, reason: 'no held-out samples after the gap', samples: m }

  const model = fit(f, r, trainIdx, fitOptions)
  const onTrain = evaluate(model, f, r, trainIdx)
  const onHeld = evaluate(model, f, r, heldIdx)

  const foldRows: WalkForwardFold[] = []
  const block = Math.floor(m / (folds + 1))
  for (let j = 1; j <= folds && block > 0; j++) {
    const tr = samples.slice(0, j * block)
    const te = split(tr, samples.slice(j * block, j === folds ? m : (j + 1) * block))
    if (tr.length === 0 || te.length === 0) continue
    const fm = fit(f, r, tr, fitOptions)
    const ev = evaluate(fm, f, r, te)
    foldRows.push({
      fold: j,
      train_samples: tr.length,
      test_samples: te.length,
      test_from: iso(T[te[0]!]!),
      test_to: iso(T[te[te.length - 1]!]!),
      accuracy: round6(ev.accuracy),
      baseline_accuracy: round6(ev.baselineAccuracy),
      log_loss: round6(ev.logLoss),
    })
  }
  const mean = (xs: number[]): number | null => (xs.length > 0 ? round6(xs.reduce((a, b) => a + b, 0) / xs.length) : null)

  const metrics: ModelMetrics = {
    horizon: h,
    model_version: versionOf(model, h),
    features: [...f.names],
    label: {
      classes: [...DIRECTIONS],
      flat_band: { log_return: model.band, bps: round6(model.band * 1e4) },
      rule: 'up if ln(close[t+h]/close[t]) > flat_band, down if < -flat_band, else flat; flat_band = 1/3 quantile of |return| over the training samples',
    },
    training_window: { from: iso(T[trainIdx[0]!]!), to: iso(T[trainIdx[trainIdx.length - 1]!]!) },
    held_out_window: { from: iso(T[heldIdx[0]!]!), to: iso(T[heldIdx[heldIdx.length - 1]!]!) },
    samples: { total: m, train: trainIdx.length, gap: m - trainIdx.length - heldIdx.length, held_out: heldIdx.length },
    class_distribution: { train: countsOf(model.trainCounts), held_out: countsOf(onHeld.counts) },
    train: { accuracy: round6(onTrain.accuracy), log_loss: round6(onTrain.logLoss) },
    held_out: { accuracy: round6(onHeld.accuracy), log_loss: round6(onHeld.logLoss) },
    baseline: {
      strategy: 'majority_class',
      class: DIRECTIONS[onHeld.majority]!,
      accuracy: round6(onHeld.baselineAccuracy),
      log_loss: round6(onHeld.baselineLogLoss),
    },
    walk_forward: {
      folds: foldRows,
      mean_accuracy: mean(foldRows.map((x) => x.accuracy)),
      mean_baseline_accuracy: mean(foldRows.map((x) => x.baseline_accuracy)),
    },
    optimizer: { method: 'L-BFGS', iterations: model.iterations, converged: model.converged, l2 },
    seed: String(options.seed),
  }
  return {
    ok: true,
    model: { horizon: h, band: model.band, mean: model.mean, std: model.std, weights: model.weights, d: f.d, metrics },
  }
}

/**
 * Class probabilities (up, flat, down) for feature row `t`, or undefined when a feature is missing.
 *
 * @example
 * predictProbabilities(model, features, features.rows - 1) // Float64Array [pUp, pFlat, pDown]
 */
export function predictProbabilities(model: DirectionModel, f: FeatureMatrix, t: number): Float64Array | undefined {
  if (t < 0 || t >= f.rows || !rowComplete(f, t)) return undefined
  const x = new Float64Array(f.d)
  for (let j = 0; j < f.d; j++) x[j] = (f.values[t * f.d + j]! - model.mean[j]!) / model.std[j]!
  return softmaxProbabilities(model.weights, K, f.d, x, 0, new Float64Array(K))
}
