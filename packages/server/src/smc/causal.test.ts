import { candlesFromArrays } from '@smc-trading/smc'
import { describe, expect, it } from 'vitest'
import { analyzeSmcCausal } from './causal'

// [open, high, low, close], one minute apart: a bullish order block formed at row 3 is tested,
// mitigated (row 6, becoming a breaker, while a CHOCH down forms a bearish block) and invalidated
// (row 8); three gaps go through their own lifecycles (see the engine's lifecycle test).
const rows: [number, number, number, number][] = [
  [10, 11, 9, 10],
  [10, 12, 10, 11],
  [11, 11.5, 9.5, 10],
  [10, 12.5, 10, 12.2],
  [12.2, 13, 12, 12.8],
  [12.8, 12.9, 11.2, 11.5],
  [11.5, 11.6, 9.0, 9.2],
  [9.2, 9.8, 8.8, 9.6],
  [9.6, 11.8, 9.5, 11.7],
]
const t0 = Date.UTC(2024, 0, 1)
const at = (row: number) => new Date(t0 + row * 60_000).toISOString()
const candles = candlesFromArrays({
  time: rows.map((_, i) => t0 + i * 60_000),
  open: rows.map((r) => r[0]),
  high: rows.map((r) => r[1]),
  low: rows.map((r) => r[2]),
  close: rows.map((r) => r[3]),
  volume: rows.map(() => 1),
})

describe('analyzeSmcCausal', () => {
  it('folds the records into the state at the last candle: invalidated zones leave, the others carry their state', () => {
    const { base } = analyzeSmcCausal(candles, { swingLength: 1, interval: '1m', intervalMs: 60_000 })
    expect(base).toEqual({
      interval: '1m',
      candles_analyzed: 9,
      trend: 'bearish',
      last_break: { type: 'choch', direction: 'bearish', level: 9.5, swing_timestamp: at(2), confirmed_at: at(6) },
      // Swing high 13 (row 4), swing low 8.8 (row 7, known at row 8); close 11.7.
      dealing_range: { high: 13, low: 8.8, equilibrium: 10.9, position: (11.7 - 8.8) / (13 - 8.8), zone: 'premium' },
      zones: [
        { kind: 'fair_value_gap', direction: 'bearish', top: 12, bottom: 11.6, timestamp: at(5), confirmed_at: at(6), state: 'tested', tested_at: at(8), mitigated_at: null },
        { kind: 'order_block', direction: 'bearish', top: 13, bottom: 12, timestamp: at(4), confirmed_at: at(6), state: 'active', tested_at: null, mitigated_at: null },
      ],
    })
  })

  it('one candle earlier the first block is mitigated and its breaker tested', () => {
    const { time, open, high, low, close, volume } = candles
    const early = candlesFromArrays({ time: time.subarray(0, 8), open: open.subarray(0, 8), high: high.subarray(0, 8), low: low.subarray(0, 8), close: close.subarray(0, 8), volume: volume.subarray(0, 8) })
    const { base } = analyzeSmcCausal(early, { swingLength: 1, interval: '1m', intervalMs: 60_000, maxZones: 10 })
    const block = base.zones.find((z) => z.kind === 'order_block' && z.direction === 'bullish')
    expect(block).toMatchObject({ state: 'mitigated', tested_at: at(5), mitigated_at: at(6), timestamp: at(2), confirmed_at: at(3) })
    expect(base.zones.find((z) => z.kind === 'breaker_block')).toMatchObject({ direction: 'bearish', state: 'tested', tested_at: at(7), confirmed_at: at(6) })
  })
})
