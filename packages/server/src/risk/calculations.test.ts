import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { correlationMatrix, historicalVar, maxDrawdown, pearson, returns, riskScore, tailRisk, usageSeverity } from './calculations'

describe('risk calculations', () => {
  it('max drawdown: largest peak-to-trough fall as a fraction of the peak', () => {
    expect(maxDrawdown([100, 120, 90, 130, 117])).toBeCloseTo(0.25, 12)
    expect(maxDrawdown([100, 110, 120])).toBe(0)
  })
  it('historical VaR: minus the ⌊5 %·n⌋-th smallest scenario PnL of the current holdings', () => {
    // 20 scenarios: the 1st smallest (index ⌊0.05·20⌋ = 1) after sorting.
    const r = Array.from({ length: 20 }, (_, i) => (i - 10) / 1000) // −1 % … +0.9 %
    expect(historicalVar([{ value: 10_000, returns: r }])).toBeCloseTo(90, 9) // second worst: −0.9 %
    // A short gains when prices fall: its VaR comes from the rises.
    expect(historicalVar([{ value: -10_000, returns: r }])).toBeCloseTo(80, 9)
    // Hedged holdings cancel out.
    expect(historicalVar([{ value: 10_000, returns: r }, { value: -10_000, returns: r }])).toBe(0)
    expect(historicalVar([])).toBe(0)
  })
  it('returns of a price series', () => {
    const [up, down] = returns([100, 110, 99])
    expect(up).toBeCloseTo(0.1, 12)
    expect(down).toBeCloseTo(-0.1, 12)
  })
  it('risk score weights and clamps its three usages', () => {
    expect(riskScore({ exposure: 0.45, dailyLoss: 0, drawdown: 0.2 })).toBe(0.24)
    expect(riskScore({ exposure: 5, dailyLoss: 2, drawdown: Infinity })).toBe(1)
    expect(riskScore({ exposure: 0, dailyLoss: 0, drawdown: 0 })).toBe(0)
  })
  it('severity of a usage: medium from 80 %, high from 95 %, critical from 100 %', () => {
    expect([0.79, 0.8, 0.95, 1, 3].map(usageSeverity)).toEqual([undefined, 'medium', 'high', 'critical', 'critical'])
  })
  it('expected shortfall: minus the mean of the VaR scenario and the worse ones', () => {
    const r = Array.from({ length: 40 }, (_, i) => (i - 20) / 1000) // −2 % … +1.9 %
    // k = ⌊0.05·40⌋ = 2: the three worst scenarios −2 %, −1.9 %, −1.8 % of 10,000.
    const t = tailRisk([{ value: 10_000, returns: r }])
    expect(t.var).toBeCloseTo(180, 9)
    expect(t.expectedShortfall).toBeCloseTo(190, 9)
    expect(tailRisk([])).toEqual({ var: 0, expectedShortfall: 0 })
  })
  it('expected shortfall ≥ VaR for any holdings (property)', () => {
    const series = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 1, maxLength: 60 })
    fc.assert(
      fc.property(fc.array(fc.record({ value: fc.double({ min: -1e6, max: 1e6, noNaN: true }), returns: series }), { maxLength: 4 }), fc.double({ min: 0.5, max: 0.999, noNaN: true }), (holdings, confidence) => {
        const t = tailRisk(holdings, confidence)
        expect(t.expectedShortfall).toBeGreaterThanOrEqual(t.var - 1e-9 * (1 + t.var))
        expect(t.var).toBe(historicalVar(holdings, confidence))
      }),
    )
  })
  it('pearson: ±1 for linear series, null when undefined, aligned on the most recent end', () => {
    expect(pearson([0.01, 0.02, -0.01], [0.02, 0.04, -0.02])).toBeCloseTo(1, 12)
    expect(pearson([0.01, 0.02, -0.01], [-0.01, -0.02, 0.01])).toBeCloseTo(-1, 12)
    expect(pearson([0.01, 0.01, 0.01], [0.01, 0.02, 0.03])).toBeNull()
    expect(pearson([0.5], [0.5])).toBeNull()
    // The older extra value of the longer series is ignored.
    expect(pearson([9, 1, 2, 3], [1, 2, 3])).toBeCloseTo(1, 12)
  })
  it('correlation matrix: symmetric with a unit diagonal', () => {
    const m = correlationMatrix({ A: [0.01, -0.02, 0.03, 0], B: [0.02, -0.01, 0.01, 0.01], C: [1, 1, 1, 1] })
    expect(m.A!.A).toBe(1)
    expect(m.C!.C).toBe(1)
    expect(m.A!.B).toBe(m.B!.A)
    expect(m.A!.C).toBeNull()
    expect(correlationMatrix({})).toEqual({})
  })
})
