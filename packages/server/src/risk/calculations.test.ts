import { describe, expect, it } from 'vitest'
import { historicalVar, maxDrawdown, returns, riskScore, usageSeverity } from './calculations'

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
})
