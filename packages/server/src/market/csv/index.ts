export { loadCsvSource, CsvSourceError, type CsvSource } from './load-csv'
export { createReplayMarket, type ReplayMarket, type ReplayOptions } from './replay-market'
