export { readCandlesCsv, readCandleCsv, parseReferenceDate, parseCandleTime, CsvInputError, type CandleCsv } from './read-candles'
export { writeResultCsv, writeIndicatorCsv, formatFloat64, formatFloat32, REFERENCE_COLUMNS } from './write-result'
export type { ColumnDtype, ResultColumn, ReferenceIndicator } from './write-result'
