// The example's settings from the environment; a bad one is a one-line message naming the variable
// (not a RangeError from deep inside Date, nor a stack trace).

export interface Config {
  baseUrl: string
  apiKey: string
  symbol: string
  days: number
  /** The end of the window, epoch ms. */
  end: number
}

const DAY_MS = 86_400_000

export function readConfig(env: Record<string, string | undefined>, now = Date.now()): Config {
  const apiKey = env.SMC_API_KEY
  if (!apiKey) throw new Error('set SMC_API_KEY to the demo API key the server printed at start')
  const days = env.SMC_DAYS === undefined ? 7 : /^\d+(\.\d+)?$/.test(env.SMC_DAYS) ? Number(env.SMC_DAYS) : Number.NaN
  if (!(days > 0 && days <= 3650)) throw new Error(`SMC_DAYS must be a number of days in (0, 3650], e.g. 7 (got ${JSON.stringify(env.SMC_DAYS)})`)
  // Default: the last midnight (UTC) before now, so the window holds whole days of closed candles.
  const end = env.SMC_END === undefined ? Math.floor(now / DAY_MS) * DAY_MS : Date.parse(env.SMC_END)
  if (Number.isNaN(end)) throw new Error(`SMC_END must be an ISO 8601 time, e.g. 2024-03-01 or 2024-03-01T12:00:00Z (got ${JSON.stringify(env.SMC_END)})`)
  return { baseUrl: env.SMC_BASE_URL ?? 'http://localhost:8000', apiKey, symbol: env.SMC_SYMBOL ?? 'BTCUSDT', days, end }
}

/** One line for any failure: its message, and the system error under it (ECONNREFUSED …) when there is one. */
export function oneLine(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } }
  const cause = err?.cause?.code ?? err?.cause?.message
  return `${err?.message ?? String(e)}${cause ? ` (${cause})` : ''}`.replace(/\s*\n\s*/g, ' ')
}
