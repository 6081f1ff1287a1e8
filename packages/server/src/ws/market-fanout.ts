import type { MarketData, Ticker } from '../market'
import { frameTail, iso } from './envelope'
import type { ConnectionRegistry } from './registry'

/**
 * Market ticks to the `market_data.<symbol>` and `trading.<symbol>` subscribers: each frame is
 * serialized once per tick and shared by every recipient (only `seq` differs).
 */
export class MarketFanOut {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly market: Pick<MarketData, 'orderBook'>,
    private readonly nextId: () => string,
  ) {}

  tick(t: Ticker): void {
    const md = this.registry.subscribers(`market_data.${t.symbol}`)
    const tr = this.registry.subscribers(`trading.${t.symbol}`)
    if (!md?.size && !tr?.size) return
    const ts = iso(t.timestamp)
    if (md?.size) {
      const data = { symbol: t.symbol, price: t.price, bid: t.bid, ask: t.ask, volume_24h: t.volume_24h, change_24h: t.change_24h, timestamp: ts }
      const tail = frameTail('market_data_update', JSON.stringify(data), ts, this.nextId(), `market_data.${t.symbol}`)
      for (const c of md) c.send(tail)
    }
    if (tr?.size) {
      const book = this.market.orderBook(t.symbol, 1)
      const [bid, bidSize] = book.bids[0] ?? [t.bid, 0]
      const [ask, askSize] = book.asks[0] ?? [t.ask, 0]
      const mid = (bid + ask) / 2
      const data = {
        symbol: t.symbol,
        bid,
        ask,
        bid_size: bidSize,
        ask_size: askSize,
        spread_bps: mid > 0 ? Math.round(((ask - bid) / mid) * 1e6) / 100 : 0,
        last_trade_price: t.price,
        volume_24h: t.volume_24h,
        timestamp: ts,
      }
      const tail = frameTail('quote_update', JSON.stringify(data), ts, this.nextId(), `trading.${t.symbol}`)
      for (const c of tr) c.send(tail)
    }
  }
}
