import type {
  Candle,
  Instrument,
  Indicators,
  IndicatorsQuery,
  InstrumentList,
  MarketSnapshot,
  Ohlcv,
  OhlcvQuery,
  OrderBook,
  OrderBookQuery,
  PerformanceAnalytics,
  PerformanceQuery,
  Price,
  PriceList,
  SmcAnalysis,
  SmcAnalysisQuery,
  Ticker,
} from '../types'
import { SystemMethods } from './system'

/** `SMCClient`'s market data, instruments and analytics methods. */
export class MarketMethods extends SystemMethods {
  /**
   * Ticker: last price, top of book, 24h statistics.
   * @example
   * const { price } = await client.getMarketData('BTCUSDT')
   */
  getMarketData(symbol: string): Promise<Ticker> {
    return this.unwrap(this.api.GET('/v1/market-data/{symbol}', { params: { path: { symbol } } }))
  }

  /**
   * SMA, EMA, RSI, MACD, Bollinger bands, ATR and volume SMA over the latest closed candles (the
   * forming candle never changes them); `null` where history is too short.
   * @example
   * const { rsi, bollinger } = await client.getIndicators('BTCUSDT', { interval: '1h', indicators: 'rsi,bollinger' })
   * if (rsi?.value !== null && rsi!.value < 30) console.log('oversold', bollinger?.lower)
   */
  getIndicators(symbol: string, query: IndicatorsQuery = {}): Promise<Indicators> {
    return this.unwrap(this.api.GET('/v1/analytics/indicators/{symbol}', { params: { path: { symbol }, query } }))
  }

  /**
   * Every enabled symbol's price, 24 h change, high/low, base and quote volume and spread, with a
   * summary; all figures of one market instant.
   * @example
   * const { symbols, summary } = await client.getMarketSnapshot()
   * console.log(summary.total_symbols, symbols.BTCUSDT?.price_change_pct_24h)
   */
  getMarketSnapshot(): Promise<MarketSnapshot> {
    return this.unwrap(this.api.GET('/v1/market-data'))
  }

  /**
   * Every enabled symbol's last price, at one instant.
   * @example
   * const { prices } = await client.getPrices()
   * const btc = prices.find((p) => p.symbol === 'BTCUSDT')?.price
   */
  getPrices(): Promise<PriceList> {
    return this.unwrap(this.api.GET('/v1/prices'))
  }

  /**
   * One symbol's last price.
   * @example
   * const { price, timestamp } = await client.getPrice('ETHUSDT')
   */
  getPrice(symbol: string): Promise<Price> {
    return this.unwrap(this.api.GET('/v1/prices/{symbol}', { params: { path: { symbol } } }))
  }

  /**
   * OHLCV candles, ascending.
   * @example
   * const { data } = await client.getOhlcv('BTCUSDT', { interval: '15m', limit: 100 })
   */
  getOhlcv(symbol: string, query: OhlcvQuery = {}): Promise<Ohlcv> {
    return this.unwrap(this.api.GET('/v1/market-data/{symbol}/ohlcv', { params: { path: { symbol }, query } }))
  }

  /**
   * Every candle of a window of any length, oldest first, fetched page by page (1,000 candles per
   * request, following `next_start_time`) as you iterate. Without `end_time` it runs up to the newest
   * candle, whose `closed` is false while it forms.
   * @example
   * const start = Math.floor(Date.parse('2024-01-01T00:00:00Z') / 1000)
   * for await (const k of client.ohlcvHistory('BTCUSDT', { interval: '1m', start_time: start })) {
   *   if (k.closed) console.log(k.timestamp, k.close)
   * }
   */
  async *ohlcvHistory(symbol: string, query: Omit<OhlcvQuery, 'start_time'> & { start_time: number }): AsyncGenerator<Candle, void, undefined> {
    let start: number | null = query.start_time
    while (start !== null) {
      const page: Ohlcv = await this.getOhlcv(symbol, { limit: 1000, ...query, start_time: start })
      yield* page.data
      start = page.next_start_time
    }
  }

