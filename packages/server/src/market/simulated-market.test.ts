import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DomainError, ManualClock } from '../core'
import { DEFAULT_INSTRUMENTS } from './instruments'
import { INTERVAL_MINUTES, INTERVALS, MINUTE_MS } from './intervals'
import { isOnStep, isOnTick } from './precision'
import { createSimulatedMarket, type SimulatedMarket } from './simulated-market'
import type { Candle, Ticker } from './types'

const T0 = Date.UTC(2024, 4, 15, 13, 27, 42, 123)
const DAY_MS = 86_400_000
const small = (clock: ManualClock, seed: number | string = 42) => createSimulatedMarket({ clock, seed, historyDays: 2 })

/** Every stored 1m candle, read through the public API in pages of 1000. */
function allMinutes(market: SimulatedMarket, symbol: string): Candle[] {
  const out: Candle[] = []
  let start = market.historyStart()
  for (;;) {
    const page = market.candles(symbol, '1m', { startTime: start, endTime: start + 999 * MINUTE_MS, limit: 1000 })
    out.push(...page)
    if (page.length < 1000) return out
    start = page[page.length - 1]!.time + MINUTE_MS
  }
}

describe('createSimulatedMarket: 30 days of history', () => {
  let clock: ManualClock
  let market: SimulatedMarket

  beforeAll(() => {
    clock = new ManualClock(T0)
    market = createSimulatedMarket({ clock })
  })

  // How fast it builds is a benchmark's figure (a timed assertion fails on a loaded machine).
  it('builds ~260k candles of history', () => {
    const rows = DEFAULT_INSTRUMENTS.length * market.candleColumns('BTCUSDT', '1m', { limit: 100_000 }).time.length
    expect(rows).toBeGreaterThan(250_000)
  })

  it('covers at least 30 days, from a UTC midnight to the current minute', () => {
    const start = market.historyStart()
    expect(start % DAY_MS).toBe(0)
    expect(start).toBeLessThanOrEqual(T0 - 30 * DAY_MS)
    expect(start).toBeGreaterThan(T0 - 31 * DAY_MS)
    const last = market.candles('BTCUSDT', '1m', { limit: 1 })[0]!
    expect(last.time).toBe(Math.floor(T0 / MINUTE_MS) * MINUTE_MS)
    // April 15 (00:00) through May 15 (forming).
    expect(market.candles('BTCUSDT', '1d', { limit: 1000 })).toHaveLength(31)
  })

  it('lists symbols and instruments; unknown symbols throw INVALID_SYMBOL', () => {
    expect(market.symbols()).toEqual(DEFAULT_INSTRUMENTS.map((i) => i.symbol))
    expect(market.instrument('ETHUSDT')).toEqual(DEFAULT_INSTRUMENTS[1])
    expect(market.instrument('NOPE')).toBeUndefined()
    expect(market.requireInstrument('SOLUSDT').symbol).toBe('SOLUSDT')
    for (const call of [
      () => market.requireInstrument('DOGEUSDT'),
      () => market.ticker('DOGEUSDT'),
      () => market.candles('DOGEUSDT', '1m'),
      () => market.candleColumns('DOGEUSDT', '1m'),
      () => market.orderBook('DOGEUSDT'),
    ]) {
      expect(call).toThrow(DomainError)
      try {
        call()
      } catch (e) {
        expect((e as DomainError).code).toBe('INVALID_SYMBOL')
        expect((e as DomainError).details.available).toEqual(market.symbols())
      }
    }
  })

  it.each(DEFAULT_INSTRUMENTS.map((i) => [i.symbol, i] as const))(
    '%s: consistent OHLC on tick, volume on lot, contiguous minutes over the whole history',
    (symbol, inst) => {
      const rows = allMinutes(market, symbol)
      expect(rows.length).toBeGreaterThanOrEqual(30 * 1440)
      let bad = 0
      for (let i = 0; i < rows.length; i++) {
        const c = rows[i]!
        const ok =
          c.low > 0 &&
          c.low <= Math.min(c.open, c.close) &&
          Math.max(c.open, c.close) <= c.high &&
          isOnTick(c.open, inst.tickSize) &&
          isOnTick(c.high, inst.tickSize) &&
          isOnTick(c.low, inst.tickSize) &&
          isOnTick(c.close, inst.tickSize) &&
          c.volume >= 0 &&
          isOnStep(c.volume, inst.lotSize) &&
          (i === 0 || (c.time === rows[i - 1]!.time + MINUTE_MS && c.open === rows[i - 1]!.close))
        if (!ok) bad++
      }
      expect(bad).toBe(0)
      // Realistic scale: stays within a plausible band of the initial price, with real volume.
      const closes = rows.map((c) => c.close)
      expect(Math.min(...closes)).toBeGreaterThan(inst.initialPrice * 0.5)
      expect(Math.max(...closes)).toBeLessThan(inst.initialPrice * 2)
      expect(rows.filter((c) => c.volume > 0).length).toBeGreaterThan(rows.length * 0.99)
    },
  )

  it('has realised volatility near the instrument volatility, with clustering', () => {
    const c = market.candleColumns('BTCUSDT', '1m', { limit: 100_000 })
    const r: number[] = []
    for (let i = 1; i < c.close.length; i++) r.push(Math.log(c.close[i]! / c.close[i - 1]!))
    const annual = Math.sqrt((r.reduce((s, x) => s + x * x, 0) / r.length) * 365.25 * 1440)
    expect(annual).toBeGreaterThan(0.45)
    expect(annual).toBeLessThan(0.8)
    // Volatility clustering: |r| is autocorrelated, unlike in plain GBM.
    const a = r.map(Math.abs)
    const mean = a.reduce((s, x) => s + x, 0) / a.length
    let num = 0
    let den = 0
    for (let i = 0; i < a.length; i++) {
      den += (a[i]! - mean) ** 2
      if (i > 0) num += (a[i]! - mean) * (a[i - 1]! - mean)
    }
    expect(num / den).toBeGreaterThan(0.05)
  })

  it.each(INTERVALS.filter((i) => i !== '1m'))('%s candles aggregate their 1m candles exactly', (interval) => {
    const span = INTERVAL_MINUTES[interval]
    const bars = market.candles('ETHUSDT', interval, { limit: 5 })
    expect(bars).toHaveLength(5)
    for (const bar of bars) {
      expect(bar.time % (span * MINUTE_MS)).toBe(0)
      const minutes = market.candleColumns('ETHUSDT', '1m', {
        startTime: bar.time,
        endTime: bar.time + (span - 1) * MINUTE_MS,
        limit: 100_000,
      })
      const n = minutes.time.length
      const complete = bar !== bars[bars.length - 1]
      if (complete) expect(n).toBe(span)
      expect(bar.open).toBe(minutes.open[0])
      expect(bar.close).toBe(minutes.close[n - 1])
      expect(bar.high).toBe(Math.max(...minutes.high))
      expect(bar.low).toBe(Math.min(...minutes.low))
      expect(bar.volume).toBeCloseTo(minutes.volume.reduce((s, v) => s + v, 0), 6)
      expect(isOnStep(bar.volume, 0.0001)).toBe(true)
    }
  })

  it('a 1h candle is the aggregate of its 60 1m candles', () => {
    const hour = market.candles('BTCUSDT', '1h', { endTime: T0 - 5 * 3_600_000, limit: 1 })[0]!
    const minutes = market.candles('BTCUSDT', '1m', { startTime: hour.time, endTime: hour.time + 59 * MINUTE_MS })
    expect(minutes).toHaveLength(60)
    expect(hour).toEqual({
      time: minutes[0]!.time,
      open: minutes[0]!.open,
      high: Math.max(...minutes.map((m) => m.high)),
      low: Math.min(...minutes.map((m) => m.low)),
      close: minutes[59]!.close,
      volume: expect.closeTo(minutes.reduce((s, m) => s + m.volume, 0), 6),
    })
  })

  it('candles and candleColumns select the same rows', () => {
    const q = { startTime: T0 - 3 * DAY_MS, endTime: T0 - DAY_MS, limit: 300 }
    const rows = market.candles('SOLUSDT', '15m', q)
    const cols = market.candleColumns('SOLUSDT', '15m', q)
    expect(rows).toHaveLength(192)
    expect(Array.from(cols.time)).toEqual(rows.map((r) => r.time))
    expect(Array.from(cols.close)).toEqual(rows.map((r) => r.close))
    expect(rows[rows.length - 1]!.time).toBeLessThanOrEqual(T0 - DAY_MS)
    expect(market.candles('SOLUSDT', '1m')).toHaveLength(500)
    expect(market.candles('SOLUSDT', '1m', { limit: 1001 })).toHaveLength(1000)
  })

  it.each(DEFAULT_INSTRUMENTS.map((i) => [i.symbol, i] as const))(
    '%s ticker: bid/ask equal the book top, 24h stats match the candles',
    (symbol, inst) => {
      const t = market.ticker(symbol)
      const book = market.orderBook(symbol)
      expect(t.bid).toBe(book.bids[0]![0])
      expect(t.ask).toBe(book.asks[0]![0])
      expect(t.bid).toBeLessThan(t.price)
      expect(t.ask).toBeGreaterThan(t.price)
      expect(t.timestamp).toBe(T0)
      expect(book.timestamp).toBe(T0)
      const all = market.candleColumns(symbol, '1m', { limit: 1440 })
      expect(all.close[all.close.length - 1]).toBe(t.price)
      expect(t.high_24h).toBe(Math.max(...all.high))
      expect(t.low_24h).toBe(Math.min(...all.low))
      expect(t.volume_24h).toBeCloseTo(all.volume.reduce((s, v) => s + v, 0), 6)
      expect(isOnStep(t.volume_24h, inst.lotSize)).toBe(true)
      expect(t.change_24h).toBeCloseTo(((t.price - all.open[0]!) / all.open[0]!) * 100, 10)
    },
  )

  it('order book: depth default 20, clamped to 100, ordered', () => {
    expect(market.orderBook('BTCUSDT').bids).toHaveLength(20)
    expect(market.orderBook('BTCUSDT', 5).asks).toHaveLength(5)
    expect(market.orderBook('BTCUSDT', 1000).asks).toHaveLength(100)
    expect(() => market.orderBook('BTCUSDT', 0)).toThrow(DomainError)
    const b = market.orderBook('XRPUSDT', 100)
    for (let i = 1; i < 100; i++) {
      expect(b.bids[i]![0]).toBeLessThan(b.bids[i - 1]![0])
      expect(b.asks[i]![0]).toBeGreaterThan(b.asks[i - 1]![0])
    }
  })
})

