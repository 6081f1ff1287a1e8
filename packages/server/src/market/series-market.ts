import { allocCandles } from '@smc-trading/smc'
import { invalidSymbol } from '../core'
import { columnsToCandles, MAX_CANDLE_LIMIT, MAX_COLUMN_LIMIT, queryColumns } from './aggregate'
import { CandleSeries } from './candle-series'
import { freezeInstruments, type Instrument } from './instruments'
import { MINUTE_MS } from './intervals'
import { type BookSpec, bookSpec, buildOrderBook, MAX_BOOK_DEPTH, resolveDepth, skipTop, topOfBook } from './order-book'
import { computeTicker, type TickerCache } from './ticker'
import type { Candle, CandleColumns, CandleQuery, MarketData, MarketStatus, OrderBook, Ticker, TickListener } from './types'

interface SymbolState {
  instrument: Instrument
  spec: BookSpec
  series: CandleSeries | undefined
  /** The exchange's own book (live sources); the book is synthesised around the price without it. */
  book: OrderBook | undefined
  /** Liquidity executed against the current book instant, in lot-grid units from the top. */
  taken: { time: number; price: number; bids: number; asks: number } | undefined
  /** 24 h sums of the rows before the forming one: only the last row is ever rewritten here. */
  tickerCache: TickerCache
}

/**
 * The part of a market that real candles drive (CSV replay, live exchanges): per-symbol series at a
 * base interval, a book (the exchange's, or synthesised around the price as the simulated market
 * does), tickers from the series, and tick listeners. A driver puts candles and moves the time;
 * {@link SeriesMarket.marketData} exposes the result as the MarketData the server uses.
 */
export class SeriesMarket {
  private readonly states: Map<string, SymbolState>
  private readonly symbolList: string[]
  private readonly listeners = new Set<TickListener>()
  private readonly books = new Map<SymbolState, { time: number; price: number; depth: number; book: OrderBook }>()
  /** The market's current time (ms): data time for a replay. */
  time = 0

  /** See {@link SeriesMarket.keepHistory}; undefined: everything. */
  private historyRows: number | undefined

  constructor(
    instruments: readonly Instrument[],
    readonly stepMinutes: number,
    /** Seeds the synthesised books: the same data and seed give the same books. */
    private readonly seed: string,
    private readonly report: (error: unknown) => void = (error) => queueMicrotask(() => { throw error }),
    /**
     * Rows the tickers' "24 h" figures cover; default a day's. A backtest's sandbox passes 1 (the
     * forming candle): its ticks feed only the paper engine, which reads price, bid and ask, and a
     * day's window cost a 1,440-row loop per candle while a position was open.
     */
    private readonly tickerRows?: number,
  ) {
    const frozen = freezeInstruments(instruments)
    this.symbolList = frozen.map((i) => i.symbol)
    this.states = new Map(frozen.map((i) => [i.symbol, { instrument: i, spec: bookSpec(i), series: undefined, book: undefined, taken: undefined, tickerCache: {} }]))
  }

  symbols(): string[] {
    return [...this.symbolList]
  }

  private require(symbol: string): SymbolState {
    const s = this.states.get(symbol)
    if (!s) throw invalidSymbol(symbol, this.symbolList)
    return s
  }

  /** Last price of a symbol (its latest candle's close), NaN before any candle. */
  price(symbol: string): number {
    const series = this.require(symbol).series
    return series && series.length > 0 ? series.close[series.length - 1]! : Number.NaN
  }

  /**
   * Put a candle of the base interval: the latest row is rewritten when the candle opens at the same
   * time (a forming candle progressing), otherwise it is appended; missing candles in between are
   * filled flat at the previous close with volume 0 (the contract's rule: no silent gaps).
   */
  /**
   * Keep only about the last `rows` candles of each symbol (between `rows` and twice as many): for a
   * market whose history nobody reads, such as a backtest's sandbox, so a long run reuses the same
   * memory instead of growing its columns (fresh memory costs page faults, a tenth of a run).
   */
  keepHistory(rows: number): void {
    this.historyRows = Math.max(1, Math.floor(rows))
  }

  put(symbol: string, c: Candle): void {
    const s = this.require(symbol)
    const minute = c.time / MINUTE_MS
    if (!s.series) s.series = new CandleSeries(minute, 1024, this.stepMinutes)
    const series = s.series
    if (series.length > 0) {
      const last = series.lastMinute
      if (minute < last) return
      if (minute === last) {
        series.write(series.length - 1, c.open, c.high, c.low, c.close, c.volume)
        return
      }
      const prev = series.close[series.length - 1]!
      for (let m = last + this.stepMinutes; m < minute; m += this.stepMinutes) series.push(prev, prev, prev, prev, 0)
    }
    const keep = this.historyRows
    if (keep !== undefined && series.length >= 2 * keep) series.dropFront(series.length - keep)
    series.push(c.open, c.high, c.low, c.close, c.volume)
  }

