import { createRandom } from '../core'

/**
 * Multinomial logistic regression (softmax), written out: K classes, d inputs, weights stored
 * class-major with the bias last (`w[k·(d+1) + j]`, `j = d` the bias).
 *
 * Objective: mean cross-entropy + (λ/2)·Σ w² over the non-bias weights, minimised by L-BFGS
 * (memory 8, backtracking Armijo line search) from a seeded small random start. Everything is
 * plain arithmetic in a fixed order, so the same data and seed give bit-identical weights.
 */
export interface SoftmaxFitOptions {
  classes: number
  /** L2 strength λ on the non-bias weights. */
  l2: number
  seed: string | number
  maxIterations?: number
  /** Stop when the gradient's largest component is below this. */
  tolerance?: number
}

export interface SoftmaxFit {
  weights: Float64Array
  iterations: number
  converged: boolean
  /** Final objective (mean cross-entropy + penalty). */
  objective: number
}

const MEMORY = 8

/**
 * Class probabilities of one input row `X[offset … offset+d)` into `out` (length K).
 *
 * @example
 * softmaxProbabilities(fit.weights, 3, d, x, 0, probs)
 */
export function softmaxProbabilities(
  w: Float64Array,
  classes: number,
  d: number,
  X: Float64Array,
  offset: number,
  out: Float64Array,
): Float64Array {
  let max = Number.NEGATIVE_INFINITY
  for (let k = 0; k < classes; k++) {
    const wo = k * (d + 1)
    let z = w[wo + d]!
    for (let j = 0; j < d; j++) z += w[wo + j]! * X[offset + j]!
    out[k] = z
    if (z > max) max = z
  }
  let sum = 0
  for (let k = 0; k < classes; k++) {
    const e = Math.exp(out[k]! - max)
    out[k] = e
    sum += e
  }
  for (let k = 0; k < classes; k++) out[k] = out[k]! / sum
  return out
}

/** Objective and its gradient (into `g`) at `w`. */
function objective(w: Float64Array, g: Float64Array, X: Float64Array, y: Uint8Array, n: number, d: number, K: number, l2: number): number {
  g.fill(0)
  const p = new Float64Array(K)
  let loss = 0
  for (let i = 0; i < n; i++) {
    const o = i * d
    softmaxProbabilities(w, K, d, X, o, p)
    const yi = y[i]!
    loss -= Math.log(Math.max(p[yi]!, 1e-300))
    for (let k = 0; k < K; k++) {
      const r = p[k]! - (k === yi ? 1 : 0)
      const wo = k * (d + 1)
      for (let j = 0; j < d; j++) g[wo + j] += r * X[o + j]!
      g[wo + d] += r
    }
  }
  const inv = 1 / n
  let penalty = 0
  for (let k = 0; k < K; k++) {
    const wo = k * (d + 1)
    for (let j = 0; j <= d; j++) {
      g[wo + j] = g[wo + j]! * inv
      if (j < d) {
        const v = w[wo + j]!
        g[wo + j] += l2 * v
        penalty += v * v
      }
    }
  }
  return loss * inv + 0.5 * l2 * penalty
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

function maxAbs(a: Float64Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!)
    if (v > m) m = v
  }
  return m
}

/**
 * Fit on `n` rows of `d` standardised inputs (`X` row-major) with labels `y` in `0 … K−1`.
 *
 * @example
 * const fit = fitSoftmax(X, y, n, d, { classes: 3, l2: 0.01, seed: 42 })
 */
export function fitSoftmax(X: Float64Array, y: Uint8Array, n: number, d: number, options: SoftmaxFitOptions): SoftmaxFit {
  const K = options.classes
  const l2 = options.l2
  const maxIterations = options.maxIterations ?? 300
  const tolerance = options.tolerance ?? 1e-7
  const size = K * (d + 1)
  const rng = createRandom(`softmax:${options.seed}`)
  let w = new Float64Array(size)
  for (let i = 0; i < size; i++) w[i] = 0.01 * rng.normal()
  if (n === 0) return { weights: w, iterations: 0, converged: false, objective: Number.NaN }

  let g = new Float64Array(size)
  let f = objective(w, g, X, y, n, d, K, l2)
  const S: Float64Array[] = []
  const Y: Float64Array[] = []
  const rho: number[] = []
  const alpha = new Float64Array(MEMORY)
  const dir = new Float64Array(size)
  let wNext = new Float64Array(size)
  let gNext = new Float64Array(size)
  let iterations = 0
  let converged = maxAbs(g) < tolerance

  while (!converged && iterations < maxIterations) {
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < size; i++) dir[i] = -g[i]!
    for (let m = S.length - 1; m >= 0; m--) {
      const a = rho[m]! * dot(S[m]!, dir)
      alpha[m] = a
      const ym = Y[m]!
      for (let i = 0; i < size; i++) dir[i] -= a * ym[i]!
    }
    if (S.length > 0) {
      const last = S.length - 1
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!)
      for (let i = 0; i < size; i++) dir[i] *= gamma
    } else {
      const scale = 1 / Math.max(1, Math.sqrt(dot(g, g)))
      for (let i = 0; i < size; i++) dir[i] *= scale
    }
    for (let m = 0; m < S.length; m++) {
      const b = rho[m]! * dot(Y[m]!, dir)
      const sm = S[m]!
      const a = alpha[m]!
      for (let i = 0; i < size; i++) dir[i] += (a - b) * sm[i]!
    }
    let slope = dot(g, dir)
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0
      for (let i = 0; i < size; i++) dir[i] = -g[i]!
      slope = -dot(g, g)
    }
    // Backtracking Armijo line search.
    let step = 1
    let fNext = Number.NaN
    let accepted = false
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < size; i++) wNext[i] = w[i]! + step * dir[i]!
      fNext = objective(wNext, gNext, X, y, n, d, K, l2)
      if (fNext <= f + 1e-4 * step * slope) {
        accepted = true
        break
      }
      step *= 0.5
    }
    iterations++
    if (!accepted) break
    const s = new Float64Array(size)
    const yv = new Float64Array(size)
    for (let i = 0; i < size; i++) {
      s[i] = wNext[i]! - w[i]!
      yv[i] = gNext[i]! - g[i]!
    }
    const sy = dot(s, yv)
    if (sy > 1e-12) {
      if (S.length === MEMORY) {
        S.shift()
        Y.shift()
        rho.shift()
      }
      S.push(s)
      Y.push(yv)
      rho.push(1 / sy)
    }
    ;[w, wNext] = [wNext, w]
    ;[g, gNext] = [gNext, g]
    const improvement = f - fNext
    f = fNext
    converged = maxAbs(g) < tolerance || improvement < 1e-12 * Math.max(1, Math.abs(f))
  }
  return { weights: w, iterations, converged, objective: f }
}
