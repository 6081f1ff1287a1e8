import { getInstrumentRoute, getInstrumentsRoute, getMarketDataRoute, getOhlcvRoute, getOrderBookRoute } from '../../../generated'
import { INTERVAL_MINUTES, type Instrument } from '../../../market'
import type { AppServices } from '../../../services'
import { requireSymbol } from '../../route-helpers'
import { secured } from '../../middleware/security'
import { registerSnapshotRoutes } from './snapshot'
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
  registerSnapshotRoutes(app, s)
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
    const { symbol: sym, price, bid, ask, volume_24h, change_24h, high_24h, low_24h } = t
    return c.json({ symbol: sym, price, bid, ask, volume_24h, change_24h, high_24h, low_24h, timestamp: new Date(t.timestamp).toISOString() }, 200)
  })

  app.openapi(secured(getOhlcvRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const q = c.req.valid('query')
    const startTime = q.start_time === undefined ? undefined : q.start_time * 1000
    const endTime = q.end_time === undefined ? undefined : q.end_time * 1000
    // With a start, pages run forward from it (as exchanges' kline endpoints do); without, the latest.
    const candles = s.market.candles(symbol, q.interval, { startTime, endTime, limit: q.limit, anchor: startTime === undefined ? 'end' : 'start' })
    const spanMs = INTERVAL_MINUTES[q.interval] * 60_000
    const now = s.market.now()
    let next: number | null = null
    const last = candles[candles.length - 1]
    if (startTime !== undefined && last && candles.length === q.limit) {
      const newest = s.market.candles(symbol, q.interval, { endTime, limit: 1 })[0]
      if (newest && newest.time > last.time) next = (last.time + spanMs) / 1000
    }
    const data = candles.map((k) => ({
      timestamp: Math.floor(k.time / 1000),
      open: k.open,
      high: k.high,
      low: k.low,
      close: k.close,
      volume: k.volume,
      closed: k.time + spanMs <= now,
    }))
    return c.json({ symbol, interval: q.interval, data, next_start_time: next }, 200)
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
