import { pino, type DestinationStream, type Logger, type StreamEntry } from 'pino'
import { LogBuffer, type LevelName } from './log-buffer'

export type { Logger }

/** Fields never logged in clear (tokens, keys, passwords), wherever they appear. */
export const REDACTED_PATHS = [
  'token',
  'refresh_token',
  'api_key',
  'apiKey',
  'password',
  'authorization',
  '*.token',
  '*.refresh_token',
  '*.api_key',
  '*.apiKey',
  '*.password',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
]

/**
 * Structured JSON logs on stdout at `level`, and, when a buffer is given, into it at the buffer's own
 * level (so `GET /v1/logs` fills even when stdout is silent). Secrets are redacted in both.
 */
export function createLogger(level: string, buffer?: { buffer: LogBuffer; level: LevelName }): Logger {
  const base = { service: 'smc-server' }
  const redact = { paths: REDACTED_PATHS, censor: '[redacted]' }
  if (!buffer) return pino({ level, base, redact })
  const streams: StreamEntry[] = [{ level: buffer.level, stream: { write: (line: string) => buffer.buffer.write(line) } as DestinationStream }]
  if (level !== 'silent') streams.push({ level: level as LevelName, stream: process.stdout })
  const order: string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']
  const lowest = streams.map((s) => s.level as string).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0]!
  return pino({ level: lowest, base, redact }, pino.multistream(streams))
}