describe('order book reuse within one instant', () => {
  it('any depth asked in any order equals a fresh build; a caller mutating its copy changes nothing; a new instant rebuilds', () => {
    const clock = new ManualClock(T0)
    const m = small(clock)
    const fresh = (depth: number) => small(new ManualClock(clock.now())).orderBook('BTCUSDT', depth)
    const shallow = m.orderBook('BTCUSDT', 5)
    expect(shallow).toEqual(fresh(5))
    expect(m.orderBook('BTCUSDT', 100)).toEqual(fresh(100))
    const again = m.orderBook('BTCUSDT', 20)
    expect(again).toEqual(fresh(20))
    again.bids[0]![1] = -1
    again.asks.length = 0
    expect(m.orderBook('BTCUSDT', 20)).toEqual(fresh(20))
    const before = fresh(20)
    clock.advance(1000)
    m.advance()
    expect(m.orderBook('BTCUSDT', 20)).toEqual(fresh(20))
    expect(m.orderBook('BTCUSDT', 20)).not.toEqual(before)
  })
})

describe('liquidity taken by executions', () => {
  it('leaves the top of its side until the next update; depth stays full; the ticker quotes the new top', () => {
    const clock = new ManualClock(T0)
    const m = small(clock)
    const full = m.orderBook('ETHUSDT', 100)
    const [[p1, q1], [p2, q2], [p3]] = full.asks as [[number, number], [number, number], [number, number]]
    const partOf2 = Math.round((q2 / 3) * 1e4) / 1e4
    // In two executions, to check they add up: the whole first level, then part of the second.
    m.take('ETHUSDT', 'buy', q1)
    expect(m.ticker('ETHUSDT').ask).toBe(p2)
    m.take('ETHUSDT', 'buy', partOf2)
    const after = m.orderBook('ETHUSDT', 20)
    expect(after.asks[0]).toEqual([p2, Math.round((q2 - partOf2) * 1e4) / 1e4])
    expect(after.asks[1]![0]).toBe(p3)
    expect(after.asks).toHaveLength(20)
    expect(after.asks.slice(1)).toEqual(full.asks.slice(2, 21))
    expect(after.bids).toEqual(full.bids.slice(0, 20))
    expect(m.ticker('ETHUSDT')).toMatchObject({ ask: p2, bid: full.bids[0]![0] })
    // Another symbol and the other side are untouched.
    expect(m.orderBook('BTCUSDT', 5)).toEqual(small(new ManualClock(T0)).orderBook('BTCUSDT', 5))
    m.take('ETHUSDT', 'sell', full.bids[0]![1])
    expect(m.orderBook('ETHUSDT', 1).bids[0]).toEqual(full.bids[1])
    // Nothing executed: nothing taken.
    m.take('ETHUSDT', 'sell', 0)
    expect(m.orderBook('ETHUSDT', 1).bids[0]).toEqual(full.bids[1])
    clock.advance(1000)
    m.advance()
    expect(m.orderBook('ETHUSDT', 20)).toEqual(small(new ManualClock(clock.now())).orderBook('ETHUSDT', 20))
  })
})

