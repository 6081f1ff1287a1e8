export { Metrics } from './metrics'
export { createLogger, REDACTED_PATHS, type Logger } from './logger'
export { LogBuffer, LEVELS, type LevelName, type LogEntry } from './log-buffer'
