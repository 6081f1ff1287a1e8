export type { Candles } from './types'
export { candlesFromArrays } from './types'
export { readCandlesCsv, parseReferenceDate, CsvInputError } from './csv'
export * from './indicators'
