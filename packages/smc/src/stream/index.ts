export { createSmcStream } from './stream'
export { ColumnPool } from './column-pool'
export type { SmcStream, SmcStreamOptions, SmcStreamResult, StreamCandle } from './types'
