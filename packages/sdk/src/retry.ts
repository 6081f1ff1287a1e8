import { SMCApiError } from './errors'
import { rateLimitOf, redactHeaders, redactPath, type RequestEventInfo, type RequestHooks } from './hooks'

/**
 * How the SDK retries. Only idempotent requests are ever retried.
 * @example
 * const client = new SMCClient(token, { retry: { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 10_000 } })
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 disables retries). */
  maxRetries?: number
  /** First backoff step in ms (default 200); doubles each retry, with full jitter. */
  baseDelayMs?: number
  /** Cap of one backoff wait in ms (default 5000). */
  maxDelayMs?: number
  /** A Retry-After longer than this (ms) is not waited for: the 429 is returned (default 60000). */
  maxRetryAfterMs?: number
  /** Random source for jitter, in [0, 1) (default Math.random). */
  random?: () => number
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])
const RETRY_STATUS = new Set([429, 502, 503])

const sleep = (ms: number, signal?: AbortSignal | null): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true })
  })

/**
 * Wrap a fetch with timeouts and retries: 429 (honouring Retry-After), 502, 503 and network errors,
 * with exponential backoff and full jitter, for idempotent methods only — or for every request
 * when `idempotent` says the caller made it safe to repeat (a POST carrying an idempotency key
 * such as an order's `client_order_id`).
 *
 * @example
 * const f = withRetries(fetch, { maxRetries: 5 }, 10_000)
 * const res = await f(new Request('http://localhost:8000/v1/health'))
 */
export function withRetries(
  inner: (req: Request) => Promise<Response>,
  opts: RetryOptions = {},
  timeoutMs = 30_000,
  idempotent = false,
  hooks?: RequestHooks,
): (req: Request) => Promise<Response> {
  const maxRetries = opts.maxRetries ?? 3
  const base = opts.baseDelayMs ?? 200
  const cap = opts.maxDelayMs ?? 5000
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000
  const random = opts.random ?? Math.random
  const backoff = (attempt: number): number => Math.floor(random() * Math.min(cap, base * 2 ** attempt))

  return async function retryingFetch(request: Request): Promise<Response> {
    const retryable = idempotent || IDEMPOTENT.has(request.method.toUpperCase())
    const userSignal = request.signal
    // One id per call, sent on every attempt: the server's logs and the hooks agree on it.
    if (hooks && !request.headers.has('x-request-id')) request.headers.set('X-Request-Id', hooks.nextRequestId())
    const observed = hooks?.active === true
    let info: RequestEventInfo | undefined
    for (let attempt = 0; ; attempt++) {
      const last = !retryable || attempt >= maxRetries
      const timeout = AbortSignal.timeout(timeoutMs)
      const attemptReq = new Request(last ? request : request.clone(), { signal: AbortSignal.any([userSignal, timeout]) })
      if (observed) {
        info = {
          method: request.method,
          path: redactPath(request.url),
          attempt: attempt + 1,
          request_id: request.headers.get('x-request-id') ?? '',
          headers: redactHeaders(request.headers),
        }
        hooks.emit('request', info)
      }
      const started = performance.now()
      let res: Response
      try {
        res = await inner(attemptReq)
      } catch (cause) {
        if (userSignal.aborted) throw cause
        const timedOut = timeout.aborted
        if (last)
          throw new SMCApiError(
            0,
            timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
            timedOut ? `Request timed out after ${timeoutMs} ms` : `Network error: ${(cause as Error).message}`,
            { method: request.method, url: request.url, attempts: attempt + 1 },
            undefined,
            { cause },
          )
        const wait = backoff(attempt)
        if (info) hooks!.emit('retry', { ...info, status: 0, reason: timedOut ? 'timeout' : `network error: ${(cause as Error).message}`, delay_ms: wait })
        await sleep(wait, userSignal)
        continue
      }
      if (hooks) {
        const rate_limit = rateLimitOf(res.headers)
        if (info) hooks.emit('response', { ...info, status: res.status, duration_ms: Math.round((performance.now() - started) * 100) / 100, rate_limit })
        else if (rate_limit.limit !== null || rate_limit.remaining !== null) hooks.rateLimit = rate_limit
      }
      if (last || !RETRY_STATUS.has(res.status)) return res
      const retryAfter = Number(res.headers.get('retry-after'))
      const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff(attempt)
      if (wait > maxRetryAfter) return res
      if (info) hooks!.emit('retry', { ...info, status: res.status, reason: `HTTP ${res.status}`, delay_ms: wait })
      await res.body?.cancel()
      await sleep(wait, userSignal)
    }
  }
}
