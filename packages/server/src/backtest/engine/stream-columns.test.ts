import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_INSTRUMENTS } from '../../market'
import { runBacktest } from './run'
import { STREAM_COLUMNS_IDLE_MS, streamColumns } from './stream-columns'
import { MemorySink, specFor, walk } from './test-fixtures'

const BTC = DEFAULT_INSTRUMENTS.find((i) => i.symbol === 'BTCUSDT')!

describe('the SMC stream columns a backtest thread keeps between runs', () => {
  afterEach(() => {
    vi.useRealTimers()
    streamColumns.pool.clear()
  })

  for (const [strategy, params] of [
    ['smc_trend', { swing_length: 3, ob_max_age: 50 }],
    ['breakout', { swing_length: 3, level_lookback: 200, min_touches: 2 }],
  ] as const)
    it(`${strategy}: a run on the previous run's columns has byte-identical records, and the pool empties after a minute idle`, async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
      const candles = walk(3000, `pool-${strategy}`, 30_000, 0.004, BTC)
      const spec = specFor(candles, { strategy, symbol: 'BTCUSDT', params })
      streamColumns.pool.clear()
      const first = new MemorySink()
      await runBacktest(spec, candles, first, { instrument: BTC })
      const kept = streamColumns.pool.bytes
      // The stream's columns, sized for the run (3,000 rows; at least the swings' two), and its
      // tables of swings, signals and order blocks; its candles were kept in the run's own
      // columns, which stay the caller's.
      expect(kept).toBeGreaterThanOrEqual(3000 * 8 * 2)
      const second = new MemorySink()
      await runBacktest(spec, candles, second, { instrument: BTC })
      expect(first.trades.length).toBeGreaterThan(0)
      expect(candles).toEqual(walk(3000, `pool-${strategy}`, 30_000, 0.004, BTC))
      expect(second.json()).toBe(first.json())
      // A different run in between (other prices) leaves its values in the memory: still identical.
      const other = walk(3000, `pool-${strategy}-other`, 30_000, 0.004, BTC)
      await runBacktest(specFor(other, { strategy, symbol: 'BTCUSDT', params }), other, new MemorySink(), { instrument: BTC })
      const third = new MemorySink()
      await runBacktest(spec, candles, third, { instrument: BTC })
      expect(third.json()).toBe(first.json())
      expect(streamColumns.pool.bytes).toBe(kept)
      vi.advanceTimersByTime(STREAM_COLUMNS_IDLE_MS)
      expect(streamColumns.pool.bytes).toBe(0)
    })
})
