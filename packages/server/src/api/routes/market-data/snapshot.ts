import { getMarketSnapshotRoute, getPriceRoute, getPricesRoute } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { requireSymbol } from '../../route-helpers'
import type { App } from '../../types'

const iso = (ms: number): string => new Date(ms).toISOString()
const round = (x: number, decimals: number): number => Math.round(x * 10 ** decimals) / 10 ** decimals

/** The enabled symbols, in market order. */
const enabled = (s: AppServices): string[] => s.market.symbols().filter((symbol) => s.settings.isSymbolEnabled(symbol))

/**
 * `GET /v1/market-data` (seed 001's snapshot) and `GET /v1/prices[/{symbol}]`. Registered before
 * `/v1/market-data/{symbol}`'s siblings; the market does not move during a request, so every figure
 * is of one instant and equals the per-symbol ticker then.
 */
export function registerSnapshotRoutes(app: App, s: AppServices): void {
  app.openapi(secured(getMarketSnapshotRoute, s), (c) => {
    const symbols: Record<string, ReturnType<typeof snapshotOf>> = {}
    for (const symbol of enabled(s)) symbols[symbol] = snapshotOf(s, symbol)
    const rows = Object.values(symbols)
    const n = rows.length
    return c.json(
      {
        symbols,
        summary: {
          total_symbols: n,
          average_change_24h: n === 0 ? 0 : round(rows.reduce((a, r) => a + r.price_change_pct_24h, 0) / n, 4),
          total_quote_volume_24h: round(rows.reduce((a, r) => a + r.quote_volume_24h, 0), 2),
          last_updated: iso(s.market.now()),
        },
      },
      200,
    )
  })

  app.openapi(secured(getPricesRoute, s), (c) => {
    const prices = enabled(s).map((symbol) => {
      const t = s.market.ticker(symbol)
      return { symbol, price: t.price, timestamp: iso(t.timestamp) }
    })
    return c.json({ prices, timestamp: iso(s.market.now()) }, 200)
  })

  app.openapi(secured(getPriceRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const t = s.market.ticker(symbol)
    return c.json({ symbol, price: t.price, timestamp: iso(t.timestamp) }, 200)
  })
}

function snapshotOf(s: AppServices, symbol: string) {
  const t = s.market.ticker(symbol)
  const decimals = s.market.requireInstrument(symbol).pricePrecision
  const spread = round(t.ask - t.bid, decimals)
  const mid = (t.ask + t.bid) / 2
  return {
    price: t.price,
    price_change_24h: round(t.price - t.open_24h, decimals),
    price_change_pct_24h: t.change_24h,
    high_24h: t.high_24h,
    low_24h: t.low_24h,
    volume_24h: t.volume_24h,
    quote_volume_24h: t.quote_volume_24h,
    bid: t.bid,
    ask: t.ask,
    spread,
    spread_bps: mid > 0 ? round((spread / mid) * 10_000, 2) : 0,
  }
}
