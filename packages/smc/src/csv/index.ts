export { readCandlesCsv, parseReferenceDate, CsvInputError } from './read-candles'
export { writeResultCsv, writeIndicatorCsv, formatFloat64, formatFloat32, REFERENCE_COLUMNS } from './write-result'
export type { ColumnDtype, ResultColumn, ReferenceIndicator } from './write-result'
