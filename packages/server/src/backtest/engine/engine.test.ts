import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { computePerformance } from '../../analytics'
import { DomainError } from '../../core'
import { backtestCandles, readBacktestCandles } from './candles'
import { toClosedTrade } from './metrics'
import { checkpointInterval, createBacktestControl, runBacktest } from './run'
import { ETH, HOUR, MemorySink, specFor, tinyStrategy, walk } from './test-fixtures'
import { MAX_BACKTEST_CANDLES, validateBacktestSpec } from './validate'
import type { BacktestSpec } from '../types'
import type { Candles } from '@smc-trading/smc'

const run = async (candles: Candles, over: Partial<BacktestSpec> = {}, opts: Partial<Parameters<typeof runBacktest>[3]> = {}) => {
  const sink = new MemorySink()
  const result = await runBacktest(specFor(candles, over), candles, sink, { instrument: ETH, strategy: tinyStrategy, ...opts })
  return { sink, result }
}

const thrown = (fn: () => unknown): DomainError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof DomainError) return e
    throw e
  }
  throw new Error('did not throw')
}

describe('validation', () => {
  const candles = walk(60, 'v')
  it('start_time must be before end_time (VALIDATION_FAILED on start_time)', () => {
    const e = thrown(() => validateBacktestSpec(specFor(candles, { start_time: 10 * HOUR, end_time: 10 * HOUR })))
    expect(e.code).toBe('VALIDATION_FAILED')
    expect(e.details.field).toBe('start_time')
  })
  it(`a range over ${MAX_BACKTEST_CANDLES} candles is refused (VALIDATION_FAILED on end_time)`, () => {
    expect(() => validateBacktestSpec(specFor(candles, { start_time: 0, end_time: MAX_BACKTEST_CANDLES * HOUR }))).not.toThrow()
    const e = thrown(() => validateBacktestSpec(specFor(candles, { start_time: 0, end_time: (MAX_BACKTEST_CANDLES + 1) * HOUR })))
    expect(e.code).toBe('VALIDATION_FAILED')
    expect(e.details).toMatchObject({ field: 'end_time', max_candles: MAX_BACKTEST_CANDLES })
  })
  it('money fields out of bounds are refused with their field', () => {
    for (const [field, value] of [
      ['initial_balance', 0],
      ['taker_fee_bps', -1],
      ['slippage_bps', 5000],
    ] as const)
      expect(thrown(() => validateBacktestSpec(specFor(candles, { [field]: value }))).details.field).toBe(field)
  })
  it('too few candles → INSUFFICIENT_HISTORY, before anything is written', async () => {
    const few = walk(49, 'few')
    const sink = new MemorySink()
    const e = await runBacktest(specFor(few), few, sink, { instrument: ETH, strategy: tinyStrategy }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(DomainError)
    expect((e as DomainError).code).toBe('INSUFFICIENT_HISTORY')
    expect((e as DomainError).details).toMatchObject({ available: 49, required: 50 })
    expect(sink.events).toHaveLength(0)
  })
  it('bad params → VALIDATION_FAILED naming the parameter', async () => {
    const e = await runBacktest(specFor(candles, { params: { period: 1 } }), candles, new MemorySink(), { instrument: ETH, strategy: tinyStrategy }).catch(
      (x: unknown) => x,
    )
    expect((e as DomainError).code).toBe('VALIDATION_FAILED')
    expect((e as DomainError).details.field).toBe('params.period')
  })
})

describe('built-in strategies by name', () => {
  it('runs sma_crossover from the registry; an unknown name → STRATEGY_NOT_FOUND', async () => {
    const candles = walk(400, 'builtin', 3000, 0.004)
    const sink = new MemorySink()
    const spec = specFor(candles, { strategy: 'sma_crossover', params: { fast: 5, slow: 20 } })
    const res = await runBacktest(spec, candles, sink, { instrument: ETH })
    expect(res.status).toBe('completed')
    expect(sink.trades.length).toBeGreaterThan(3)
    const e = await runBacktest({ ...spec, strategy: 'nope' }, candles, new MemorySink(), { instrument: ETH }).catch((x: unknown) => x)
    expect((e as DomainError).code).toBe('STRATEGY_NOT_FOUND')
  })
})

describe('a run', () => {
  const candles = walk(600, 'engine')

  it('is deterministic: the same spec and candles give byte-identical records (whatever the slice size)', async () => {
    const a = await run(candles)
    const b = await run(candles)
    const c = await run(candles, {}, { sliceCandles: 7 })
    expect(a.sink.trades.length).toBeGreaterThan(20)
    expect(b.sink.json()).toBe(a.sink.json())
    expect(c.sink.json()).toBe(a.sink.json())
  })

  it('writes one equity point per candle at its close, status running → completed, checkpoints every N and at the end', async () => {
    const { sink, result } = await run(candles, {}, { checkpointEvery: 100 })
    expect(result).toMatchObject({ status: 'completed', processed: 600, total: 600 })
    expect(sink.points.map((p) => p.time)).toEqual([...candles.time].map((t) => t + HOUR))
    const statuses = sink.events.filter((e) => e.event_type === 'status_changed').map((e) => e.data.status)
    expect(statuses).toEqual(['running', 'completed'])
    expect(sink.checkpoints.map((m) => m.processed)).toEqual([100, 200, 300, 400, 500, 600])
    expect(sink.events.filter((e) => e.event_type === 'checkpoint')).toHaveLength(6)
    // By default every 500 candles, and a run over 100,000 candles has at most 200 checkpoints.
    expect([1, 600, 100_000, 100_001, 150_000, MAX_BACKTEST_CANDLES].map(checkpointInterval)).toEqual([500, 500, 500, 501, 750, 5000])
    const plain = await run(candles)
    expect(plain.sink.checkpoints.map((m) => m.processed)).toEqual([500, 600])
    // Drawdown from the running peak.
    let peak = 10_000
    for (const p of sink.points) {
      peak = Math.max(peak, p.equity)
      expect(p.drawdown_pct).toBeCloseTo(((peak - p.equity) / peak) * 100, 9)
    }
  })

  it('the final checkpoint equals the analytics computed from the run’s trades and equity', async () => {
    const { sink } = await run(candles)
    const m = sink.checkpoints.at(-1)!
    const perf = computePerformance(sink.trades.map(toClosedTrade), { startingEquity: 10_000 })
    const last = sink.points.at(-1)!
    expect(m).toMatchObject({
      processed: 600,
      total: 600,
      total_trades: perf.total_trades,
      winning_trades: perf.winning_trades,
      losing_trades: perf.losing_trades,
      win_rate: perf.win_rate,
      realized_pnl: perf.total_pnl,
      profit_factor: perf.profit_factor,
      sharpe_ratio: perf.sharpe_ratio,
      average_win: perf.average_win,
      average_loss: perf.average_loss,
    })
    expect(m.total_trades).toBe(sink.trades.length)
    expect(m.total_pnl).toBeCloseTo(last.equity - 10_000, 8)
    expect(m.total_return_pct).toBeCloseTo(((last.equity - 10_000) / 10_000) * 100, 8)
    // Flat at the end (END_OF_DATA): nothing unrealized, and the trades' pnl is the whole change.
    expect(m.unrealized_pnl).toBeCloseTo(0, 8)
    expect(m.total_pnl).toBeCloseTo(perf.total_pnl, 6)
    expect(m.max_drawdown_pct).toBe(Math.max(...sink.points.map((p) => p.drawdown_pct)))
    expect(m.exposure_pct).toBeGreaterThan(0)
    expect(m.exposure_pct).toBeLessThanOrEqual(100)
    expect(m.sortino_ratio).not.toBeNull()
  })

  it('each market entry fills at the open of the candle after its signal, within the spread and depth, inside that candle’s range', async () => {
    const { sink } = await run(candles)
    const signals = sink.events.filter((e) => e.event_type === 'strategy_signal' && e.data.action === 'open')
    let checked = 0
    for (const t of sink.trades) {
      const signal = signals.find((s) => s.time === t.entry_time)
      expect(signal, `signal for the entry at ${t.entry_time}`).toBeDefined()
      // The signal is the decision at the close of the previous candle: its close time is this candle's open.
      const k = candles.time.indexOf(t.entry_time)
      expect(k).toBeGreaterThan(0)
      expect(signal!.data.candle_time).toBe(new Date(candles.time[k - 1]!).toISOString())
      const open = candles.open[k]!
      // A buy pays the ask (half a spread above the open, more when it walks levels); a sell gets the bid.
      const away = t.direction === 'long' ? t.entry_price - open : open - t.entry_price
      expect(away).toBeGreaterThan(0)
      expect(away / open).toBeLessThan(5e-4)
      expect(t.entry_price).toBeGreaterThanOrEqual(candles.low[k]!)
      expect(t.entry_price).toBeLessThanOrEqual(candles.high[k]!)
      checked++
    }
    expect(checked).toBeGreaterThan(20)
  })

  it('slippage_bps moves taker fills by that much (the book widened), fees are the spec’s', async () => {
    const base = await run(candles)
    const slipped = await run(candles, { slippage_bps: 5, taker_fee_bps: 7 })
    const a = base.sink.trades[0]!
    const b = slipped.sink.trades[0]!
    expect(b.entry_time).toBe(a.entry_time)
    const k = candles.time.indexOf(a.entry_time)
    const open = candles.open[k]!
    const sign = a.direction === 'long' ? 1 : -1
    // 5 bp of the price further from the open (± a tick of rounding and the level walked).
    expect(sign * (b.entry_price - a.entry_price)).toBeGreaterThan(open * 4e-4)
    expect(sign * (b.entry_price - a.entry_price)).toBeLessThan(open * 7e-4)
    const fill = slipped.sink.events.find((e) => e.event_type === 'trade_executed')!
    expect(fill.data.fee).toBeCloseTo((fill.data.price as number) * (fill.data.quantity as number) * 0.0007, 6)
  })
})

describe('cooperative time slices', () => {
  const candles = walk(1200, 'slices')

  it('yields to the event loop between slices and reports progress', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 0)
    const progress: [number, number][] = []
    await run(candles, {}, { sliceCandles: 100, onProgress: (p, t) => progress.push([p, t]) })
    clearInterval(timer)
    expect(ticks).toBeGreaterThan(3)
    expect(progress.map((p) => p[0])).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200])
    expect(progress.every((p) => p[1] === 1200)).toBe(true)
  })

  it('by default a slice is a time budget: no slice runs much longer than sliceMs, and the records are the same', async () => {
    const long = walk(6000, 'time-slices')
    const gaps: number[] = []
    let last = performance.now()
    const { sink, result } = await run(long, {}, {
      sliceMs: 2,
      onProgress: () => {
        const now = performance.now()
        gaps.push(now - last)
        last = now
      },
    })
    expect(result.status).toBe('completed')
    // Several slices, each ending once its budget is spent (checked every 16 candles).
    expect(gaps.length).toBeGreaterThan(2)
    const sorted = [...gaps].sort((a, b) => a - b)
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(50)
    const counted = await run(long, {}, { sliceCandles: 250 })
    expect(sink.events).toEqual(counted.sink.events)
    expect(sink.points).toEqual(counted.sink.points)
  })

  it('stops on abort: status stopped with a checkpoint of what ran', async () => {
    const ac = new AbortController()
    const { sink, result } = await run(candles, {}, { sliceCandles: 100, signal: ac.signal, onProgress: (p) => p >= 300 && ac.abort() })
    expect(result).toMatchObject({ status: 'stopped', processed: 300, total: 1200 })
    expect(sink.points).toHaveLength(300)
    expect(sink.events.at(-1)!.data).toMatchObject({ status: 'stopped', processed: 300 })
    expect(sink.checkpoints.at(-1)!.processed).toBe(300)
  })

  it('an already aborted signal stops before the first candle', async () => {
    const ac = new AbortController()
    ac.abort()
    const { sink, result } = await run(candles, {}, { signal: ac.signal })
    expect(result).toMatchObject({ status: 'stopped', processed: 0, total: 1200 })
    expect(sink.events.map((e) => e.event_type)).toEqual(['status_changed', 'checkpoint', 'status_changed'])
  })

  it('pauses between slices until resumed, and the result is the same as without the pause', async () => {
    const control = createBacktestControl()
    let latest = 0
    const p = run(candles, {}, {
      sliceCandles: 100,
      control,
      onProgress: (n) => {
        latest = n
        if (n === 500) control.pause()
      },
    })
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    while (!control.paused) await sleep(5)
    await sleep(100)
    // Paused at the slice boundary: nothing ran meanwhile.
    expect(latest).toBe(500)
    control.resume()
    const { sink, result } = await p
    expect(result.status).toBe('completed')
    const plain = await run(candles)
    const statuses = sink.events.filter((e) => e.event_type === 'status_changed').map((e) => e.data.status)
    expect(statuses).toEqual(['running', 'paused', 'running', 'completed'])
    expect(JSON.stringify(sink.trades)).toBe(JSON.stringify(plain.sink.trades))
    expect(JSON.stringify(sink.points)).toBe(JSON.stringify(plain.sink.points))
  })
})

