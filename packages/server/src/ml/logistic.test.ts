import { describe, expect, it } from 'vitest'
import { createRandom } from '../core'
import { fitSoftmax, softmaxProbabilities } from './logistic'

/** Rows drawn from a known 3-class softmax model over 2 inputs. */
function sample(n: number, seed: string): { X: Float64Array; y: Uint8Array; truth: number[][] } {
  const truth = [
    [2, -1, 0.3],
    [0, 0, 0.5],
    [-2, 1, 0.1],
  ]
  const rng = createRandom(seed)
  const X = new Float64Array(n * 2)
  const y = new Uint8Array(n)
  const p = new Float64Array(3)
  const w = new Float64Array(truth.flat())
  for (let i = 0; i < n; i++) {
    X[2 * i] = rng.normal()
    X[2 * i + 1] = rng.normal()
    softmaxProbabilities(w, 3, 2, X, 2 * i, p)
    const u = rng.next()
    y[i] = u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2
  }
  return { X, y, truth }
}

describe('multinomial logistic regression', () => {
  it('recovers a known softmax model (differences between class weights; the softmax is shift-invariant)', () => {
    const { X, y, truth } = sample(20_000, 'lr')
    const fit = fitSoftmax(X, y, 20_000, 2, { classes: 3, l2: 0, seed: 1 })
    expect(fit.converged).toBe(true)
    const w = fit.weights
    for (let j = 0; j < 3; j++) {
      expect(w[0 + j]! - w[3 + j]!).toBeCloseTo(truth[0]![j]! - truth[1]![j]!, 1)
      expect(w[6 + j]! - w[3 + j]!).toBeCloseTo(truth[2]![j]! - truth[1]![j]!, 1)
    }
  })

  it('is deterministic for a seed, and L2 shrinks the weights', () => {
    const { X, y } = sample(2000, 'det')
    const a = fitSoftmax(X, y, 2000, 2, { classes: 3, l2: 0.01, seed: 5 })
    const b = fitSoftmax(X, y, 2000, 2, { classes: 3, l2: 0.01, seed: 5 })
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights))
    const strong = fitSoftmax(X, y, 2000, 2, { classes: 3, l2: 1, seed: 5 })
    const norm = (w: Float64Array): number => w.reduce((s, v, i) => (i % 3 === 2 ? s : s + v * v), 0)
    expect(norm(strong.weights)).toBeLessThan(norm(a.weights) / 4)
  })

  it('probabilities sum to 1 and survive large logits', () => {
    const w = new Float64Array([1000, 0, 0, -1000, 0, 0])
    const p = softmaxProbabilities(w, 2, 2, new Float64Array([1, 0]), 0, new Float64Array(2))
    expect(p[0]).toBe(1)
    expect(p[1]).toBe(0)
    expect(p[0]! + p[1]!).toBe(1)
  })
})