  /**
   * Order book levels as [price, quantity] decimal strings.
   * @example
   * const { bids, asks } = await client.getOrderBook('BTCUSDT', { limit: 5 })
   */
  getOrderBook(symbol: string, query: OrderBookQuery = {}): Promise<OrderBook> {
    return this.unwrap(this.api.GET('/v1/market-data/{symbol}/orderbook', { params: { path: { symbol }, query } }))
  }

  /**
   * Trading rules of every tradable symbol: tick size, lot size, minimum quantity and notional.
   * @example
   * const { instruments } = await client.getInstruments()
   * const btc = instruments.find((i) => i.symbol === 'BTCUSDT')
   */
  getInstruments(): Promise<InstrumentList> {
    return this.unwrap(this.api.GET('/v1/instruments'))
  }

  /**
   * Trading rules of one symbol; round order prices to `tick_size` and quantities to `lot_size`.
   * @example
   * const { tick_size, lot_size } = await client.getInstrument('BTCUSDT')
   * const quantity = Math.floor(0.01234567 / lot_size) * lot_size
   */
  getInstrument(symbol: string): Promise<Instrument> {
    return this.unwrap(this.api.GET('/v1/instruments/{symbol}', { params: { path: { symbol } } }))
  }

  /**
   * Performance of your paper account over a rolling period (default `1m` = 30 days), from closed
   * round trips: win rate, PnL, profit factor, Sharpe ratio, max drawdown, durations (needs `read_trades`).
   * `profit_factor`, `sharpe_ratio`, `best_trade` and `worst_trade` are `null` when undefined.
   * @example
   * const perf = await client.getPerformance({ period: '1w', symbol: 'BTCUSDT' })
   * console.log(`${perf.win_rate}% of ${perf.total_trades} trades, PnL ${perf.total_pnl}, max DD ${perf.max_drawdown}%`)
   */
  getPerformance(opts: PerformanceQuery = {}): Promise<PerformanceAnalytics> {
    return this.unwrap(this.api.GET('/v1/analytics/performance', { params: { query: opts } }))
  }

  /**
   * Smart Money Concepts analysis of the latest closed candles of a symbol (needs `read_market_data`):
   * trend (direction of the latest confirmed BOS/CHOCH), unmitigated order blocks with `strength`
   * and `volume_ratio`, the latest BOS/CHOCH (`confirmed` once a candle closed beyond its level),
   * the latest open fair value gap and swept liquidity pools. Defaults: `interval` 15m,
   * `lookback` 500 candles (max 5000; fewer when the market has less history), `swing_length` 10.
   * `mode: 'causal'` adds `causal`: the no-look-ahead analysis (zones with their lifecycle, breaker
   * blocks, premium / discount, each stamped with the candle that confirmed it), also on
   * `higher_timeframe` (longer than `interval`) when given.
   * @example
   * const { analysis } = await client.getSmcAnalysis('BTCUSDT', { interval: '1h', lookback: 300 })
   * if (analysis.trend === 'bullish' && analysis.choch_bos.confirmed && analysis.choch_bos.direction === 'bullish') {
   *   const [bottom, top] = analysis.order_blocks[0]?.price_level ?? []
   *   console.log('bullish structure; nearest order block', bottom, top)
   * }
   * const { causal } = await client.getSmcAnalysis('BTCUSDT', { interval: '5m', mode: 'causal', higher_timeframe: '1h' })
   * if (causal?.higher_timeframe?.trend === 'bullish' && causal.base.dealing_range?.zone === 'discount') console.log('1h up, 5m in discount')
   */
  getSmcAnalysis(symbol: string, opts: SmcAnalysisQuery = {}): Promise<SmcAnalysis> {
    return this.unwrap(this.api.GET('/v1/analytics/smc/{symbol}', { params: { path: { symbol }, query: opts } }))
  }
}
