import { describe, expect, it } from 'vitest'
import type { Intent } from '../../strategies/types'
import { runBacktest } from './run'
import { anchorOffsets, candlePath, legCrossings } from './replay'
import { bars, ETH, HOUR, MemorySink, scripted, specFor, START, type Bar } from './test-fixtures'

const WARM = 55
const openLong = (stop: number, tp: number | null, extra: Partial<Intent> = {}): Intent =>
  ({ action: 'open', side: 'long', type: 'market', stop_loss: stop, take_profit: tp, reason: 'script', confidence: 1, ...extra }) as Intent

/** Quiet bars at 3000, a long decided at the close of bar WARM − 1, then `tail` (bar WARM is the entry candle). */
async function run(tail: Bar[], intent: Intent = openLong(2970, 3030)) {
  const candles = bars(WARM, 3000, tail)
  const sink = new MemorySink()
  const spec = specFor(candles, { params: { risk_fraction: 0.005 } })
  await runBacktest(spec, candles, sink, { instrument: ETH, strategy: scripted({ [WARM - 1]: intent }) })
  return { sink, candles, t: START + WARM * HOUR }
}

describe('the path inside a candle', () => {
  it('goes O→H→L→C, or O→L→H→C when the open is nearer the low (ties: high first)', () => {
    expect(candlePath(100, 110, 95, 105)).toEqual([100, 95, 110, 105])
    expect(candlePath(100, 103, 90, 95)).toEqual([100, 103, 90, 95])
    expect(candlePath(100, 105, 95, 100)).toEqual([100, 105, 95, 100])
    expect(anchorOffsets(HOUR)).toEqual([0, 900_000, 1_800_000, 2_700_000])
  })

  it('stops on the way at every trigger inside a leg, in the order the price reaches them', () => {
    expect(legCrossings(100, 90, 0, 1000, [95, 80, 92, 100, 90])).toEqual([
      { price: 95, time: 500 },
      { price: 92, time: 800 },
    ])
    expect(legCrossings(90, 100, 0, 1000, [95, 92])).toEqual([
      { price: 92, time: 200 },
      { price: 95, time: 500 },
    ])
  })
})

describe('stops and targets inside a candle', () => {
  it('a candle reaching both, open halfway: high first, so the target fills (maker, at its price)', async () => {
    const { sink, t } = await run([{ o: 3000, h: 3040, l: 2960, c: 3000 }])
    expect(sink.trades).toHaveLength(1)
    const tr = sink.trades[0]!
    expect(tr).toMatchObject({ direction: 'long', entry_time: t, exit_reason: 'TAKE_PROFIT', exit_price: 3030 })
    // The target fills on the way up, at the high's tick (a quarter into the candle).
    expect(tr.exit_time).toBe(t + HOUR / 4)
    const exitFill = sink.events.filter((e) => e.event_type === 'trade_executed').at(-1)!
    expect(exitFill.data).toMatchObject({ side: 'sell', price: 3030, liquidity: 'maker' })
    expect(exitFill.data.fee).toBeCloseTo(3030 * tr.quantity * 0.0002, 6)
  })

  it('the same candle with the open nearer the low: low first, so the stop fills where the path crosses it', async () => {
    const { sink, t } = await run([{ o: 3000, h: 3050, l: 2960, c: 3000 }])
    expect(sink.trades).toHaveLength(1)
    const tr = sink.trades[0]!
    expect(tr.exit_reason).toBe('STOP_LOSS')
    // O (3000) → L (2960) over the first quarter: 2970 is 3/4 of the way.
    expect(tr.exit_time).toBe(t + Math.floor((HOUR / 4) * 0.75))
    // A stop is a taker: it sells into the bid around 2970 (half a spread and the depth below it).
    expect(tr.exit_price).toBeLessThanOrEqual(2970)
    expect(tr.exit_price).toBeGreaterThan(2970 * (1 - 0.0005))
    const exitFill = sink.events.filter((e) => e.event_type === 'trade_executed').at(-1)!
    expect(exitFill.data.liquidity).toBe('taker')
  })

  it('a gap through the stop fills at the open, not at the stop', async () => {
    const { sink, t } = await run([
      { o: 3000, h: 3005, l: 2995, c: 3000 },
      { o: 2950, h: 2955, l: 2940, c: 2945 },
    ])
    const tr = sink.trades[0]!
    expect(tr.exit_reason).toBe('STOP_LOSS')
    expect(tr.exit_time).toBe(t + HOUR)
    expect(tr.exit_price).toBeLessThanOrEqual(2950)
    expect(tr.exit_price).toBeGreaterThan(2949)
  })

  it('a position still open when the data ends is closed at the last close (END_OF_DATA)', async () => {
    const { sink, candles } = await run([{ o: 3000, h: 3010, l: 2990, c: 3005 }])
    const tr = sink.trades.at(-1)!
    expect(tr.exit_reason).toBe('END_OF_DATA')
    expect(tr.exit_time).toBe(candles.time.at(-1)! + HOUR)
    expect(tr.exit_price).toBeLessThanOrEqual(3005)
    expect(tr.exit_price).toBeGreaterThan(3004)
    // The last equity point is taken after that close: flat, equity = balance.
    const last = sink.points.at(-1)!
    expect(last.equity).toBe(last.balance)
  })

  it('a limit entry rests and fills at its price (maker) when the path reaches it', async () => {
    const { sink, t } = await run(
      [
        { o: 3000, h: 3005, l: 2985, c: 2995 },
        { o: 2995, h: 3000, l: 2990, c: 2998 },
      ],
      openLong(2960, 3040, { type: 'limit', price: 2990 }),
    )
    const entry = sink.events.find((e) => e.event_type === 'trade_executed')!
    expect(entry.data).toMatchObject({ side: 'buy', price: 2990, liquidity: 'maker' })
    // O 3000 nearer the high (5) than the low (15): up first, then down to 2985 (the second quarter).
    expect(entry.time).toBe(t + HOUR / 2)
    expect(sink.trades[0]).toMatchObject({ entry_price: 2990, exit_reason: 'END_OF_DATA' })
  })

  it('a close decision closes at the next open (SIGNAL)', async () => {
    const candles = bars(WARM, 3000, [
      { o: 3000, h: 3004, l: 2996, c: 3001 },
      { o: 3002, h: 3006, l: 2998, c: 3003 },
      { o: 3003, h: 3007, l: 2999, c: 3004 },
    ])
    const sink = new MemorySink()
    const plan = { [WARM - 1]: openLong(2970, 3030), [WARM]: { action: 'close', reason: 'done', confidence: 1 } as Intent }
    await runBacktest(specFor(candles, { params: { risk_fraction: 0.005 } }), candles, sink, { instrument: ETH, strategy: scripted(plan) })
    expect(sink.trades).toHaveLength(1)
    expect(sink.trades[0]).toMatchObject({ exit_reason: 'SIGNAL', exit_time: START + (WARM + 1) * HOUR })
    expect(sink.trades[0]!.exit_price).toBeLessThanOrEqual(3002)
    expect(sink.trades[0]!.exit_price).toBeGreaterThan(3001)
  })
})
