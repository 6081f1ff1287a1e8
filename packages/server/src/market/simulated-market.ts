import { type Clock, invalidSymbol } from '../core'
import { columnsToCandles, MAX_CANDLE_LIMIT, MAX_COLUMN_LIMIT, queryColumns } from './aggregate'
import { CandleSeries } from './candle-series'
import { DEFAULT_INSTRUMENTS, freezeInstruments, type Instrument } from './instruments'
import { buildMinutePath, type MinutePath, partialBar } from './intra-minute'
import { DAY_MINUTES, type Interval, MINUTE_MS } from './intervals'
import { type BookSpec, bookSpec, buildOrderBook, MAX_BOOK_DEPTH, resolveDepth, skipTop, topOfBook } from './order-book'
import { emptyBar, MarketFactor, type MinuteBar, SymbolWalk } from './price-walk'
import { createSeasonality } from './seasonality'
import { computeTicker } from './ticker'
import type { BookLevel, Candle, CandleColumns, CandleQuery, MarketData, OrderBook, Ticker, TickListener } from './types'

export interface SimulatedMarketOptions {
  clock: Clock
  /** Same seed (and same creation day), same market. Default 42. */
  seed?: number | string
  instruments?: readonly Instrument[]
  /**
   * Days of 1m history generated at creation. The history starts at the UTC midnight at or before
   * `now − historyDays`, so it is at least this long and every daily bucket is complete. Default 30.
   */
  historyDays?: number
  /**
   * Days of 1m history kept while running; older whole days are dropped. Default
   * `max(90, historyDays)`: ~30 MB for the six default symbols.
   */
  retentionDays?: number
  /**
   * Receives errors thrown by tick listeners and by timer-driven advances. By default they are
   * rethrown on a microtask, surfacing like an uncaught EventEmitter error instead of vanishing.
   */
  onError?: (error: unknown) => void
}

/** The simulated source, plus introspection for tests and diagnostics. */
export interface SimulatedMarket extends MarketData {
  readonly seed: string
  /** Open time (ms) of the oldest stored 1m candle. */
  historyStart(): number
}

interface SymbolState {
  instrument: Instrument
  spec: BookSpec
  walk: SymbolWalk
  series: CandleSeries
  /** Final bar of the forming minute, drawn when the minute began. */
  bar: MinuteBar
  /** Per-second path of the forming minute, built on first use. */
  path: MinutePath | undefined
  scratch: MinuteBar
}

/**
 * The embedded default market: a deterministic simulation of spot pairs with 1m history back-filled
 * at creation and a live, per-second price. The price at a clock time depends only on the seed, the
 * creation day and that time (never on how often or when {@link MarketData.advance} ran), so tests,
 * backtests and restarted servers replay exactly.
 *
 * Reads reflect the latest `advance()`; call it (or `start()`) to move with the clock.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2024, 0, 1))
 * const market = createSimulatedMarket({ clock })
 * market.ticker('BTCUSDT').price          // ≈ 65000
 * clock.advance(60_000)
 * market.advance()                        // one more 1m candle, onTick listeners notified
 * market.candles('BTCUSDT', '1h', { limit: 24 })
 */