describe('determinism', () => {
  it('same seed and clock: identical candles, tickers and books; another seed differs', () => {
    const a = small(new ManualClock(T0))
    const b = small(new ManualClock(T0))
    const c = small(new ManualClock(T0), 7)
    for (const symbol of a.symbols()) {
      expect(b.candleColumns(symbol, '1m', { limit: 100_000 })).toEqual(a.candleColumns(symbol, '1m', { limit: 100_000 }))
      expect(b.ticker(symbol)).toEqual(a.ticker(symbol))
      expect(b.orderBook(symbol, 100)).toEqual(a.orderBook(symbol, 100))
      expect(c.candles(symbol, '1m', { limit: 1000 })).not.toEqual(a.candles(symbol, '1m', { limit: 1000 }))
      expect(c.orderBook(symbol)).not.toEqual(a.orderBook(symbol))
    }
  })

  it('symbols follow different paths', () => {
    const m = small(new ManualClock(T0))
    const ret = (s: string) => {
      const c = m.candleColumns(s, '1h', { limit: 48 }).close
      return Array.from(c.subarray(1), (x, i) => Math.sign(x - c[i]!))
    }
    expect(ret('BTCUSDT')).not.toEqual(ret('ETHUSDT'))
  })

  it('the state at a clock time does not depend on how the market got there', () => {
    const steps = new ManualClock(T0)
    const jump = new ManualClock(T0)
    const byStep = small(steps)
    const byJump = small(jump)
    const target = T0 + 17 * MINUTE_MS + 33_456
    while (steps.now() < target) {
      steps.set(Math.min(target, steps.now() + 7_300))
      byStep.advance()
    }
    jump.set(target)
    byJump.advance()
    // Created later the same UTC day, then advanced to the same time: still identical.
    const lateClock = new ManualClock(T0 + 9 * MINUTE_MS + 1)
    const late2 = small(lateClock)
    lateClock.set(target)
    late2.advance()
    for (const m of [byJump, late2]) {
      for (const symbol of byStep.symbols()) {
        expect(m.candleColumns(symbol, '1m', { limit: 100_000 })).toEqual(
          byStep.candleColumns(symbol, '1m', { limit: 100_000 }),
        )
        expect(m.ticker(symbol)).toEqual(byStep.ticker(symbol))
        expect(m.orderBook(symbol)).toEqual(byStep.orderBook(symbol))
      }
    }
  })
})

