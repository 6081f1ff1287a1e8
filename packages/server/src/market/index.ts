export type {
  BookLevel,
  Candle,
  CandleColumns,
  CandleQuery,
  MarketData,
  MarketStatus,
  OrderBook,
  Ticker,
  TickListener,
} from './types'
export { type Instrument, DEFAULT_INSTRUMENTS } from './instruments'
export {
  type Grid,
  decimalsOf,
  gridOf,
  roundToGrid,
  floorToGrid,
  ceilToGrid,
  isOnGrid,
  roundToTick,
  floorToStep,
  isOnTick,
  isOnStep,
} from './precision'
export { type Interval, INTERVALS, INTERVAL_MINUTES, isInterval } from './intervals'
export { DEFAULT_CANDLE_LIMIT, MAX_CANDLE_LIMIT, MAX_COLUMN_LIMIT } from './aggregate'
export { DEFAULT_BOOK_DEPTH, MAX_BOOK_DEPTH } from './order-book'
export { type SimulatedMarket, type SimulatedMarketOptions, createSimulatedMarket } from './simulated-market'
export { SeriesMarket } from './series-market'
export { createPlantedMarket, type PlantedMarket, type PlantedCandle, type PlantedPath } from './planted-market'
export { createMarketSource, type MarketSourceConfig } from './source'
export { closedCandles } from './closed-candles'
