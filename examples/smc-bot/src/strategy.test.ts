import type { Position, SmcAnalysis } from 'smc-trading-sdk'
import { describe, expect, it } from 'vitest'
import { decide } from './strategy'

const analysis = (trend: 'bullish' | 'bearish' | 'neutral', brk: Partial<SmcAnalysis['analysis']['choch_bos']> = {}): SmcAnalysis => ({
  symbol: 'BTCUSDT',
  interval: '15m',
  timestamp: '2024-01-15T12:00:00.000Z',
  candles_analyzed: 500,
  analysis: {
    trend,
    order_blocks: [],
    fvg: { detected: false, top: null, bottom: null, direction: null },
    liquidity_sweeps: [],
    choch_bos: { confirmed: true, price_level: 100, direction: trend === 'neutral' ? null : trend, type: 'bos', ...brk },
  },
})
const position = (side: 'long' | 'short') => ({ side, quantity: 1 }) as Position

describe('decide', () => {
  it('opens with the trend on a confirmed break in the same direction, stop 2 % and target 6 % away', () => {
    expect(decide(analysis('bullish'), 200, undefined)).toEqual({ action: 'buy', intent: 'open', reason: 'bullish BOS confirmed at 100, trend aligned', stopLoss: 196, takeProfit: 212 })
    const short = decide(analysis('bearish', { type: 'choch' }), 200, undefined, { stopLoss: 0.01, takeProfit: 0.03 })
    expect(short).toMatchObject({ action: 'sell', intent: 'open', reason: 'bearish CHoCH confirmed at 100, trend aligned', stopLoss: 202, takeProfit: 194 })
  })

  it('waits for the break to be confirmed and to agree with the trend', () => {
    expect(decide(analysis('bullish', { confirmed: false }), 200, undefined)).toBeUndefined()
    expect(decide(analysis('bullish', { direction: 'bearish' }), 200, undefined)).toBeUndefined()
    expect(decide(analysis('neutral'), 200, undefined)).toBeUndefined()
  })

  it('closes a position when the trend turns against it, and otherwise holds it', () => {
    expect(decide(analysis('bearish'), 200, position('long'))).toMatchObject({ action: 'sell', intent: 'close' })
    expect(decide(analysis('bullish'), 200, position('short'))).toMatchObject({ action: 'buy', intent: 'close' })
    expect(decide(analysis('bullish'), 200, position('long'))).toBeUndefined()
    expect(decide(analysis('neutral'), 200, position('short'))).toBeUndefined()
  })
})
