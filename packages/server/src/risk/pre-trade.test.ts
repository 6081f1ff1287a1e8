import { describe, expect, it } from 'vitest'
import { toAtoms } from '../core'
import { preTrade } from './pre-trade'
import { NO_PROTECTIONS } from './protections'
import type { EffectiveLimits, OrderImpact, Portfolio } from './types'

const portfolio = (over: Partial<Portfolio> = {}): Portfolio => ({
  accountId: 'acc_1',
  userId: 'alice',
  now: Date.UTC(2024, 0, 1),
  balance: toAtoms(10_000),
  equity: toAtoms(10_000),
  exposure: 0,
  positions: [],
  peakEquity: toAtoms(10_000),
  dayStartEquity: toAtoms(10_000),
  ...over,
})
const buy = (over: Partial<OrderImpact> = {}): OrderImpact => ({
  symbol: 'BTCUSDT',
  side: 'buy',
  qtyScale: 1e5,
  currentLots: 0,
  resultingLots: 1_000,
  increasesExposure: true,
  requiredMargin: toAtoms(500),
  ...over,
})
const limits: EffectiveLimits = { maxPositionSize: 0.5, maxDailyLoss: 1_000, maxDrawdown: 0.2, stopLossPercent: null, positionLimits: {}, protections: NO_PROTECTIONS, updatedAt: null }
const open = { pause: undefined, riskEnabled: true, limits }

describe('preTrade (pure)', () => {
  it('never blocks an order that only reduces a position, not even under a pause', () => {
    const pause = { scope: 'global' as const, reason: 'x', pausedAt: 0, resumeAt: null }
    expect(preTrade(portfolio(), buy({ increasesExposure: false, requiredMargin: toAtoms(1e9) }), { ...open, pause })).toBeUndefined()
  })

  it('denies in order: pause, position limit, daily loss, drawdown, then balance', () => {
    const pause = { scope: 'account' as const, reason: 'review', pausedAt: 0, resumeAt: null }
    expect(preTrade(portfolio(), buy(), { ...open, pause })?.details).toEqual({ scope: 'account', reason: 'review', resume_at: null })
    expect(preTrade(portfolio(), buy({ resultingLots: 60_000 }), open)?.details).toEqual({
      symbol: 'BTCUSDT',
      limit: 0.5,
      current: 0,
      requested: 0.6,
      resulting: 0.6,
    })
    const lossy = portfolio({ equity: toAtoms(8_999.5) })
    expect(preTrade(lossy, buy(), open)?.details).toEqual({ daily_loss: 1000.5, limit: 1_000 })
    const deep = portfolio({ equity: toAtoms(9_500), dayStartEquity: toAtoms(9_500), peakEquity: toAtoms(12_000) })
    expect(preTrade(deep, buy(), open)?.code).toBe('MAX_DRAWDOWN_EXCEEDED')
    const busy = portfolio({ exposure: toAtoms(9_800) })
    expect(preTrade(busy, buy(), open)?.details).toEqual({ required: 500, available: 200 })
    expect(preTrade(portfolio(), buy(), open)).toBeUndefined()
  })

  it('with risk disabled only the balance is checked', () => {
    const off = { pause: undefined, riskEnabled: false, limits: undefined }
    expect(preTrade(portfolio({ equity: toAtoms(5_000), dayStartEquity: toAtoms(10_000) }), buy({ resultingLots: 90_000 }), off)).toBeUndefined()
    expect(preTrade(portfolio({ exposure: toAtoms(9_900) }), buy(), off)?.code).toBe('INSUFFICIENT_BALANCE')
  })
})
