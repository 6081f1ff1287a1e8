import { getInstrumentRoute, getInstrumentsRoute, getMarketDataRoute, getOhlcvRoute, getOrderBookRoute } from '../../../generated'
import type { Instrument } from '../../../market'
import type { AppServices } from '../../../services'
import { requireSymbol } from '../../route-helpers'
import { secured } from '../../middleware/security'
import type { App } from '../../types'

/** The instrument of an enabled symbol, or INVALID_SYMBOL. Symbols are matched case-insensitively. */
const fmt = (v: number, decimals: number): string => v.toFixed(decimals)

/** The contract's Instrument: the trading rules only (not the simulation's parameters). */
const instrumentView = (i: Instrument) => ({
  symbol: i.symbol,
  base_asset: i.baseAsset,
  quote_asset: i.quoteAsset,
  tick_size: i.tickSize,
  lot_size: i.lotSize,
  min_quantity: i.minQuantity,
  min_notional: i.minNotional,
  price_precision: i.pricePrecision,
  quantity_precision: i.quantityPrecision,
})

export function registerMarketDataRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getInstrumentsRoute, s), (c) => {
    const symbols = s.market.symbols().filter((symbol) => s.settings.isSymbolEnabled(symbol))
    return c.json({ instruments: symbols.map((symbol) => instrumentView(s.market.requireInstrument(symbol))) }, 200)
  })

  app.openapi(secured(getInstrumentRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    return c.json(instrumentView(s.market.requireInstrument(symbol)), 200)
  })

  app.openapi(secured(getMarketDataRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const t = s.market.ticker(symbol)
    return c.json({ ...t, timestamp: new Date(t.timestamp).toISOString() }, 200)
  })

  app.openapi(secured(getOhlcvRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const q = c.req.valid('query')
    const candles = s.market.candles(symbol, q.interval, {
      startTime: q.start_time === undefined ? undefined : q.start_time * 1000,
      endTime: q.end_time === undefined ? undefined : q.end_time * 1000,
      limit: q.limit,
    })
    const data = candles.map((k) => ({
      timestamp: Math.floor(k.time / 1000),
      open: k.open,
      high: k.high,
      low: k.low,
      close: k.close,
      volume: k.volume,
    }))
    return c.json({ symbol, interval: q.interval, data }, 200)
  })

  app.openapi(secured(getOrderBookRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const inst = s.market.requireInstrument(symbol)
    const book = s.market.orderBook(symbol, c.req.valid('query').limit)
    const level = ([p, q]: readonly [number, number]): string[] => [fmt(p, inst.pricePrecision), fmt(q, inst.quantityPrecision)]
    return c.json(
      { symbol, timestamp: Math.floor(book.timestamp / 1000), bids: book.bids.map(level), asks: book.asks.map(level) },
      200,
    )
  })
}