export function createSimulatedMarket(options: SimulatedMarketOptions): SimulatedMarket {
  const { clock } = options
  const seed = String(options.seed ?? 42)
  const historyDays = options.historyDays ?? 30
  if (!Number.isFinite(historyDays) || historyDays < 0) throw new RangeError('historyDays must be ≥ 0')
  const retentionDays = options.retentionDays ?? Math.max(90, historyDays)
  if (!(retentionDays >= historyDays)) throw new RangeError('retentionDays must be ≥ historyDays')
  const retentionMinutes = Math.ceil(retentionDays * DAY_MINUTES)
  const report = options.onError ?? ((error: unknown) => queueMicrotask(() => { throw error }))

  const instruments = freezeInstruments(options.instruments ?? DEFAULT_INSTRUMENTS)
  const symbolList = instruments.map((i) => i.symbol)

  const createdAt = clock.now()
  if (!Number.isFinite(createdAt)) throw new RangeError('clock.now() must be a finite number')
  const nowMinute = Math.floor(createdAt / MINUTE_MS)
  const startMinute =
    Math.floor((nowMinute - Math.round(historyDays * DAY_MINUTES)) / DAY_MINUTES) * DAY_MINUTES
  // Everything random derives from (seed, first minute): two markets created the same UTC day agree.
  const key = `${seed}:${startMinute}`
  const factor = new MarketFactor(key)
  const seasonality = createSeasonality()
  const capacity = nowMinute - startMinute + 1 + 2 * DAY_MINUTES

  const states: SymbolState[] = instruments.map((instrument) => ({
    instrument,
    spec: bookSpec(instrument),
    walk: new SymbolWalk(instrument, key),
    series: new CandleSeries(startMinute, capacity),
    bar: emptyBar(),
    path: undefined,
    scratch: emptyBar(),
  }))
  const bySymbol = new Map(states.map((s) => [s.instrument.symbol, s]))

  /** Minute whose bar is the last one drawn (the forming minute once history exists). */
  let forming = startMinute - 1
  let stateTime = createdAt
  const listeners = new Set<TickListener>()
  let timer: ReturnType<typeof setInterval> | undefined

  /** Draw the next minute for every symbol, in lockstep so the market factor is shared. */
  function drawNext(): void {
    forming++
    factor.step()
    const volSeason = seasonality.volatility(forming)
    const volumeSeason = seasonality.volume(forming)
    for (const s of states) {
      s.walk.step(factor, volSeason, volumeSeason, s.bar)
      s.path = undefined
      const b = s.bar
      s.series.push(b.open, b.high, b.low, b.close, b.volume)
    }
  }

  /** Complete every minute before `minute` and start drawing `minute`. */
  function rollTo(minute: number): void {
    if (minute <= forming) return
    // The forming row holds a partial candle: settle it to its final bar first.
    for (const s of states) {
      const b = s.bar
      if (s.series.length > 0) s.series.write(s.series.length - 1, b.open, b.high, b.low, b.close, b.volume)
    }
    while (forming < minute) drawNext()
    const excess = states[0] ? states[0].series.length - retentionMinutes : 0
    if (excess >= DAY_MINUTES) {
      const drop = Math.floor(excess / DAY_MINUTES) * DAY_MINUTES
      for (const s of states) s.series.dropFront(drop)
    }
  }

  /** Rewrite the forming row as of `second` into the minute. */
  function formAt(second: number): void {
    for (const s of states) {
      s.path ??= buildMinutePath(
        s.bar,
        `${key}:${s.instrument.symbol}:${forming}`,
        s.spec.priceGrid,
        s.spec.lotGrid,
      )
      partialBar(s.bar, s.path, second, s.scratch)
      const p = s.scratch
      s.series.write(s.series.length - 1, p.open, p.high, p.low, p.close, p.volume)
    }
  }

  const secondOf = (t: number): number => Math.floor((t - Math.floor(t / MINUTE_MS) * MINUTE_MS) / 1000)
  const lastPrice = (s: SymbolState): number => s.series.close[s.series.length - 1]!

  rollTo(nowMinute)
  formAt(secondOf(createdAt))

  /** The latest book built per symbol (see orderBook). */
  const books = new Map<SymbolState, { time: number; price: number; depth: number; book: OrderBook }>()
  /**
   * Liquidity executed against the current book, per symbol and side, in lot-grid units from the
   * top (every execution takes the best levels first). Valid for one book instant (time, price).
   */
  const taken = new Map<SymbolState, { time: number; price: number; bids: number; asks: number }>()

  function takenNow(s: SymbolState): { bids: number; asks: number } | undefined {
    const t = taken.get(s)
    return t && t.time === stateTime && t.price === lastPrice(s) && (t.bids > 0 || t.asks > 0) ? t : undefined
  }

  function require(symbol: string): SymbolState {
    const s = bySymbol.get(symbol)
    if (!s) throw invalidSymbol(symbol, [...symbolList])
    return s
  }

  function tickerOf(s: SymbolState): Ticker {
    let touch = topOfBook(lastPrice(s), s.spec.priceGrid)
    if (takenNow(s)) {
      // Executions emptied the best level(s): the quote is the book's new top.
      const b = bookOf(s, 1)
      touch = { bid: b.bids[0]?.[0] ?? touch.bid, ask: b.asks[0]?.[0] ?? touch.ask }
    }
    return computeTicker(s.instrument.symbol, s.series, s.spec.lotGrid, touch, stateTime)
  }

  function bookOf(s: SymbolState, d: number): OrderBook {
    const price = lastPrice(s)
    const t = takenNow(s)
    // Levels emptied by executions are skipped, so a depleted book is cut from the deepest one.
    const need = t ? MAX_BOOK_DEPTH : d
    // The book is a function of (price, time, depth) and a shallower book is a prefix of a deeper
    // one: built once per instant at the deepest depth asked, copied out (callers own the result).
    let c = books.get(s)
    if (!c || c.time !== stateTime || c.price !== price || c.depth < need) {
      c = { time: stateTime, price, depth: need, book: buildOrderBook(s.spec, price, stateTime, need, key) }
      books.set(s, c)
    }
    const lotScale = s.spec.lotGrid.scale
    return {
      symbol: c.book.symbol,
      timestamp: c.book.timestamp,
      bids: skipTop(c.book.bids, t?.bids ?? 0, d, lotScale),
      asks: skipTop(c.book.asks, t?.asks ?? 0, d, lotScale),
    }
  }

  function emit(tick: Ticker): void {
    for (const listener of [...listeners]) {
      try {
        listener(tick)
      } catch (error) {
        report(error)
      }
    }
  }

  function advance(): void {
    const now = clock.now()
    // Time never runs backwards for the market: a clock set back leaves the state as it is.
    if (!(now >= stateTime)) return
    const before = states.map(lastPrice)
    rollTo(Math.floor(now / MINUTE_MS))
    formAt(secondOf(now))
    stateTime = now
    if (listeners.size === 0) return
    states.forEach((s, i) => {
      if (lastPrice(s) !== before[i]) emit(tickerOf(s))
    })
  }

  return {
    seed,
    symbols: () => [...symbolList],
    instrument: (symbol: string) => bySymbol.get(symbol)?.instrument,
    requireInstrument: (symbol: string) => require(symbol).instrument,
    historyStart: () => (states[0]?.series.startMinute ?? startMinute) * MINUTE_MS,
    ticker: (symbol: string) => tickerOf(require(symbol)),
    candles(symbol: string, interval: Interval, query: CandleQuery = {}): Candle[] {
      const s = require(symbol)
      return columnsToCandles(queryColumns(s.series, interval, query, s.spec.lotGrid, MAX_CANDLE_LIMIT))
    },
    candleColumns(symbol: string, interval: Interval, query: CandleQuery = {}): CandleColumns {
      const s = require(symbol)
      return queryColumns(s.series, interval, query, s.spec.lotGrid, MAX_COLUMN_LIMIT)
    },
    orderBook(symbol: string, depth?: number): OrderBook {
      return bookOf(require(symbol), resolveDepth(depth))
    },
    take(symbol: string, side: 'buy' | 'sell', quantity: number): void {
      const s = require(symbol)
      const units = Math.round(quantity * s.spec.lotGrid.scale)
      if (!(units > 0)) return
      const price = lastPrice(s)
      let t = taken.get(s)
      if (!t || t.time !== stateTime || t.price !== price) taken.set(s, (t = { time: stateTime, price, bids: 0, asks: 0 }))
      if (side === 'buy') t.asks += units
      else t.bids += units
    },
    advance,
    onTick(listener: TickListener): () => void {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    lastUpdate: () => stateTime,
    now: () => stateTime,
    status: () => ({ state: 'live', reason: null }),
    start(intervalMs = 1000): void {
      if (!(intervalMs > 0)) throw new RangeError('intervalMs must be positive')
      if (timer) clearInterval(timer)
      timer = setInterval(() => {
        try {
          advance()
        } catch (error) {
          report(error)
        }
      }, intervalMs)
      // The feed must not keep the process alive on its own (tests, graceful shutdown).
      timer.unref?.()
    },
    stop(): void {
      if (timer) clearInterval(timer)
      timer = undefined
    },
  }
}