describe('backtestCandles', () => {
  it('reads the range [start_time, end_time) of closed candles from a market source', async () => {
    const { SeriesMarket } = await import('../../market')
    const candles = walk(30, 'src')
    const series = new SeriesMarket([ETH], 60, 'x')
    for (let k = 0; k < 30; k++)
      series.put('ETHUSDT', { time: candles.time[k]!, open: candles.open[k]!, high: candles.high[k]!, low: candles.low[k]!, close: candles.close[k]!, volume: candles.volume[k]! })
    // The market's time is inside the last candle: it is still forming.
    series.time = candles.time[29]! + HOUR / 2
    const market = series.marketData({ advance() {}, start() {}, stop() {}, lastUpdate: () => 0, status: () => ({ state: 'live', reason: null }) })
    const spec = specFor(candles, { start_time: candles.time[5]!, end_time: candles.time[29]! + HOUR })
    const got = backtestCandles(market, spec)
    expect([...got.time]).toEqual([...candles.time.subarray(5, 29)])
    expect([...got.close]).toEqual([...candles.close.subarray(5, 29)])
    const upTo = backtestCandles(market, { ...spec, end_time: candles.time[10]! })
    expect([...upTo.time]).toEqual([...candles.time.subarray(5, 10)])
    // Read in chunks (the server reads a million candles 65,536 at a time, yielding between them).
    const cols = (c: typeof got) => Object.values(c).map((a) => [...(a as Float64Array)])
    for (const chunk of [1, 4, 7, 24, 1000]) {
      expect(cols(backtestCandles(market, spec, chunk))).toEqual(cols(got))
      expect(cols(await readBacktestCandles(market, spec, { chunk }))).toEqual(cols(got))
    }
  })
})