describe('advance', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('completes minutes, updates the forming candle, moves lastUpdate and notifies listeners', () => {
    const clock = new ManualClock(T0)
    const market = small(clock)
    expect(market.lastUpdate()).toBe(T0)
    const before = market.candles('BTCUSDT', '1m', { limit: 1000 })
    const ticks: Ticker[] = []
    const off = market.onTick((t) => ticks.push(t))

    clock.advance(3 * MINUTE_MS)
    market.advance()
    expect(market.lastUpdate()).toBe(T0 + 3 * MINUTE_MS)
    const after = market.candles('BTCUSDT', '1m', { limit: 1000 })
    expect(after[after.length - 1]!.time).toBe(before[before.length - 1]!.time + 3 * MINUTE_MS)
    // Candles completed before the advance are untouched; the previously forming one is now final.
    expect(after.slice(0, -4)).toEqual(before.slice(3, -1))
    expect(ticks.length).toBeGreaterThan(0)
    expect(ticks.length).toBeLessThanOrEqual(market.symbols().length)
    for (const t of ticks) {
      expect(t.timestamp).toBe(T0 + 3 * MINUTE_MS)
      expect(t).toEqual(market.ticker(t.symbol))
    }

    // Nothing moves: no ticks.
    ticks.length = 0
    market.advance()
    expect(ticks).toEqual([])

    off()
    clock.advance(MINUTE_MS)
    market.advance()
    expect(ticks).toEqual([])
  })

  it('the forming candle matches the price at each second and becomes the final candle', () => {
    const start = Math.floor(T0 / MINUTE_MS) * MINUTE_MS + 5 * MINUTE_MS
    const clock = new ManualClock(start)
    const market = small(clock)
    const seen: Candle[] = []
    for (let s = 0; s < 60; s++) {
      clock.set(start + s * 1000 + 250)
      market.advance()
      const c = market.candles('ADAUSDT', '1m', { limit: 1 })[0]!
      expect(c.time).toBe(start)
      expect(market.ticker('ADAUSDT').price).toBe(c.close)
      seen.push(c)
    }
    clock.set(start + MINUTE_MS)
    market.advance()
    const final = market.candles('ADAUSDT', '1m', { endTime: start, limit: 1 })[0]!
    for (const c of seen) {
      expect(c.open).toBe(final.open)
      expect(c.high).toBeLessThanOrEqual(final.high)
      expect(c.low).toBeGreaterThanOrEqual(final.low)
      expect(c.volume).toBeLessThanOrEqual(final.volume)
    }
    expect(Math.max(...seen.map((c) => c.high), final.close)).toBe(final.high)
    expect(new Set(seen.map((c) => c.close)).size).toBeGreaterThan(5)
  })

  it('ignores a clock that goes backwards', () => {
    const clock = new ManualClock(T0)
    const market = small(clock)
    clock.advance(90_000)
    market.advance()
    const snapshot = market.ticker('BTCUSDT')
    clock.set(T0)
    market.advance()
    expect(market.ticker('BTCUSDT')).toEqual(snapshot)
    expect(market.lastUpdate()).toBe(T0 + 90_000)
  })

  it('isolates listener errors and reports them', () => {
    const clock = new ManualClock(T0)
    const errors: unknown[] = []
    const market = createSimulatedMarket({ clock, historyDays: 1, onError: (e) => errors.push(e) })
    const seen: string[] = []
    market.onTick(() => {
      throw new Error('boom')
    })
    market.onTick((t) => seen.push(t.symbol))
    clock.advance(MINUTE_MS)
    expect(() => market.advance()).not.toThrow()
    expect(seen.length).toBeGreaterThan(0)
    expect(errors).toHaveLength(seen.length)
  })

  it('start() advances on a timer and stop() ends it', () => {
    vi.useFakeTimers({ now: T0 })
    const clock = new ManualClock(T0)
    const market = small(clock)
    market.start(1000)
    clock.advance(5_000)
    vi.advanceTimersByTime(1000)
    expect(market.lastUpdate()).toBe(T0 + 5_000)
    market.stop()
    clock.advance(5_000)
    vi.advanceTimersByTime(5000)
    expect(market.lastUpdate()).toBe(T0 + 5_000)
    expect(() => market.start(0)).toThrow(RangeError)
  })

  it('keeps whole days within the retention window while running', () => {
    const clock = new ManualClock(T0)
    const market = createSimulatedMarket({ clock, historyDays: 1, retentionDays: 2 })
    clock.advance(3 * DAY_MS)
    market.advance()
    const start = market.historyStart()
    expect(start % DAY_MS).toBe(0)
    expect(start).toBeLessThanOrEqual(clock.now() - 2 * DAY_MS)
    expect(start).toBeGreaterThan(clock.now() - 4 * DAY_MS)
    const rows = market.candleColumns('BTCUSDT', '1m', { limit: 100_000 })
    expect(rows.time[0]).toBe(start)
    expect(rows.time[rows.time.length - 1]).toBe(Math.floor(clock.now() / MINUTE_MS) * MINUTE_MS)
  })
})
