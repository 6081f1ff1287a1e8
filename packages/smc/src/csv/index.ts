export { readCandlesCsv, parseReferenceDate, CsvInputError } from './read-candles'
