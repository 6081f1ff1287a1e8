export { Metrics } from './metrics'
export { createLogger, type Logger } from './logger'
