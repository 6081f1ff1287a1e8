import { parseCandleTime } from '@smc-trading/smc'
import { z } from 'zod'

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def)
const bool = (def: boolean) => z.stringbool().default(def)

const EnvObject = z.object({
  PORT: int(8000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('./data/smc-trading.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** GET /v1/logs: the last LOG_BUFFER_SIZE records at LOG_BUFFER_LEVEL or above, whatever LOG_LEVEL is. */
  LOG_BUFFER_SIZE: int(1000, 10, 100_000),
  LOG_BUFFER_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMC_DEMO_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  SMC_ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  MARKET_SOURCE: z.enum(['simulated', 'csv', 'ccxt']).default('simulated'),
  /** MARKET_SOURCE=csv: a CSV file, or a folder of one CSV per symbol. */
  MARKET_CSV: z.string().min(1).optional(),
  /** Replay speed: data time per clock time (60 = a minute of data per second), or `max`. */
  MARKET_REPLAY_SPEED: z.union([z.literal('max'), z.coerce.number().positive().max(1_000_000)]).default(1),
  /** Replay start (ISO 8601 or Unix seconds/ms): earlier candles are history. Default: 80 % into the data. */
  MARKET_REPLAY_START: z
    .string()
    .min(1)
    .refine((t) => !Number.isNaN(parseCandleTime(t)), 'must be an ISO 8601 date-time or Unix seconds/milliseconds')
    .transform((t) => parseCandleTime(t))
    .optional(),
  /** MARKET_SOURCE=ccxt: the exchange (a ccxt id) and the symbols served (canonical, comma-separated). */
  CCXT_EXCHANGE: z.string().min(1).default('binance'),
  MARKET_SYMBOLS: z
    .string()
    .default('BTCUSDT,ETHUSDT')
    .transform((s) => s.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean)),
  /** JSON object passed to the ccxt exchange's constructor. */
  CCXT_OPTIONS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined
      try {
        const v = JSON.parse(s)
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' })
      return z.NEVER
    }),
  /**
   * Largest age of the last price: a live feed older than this is stale (orders refused, MARKET_CLOSED),
   * and on any source an order that adds exposure on an older price is denied (STALE_PRICE).
   */
  MARKET_STALE_MS: int(60_000, 1000, 3_600_000),
  /** The strategy runner's scheduler: whether cycles run on their own, and the initial interval. */
  SCHEDULER_ENABLED: bool(true),
  SCHEDULER_INTERVAL_MINUTES: int(5, 1, 1440),
  /**
   * Backtests run in a worker thread beside the event loop (started at the first run, ended five
   * minutes after the last); false: in the server's own thread, in time slices.
   */
  BACKTEST_WORKER: bool(true),
  /** Origins allowed by CORS: `*`, or a comma-separated list of origins. */
  CORS_ORIGINS: z.string().min(1).default('*'),
  /** The prediction model: its candle interval, and whether the server trains it after start. */
  ML_INTERVAL: z.enum(['1m', '5m', '15m', '1h', '4h', '1d']).default('15m'),
  ML_ENABLED: bool(true),
  MARKET_SEED: z.string().min(1).default('42'),
  MARKET_HISTORY_DAYS: int(30, 1, 365),
  MARKET_TICK_MS: int(1000, 50, 60_000),
  /** GET /v1/health: polls this close together share one measured report (0: measure every poll). */
  HEALTH_CACHE_MS: int(250, 0, 60_000),
  RATE_LIMIT_PER_MINUTE: int(100, 1, 1_000_000),
  RATE_LIMIT_BURST_PER_SECOND: int(20, 1, 1_000_000),
  RATE_LIMIT_ENABLED: bool(true),
  /** The other tiers' defaults (every operation names its tier; PUT /v1/config changes them at runtime). */
  RATE_LIMIT_HEALTH_PER_10S: int(100, 1, 1_000_000),
  RATE_LIMIT_METRICS_PER_MINUTE: int(30, 1, 1_000_000),
  RATE_LIMIT_ADMIN_PER_MINUTE: int(10, 1, 1_000_000),
  RATE_LIMIT_ML_PER_MINUTE: int(20, 1, 1_000_000),
  /** Quote-currency balance of a new paper account (one per user, created on first use). */
  PAPER_INITIAL_BALANCE: z.coerce.number().positive().max(10_000_000).default(10_000),
  /** Fees in basis points of the fill value: taker (orders that take liquidity) and maker (resting orders). */
  PAPER_TAKER_FEE_BPS: z.coerce.number().min(0).max(1000).default(10),
  PAPER_MAKER_FEE_BPS: z.coerce.number().min(0).max(1000).default(2),
  /** WebSocket hub (/v1/ws) limits; see ws/options.ts. */
  WS_MAX_CONNECTIONS_PER_TOKEN: int(10, 1, 10_000),
  WS_MESSAGES_PER_SECOND: int(20, 1, 100_000),
  WS_MAX_SUBSCRIPTIONS: int(50, 1, 10_000),
  WS_MAX_MESSAGE_BYTES: int(16_384, 256, 1_048_576),
  WS_HEARTBEAT_MS: int(30_000, 50, 600_000),
  WS_AUTH_TIMEOUT_MS: int(10_000, 50, 600_000),
  WS_MAX_BUFFERED_BYTES: int(4_194_304, 1024, 1_073_741_824),
  WS_REPLAY_MAX_EVENTS: int(1000, 1, 1_000_000),
  WS_REPLAY_MAX_AGE_MS: int(300_000, 1000, 86_400_000),
  WS_HEALTH_INTERVAL_MS: int(5000, 50, 3_600_000),
  WS_MAX_AUTH_FAILURES_PER_MINUTE: int(5, 0, 100_000),
  /** Admin pause / resume / emergency stop notify this URL with a signed JSON body (off when unset). */
  NOTIFY_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** HMAC-SHA256 key of the X-SMC-Signature header; required with NOTIFY_WEBHOOK_URL. */
  NOTIFY_WEBHOOK_SECRET: z.string().min(16).optional(),
  NOTIFY_WEBHOOK_MAX_ATTEMPTS: int(5, 1, 20),
  NOTIFY_WEBHOOK_QUEUE_SIZE: int(100, 1, 10_000),
  NOTIFY_WEBHOOK_BACKOFF_MS: int(1000, 1, 60_000),
  NOTIFY_WEBHOOK_TIMEOUT_MS: int(5000, 100, 60_000),
})

