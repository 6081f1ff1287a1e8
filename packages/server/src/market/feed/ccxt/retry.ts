/** How requests that fail on the network are retried. */
export interface RetryPolicy {
  /** Tries in all, the first included (default 3). */
  attempts: number
  /** Delay before the first retry; doubled before each next one (default 200 ms). */
  baseDelayMs: number
  /** Waits `ms` (injectable so tests run without real delays). */
  sleep: (ms: number) => Promise<void>
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  attempts: 3,
  baseDelayMs: 200,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
})

/** Node / undici codes of transport failures (what ccxt itself maps to NetworkError). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

/**
 * Whether an error is worth retrying: ccxt's `NetworkError` family (request timeouts, DDoS
 * protection / rate limits, exchange not available, …), or a raw transport failure that did not go
 * through ccxt's wrapping (a `TypeError` from fetch, an error carrying a socket error code). Exchange
 * errors (bad symbol, bad request, …) are permanent and are not retried.
 */
export function isRetryableError(error: unknown, networkError: abstract new (...args: never[]) => unknown): boolean {
  if (error instanceof networkError) return true
  if (error instanceof TypeError) return true
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && NETWORK_CODES.has(code)
}

/**
 * Run `fn` until it succeeds, retrying retryable errors with exponential backoff
 * (`baseDelayMs`, ×2, ×4, …) up to `attempts` tries in all. The last error is rethrown wrapped in
 * one that says what failed and how often (the original is its `cause`); a permanent error is
 * rethrown at once, unchanged.
 */
export async function withRetry<T>(
  what: string,
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  retryable: (error: unknown) => boolean,
): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts))
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (!retryable(error)) throw error
      if (attempt + 1 >= attempts) {
        const message = error instanceof Error ? error.message : String(error)
        throw new Error(`${what} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${message}`, {
          cause: error,
        })
      }
      await policy.sleep(policy.baseDelayMs * 2 ** attempt)
    }
  }
}
