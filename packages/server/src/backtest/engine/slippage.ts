import { ceilToGrid, floorToGrid, gridOf, type Instrument, type MarketData, type OrderBook, type Ticker } from '../../market'

/**
 * Slippage as a wider book: every ask level moves up and every bid level down by `bps` basis points
 * of its price (rounded away from the mid, to the tick), and the ticker's bid/ask with them. The
 * paper engine then matches against that book with its own code: a taker (market order, triggered
 * stop) fills `bps` worse at every level it walks; a resting limit still fills at its own price, but
 * only once the widened touch crosses it. Last prices (marks, equity, stop triggers) are unchanged.
 * `bps` = 0 returns the market itself.
 *
 * @example
 * const market = withSlippage(series.marketData(driver), instrument, 5)
 */
export function withSlippage(market: MarketData, instrument: Instrument, bps: number): MarketData {
  if (!(bps > 0)) return market
  const grid = gridOf(instrument.tickSize)
  const up = 1 + bps / 10_000
  const down = 1 - bps / 10_000
  const ask = (p: number): number => ceilToGrid(p * up, grid)
  const bid = (p: number): number => Math.max(instrument.tickSize, floorToGrid(p * down, grid))
  const book = (b: OrderBook): OrderBook => ({
    ...b,
    bids: b.bids.map(([p, q]) => [bid(p), q]),
    asks: b.asks.map(([p, q]) => [ask(p), q]),
  })
  const ticker = (t: Ticker): Ticker => (t.symbol === instrument.symbol ? { ...t, bid: bid(t.bid), ask: ask(t.ask) } : t)
  return {
    ...market,
    orderBook: (symbol, depth) => {
      const b = market.orderBook(symbol, depth)
      return symbol === instrument.symbol ? book(b) : b
    },
    ticker: (symbol) => ticker(market.ticker(symbol)),
    onTick: (listener) => market.onTick((t) => listener(ticker(t))),
  }
}