/** Every environment variable the server reads, with its embedded default, and the rules across them. */
export const EnvSchema = EnvObject.superRefine((env, ctx) => {
  if (env.MARKET_SOURCE === 'csv' && !env.MARKET_CSV)
    ctx.addIssue({ code: 'custom', path: ['MARKET_CSV'], message: 'is required with MARKET_SOURCE=csv (a CSV file or a folder of them)' })
  // Between two ticks the price ages by up to a tick: a shorter limit would deny every order.
  if (env.MARKET_STALE_MS <= env.MARKET_TICK_MS)
    ctx.addIssue({ code: 'custom', path: ['MARKET_STALE_MS'], message: `must be greater than MARKET_TICK_MS (${env.MARKET_TICK_MS})` })
  if (env.NOTIFY_WEBHOOK_URL && !env.NOTIFY_WEBHOOK_SECRET)
    ctx.addIssue({ code: 'custom', path: ['NOTIFY_WEBHOOK_SECRET'], message: 'is required with NOTIFY_WEBHOOK_URL (at least 16 characters; receivers check the signature with it)' })
})

export type Env = z.infer<typeof EnvSchema>

/** Thrown when an environment variable is invalid; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Validate the environment; a bad value stops the start with a message naming the variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const picked = Object.fromEntries(
    Object.keys(EnvObject.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]),
  )
  const parsed = EnvSchema.safeParse(picked)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(picked[String(i.path[0])])})`)
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`)
  }
  return parsed.data
}
