export { createSmcStream } from './stream'
export type { SmcStream, SmcStreamOptions, SmcStreamResult, StreamCandle } from './types'