  /** Use the exchange's book for a symbol (undefined: synthesise one around the price). */
  setBook(symbol: string, book: OrderBook | undefined): void {
    this.require(symbol).book = book
  }

  /** Notify tick listeners of every symbol whose price differs from `before` (from {@link SeriesMarket.prices}). */
  emitChanges(before: number[]): void {
    if (this.listeners.size === 0) return
    this.symbolList.forEach((symbol, i) => {
      const price = this.price(symbol)
      if (Number.isFinite(price) && price !== before[i]) {
        const tick = this.ticker(symbol)
        for (const listener of [...this.listeners]) {
          try {
            listener(tick)
          } catch (error) {
            this.report(error)
          }
        }
      }
    })
  }

  prices(): number[] {
    return this.symbolList.map((s) => this.price(s))
  }

  private takenNow(s: SymbolState): { bids: number; asks: number } | undefined {
    const t = s.taken
    return t && t.time === this.time && t.price === this.price(s.instrument.symbol) && (t.bids > 0 || t.asks > 0) ? t : undefined
  }

  private bookOf(s: SymbolState, depth: number): OrderBook {
    const price = this.price(s.instrument.symbol)
    const t = this.takenNow(s)
    const lotScale = s.spec.lotGrid.scale
    let full: OrderBook
    if (s.book) full = s.book
    else {
      const need = t ? MAX_BOOK_DEPTH : depth
      let c = this.books.get(s)
      if (!c || c.time !== this.time || c.price !== price || c.depth < need) {
        c = { time: this.time, price, depth: need, book: buildOrderBook(s.spec, price, this.time, need, this.seed) }
        this.books.set(s, c)
      }
      full = c.book
    }
    return {
      symbol: s.instrument.symbol,
      timestamp: s.book ? s.book.timestamp : this.time,
      bids: skipTop(full.bids, t?.bids ?? 0, depth, lotScale),
      asks: skipTop(full.asks, t?.asks ?? 0, depth, lotScale),
    }
  }

  ticker(symbol: string): Ticker {
    const s = this.require(symbol)
    const series = s.series
    if (!series || series.length === 0) throw invalidSymbol(symbol, this.symbolList)
    let touch = s.book && s.book.bids[0] && s.book.asks[0] ? { bid: s.book.bids[0][0], ask: s.book.asks[0][0] } : topOfBook(this.price(symbol), s.spec.priceGrid)
    if (this.takenNow(s)) {
      const b = this.bookOf(s, 1)
      touch = { bid: b.bids[0]?.[0] ?? touch.bid, ask: b.asks[0]?.[0] ?? touch.ask }
    }
    return computeTicker(symbol, series, s.spec.lotGrid, touch, this.time, s.tickerCache, this.tickerRows)
  }

  /** The MarketData of this series market, with the driver's time and lifecycle. */
  marketData(driver: { advance(): void; start(intervalMs?: number): void; stop(): void; lastUpdate(): number; status(): MarketStatus }): MarketData {
    return {
      symbols: () => this.symbols(),
      instrument: (symbol) => this.states.get(symbol)?.instrument,
      requireInstrument: (symbol) => this.require(symbol).instrument,
      ticker: (symbol) => this.ticker(symbol),
      candles: (symbol, interval, query: CandleQuery = {}) => {
        const s = this.require(symbol)
        return s.series ? columnsToCandles(queryColumns(s.series, interval, query, s.spec.lotGrid, MAX_CANDLE_LIMIT)) : []
      },
      candleColumns: (symbol, interval, query: CandleQuery = {}) => {
        const s = this.require(symbol)
        return s.series ? queryColumns(s.series, interval, query, s.spec.lotGrid, MAX_COLUMN_LIMIT) : allocCandles(0)
      },
      orderBook: (symbol, depth) => this.bookOf(this.require(symbol), resolveDepth(depth)),
      take: (symbol, side, quantity) => {
        const s = this.require(symbol)
        const units = Math.round(quantity * s.spec.lotGrid.scale)
        if (!(units > 0)) return
        const price = this.price(symbol)
        let t = s.taken
        if (!t || t.time !== this.time || t.price !== price) s.taken = t = { time: this.time, price, bids: 0, asks: 0 }
        if (side === 'buy') t.asks += units
        else t.bids += units
      },
      advance: () => driver.advance(),
      onTick: (listener) => {
        this.listeners.add(listener)
        return () => {
          this.listeners.delete(listener)
        }
      },
      lastUpdate: () => driver.lastUpdate(),
      now: () => this.time,
      status: () => driver.status(),
      start: (intervalMs) => driver.start(intervalMs),
      stop: () => driver.stop(),
    }
  }
}
