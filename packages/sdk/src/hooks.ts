/**
 * What a request hook sees of one attempt: no body, and headers and query with every secret
 * (authorization, API keys, tokens, passwords) redacted.
 * @example
 * client.on('request', (r: RequestEventInfo) => console.log(r.method, r.path, r.attempt, r.request_id))
 */
export interface RequestEventInfo {
  method: string
  /** Path and query (secrets in the query redacted), e.g. `/v1/orders?status=open`. */
  path: string
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number
  /** The X-Request-Id sent (the same on every attempt of one call); the server echoes it. */
  request_id: string
  /** The request's headers, secrets redacted. */
  headers: Record<string, string>
}

/**
 * The server's rate-limit headers of the last answer (null where a header was absent).
 * @example
 * await client.getPositions()
 * const { remaining, reset } = client.rateLimit ?? {}
 */
export interface RateLimitInfo {
  limit: number | null
  remaining: number | null
  /** When the window resets (Unix seconds, as X-RateLimit-Reset says). */
  reset: number | null
}

/**
 * An answer to one attempt.
 * @example
 * client.on('response', (r: ResponseEventInfo) => metrics.observe(r.path, r.status, r.duration_ms))
 */
export interface ResponseEventInfo extends RequestEventInfo {
  status: number
  /** Time from sending the attempt to its response headers. */
  duration_ms: number
  rate_limit: RateLimitInfo
}

/**
 * An attempt that will be repeated after `delay_ms` (429, 502, 503, a timeout or a network error).
 * @example
 * client.on('retry', (r: RetryEventInfo) => console.warn(`retry #${r.attempt} of ${r.path} in ${r.delay_ms} ms (${r.reason})`))
 */
export interface RetryEventInfo extends RequestEventInfo {
  /** The failed attempt's status, or 0 when there was no answer. */
  status: number
  reason: string
  delay_ms: number
}

/**
 * The events `SMCClient.on` takes and what each passes to its listener.
 * @example
 * const off = client.on('response', (r: HookEvents['response']) => console.log(r.status))
 */
export interface HookEvents {
  request: RequestEventInfo
  response: ResponseEventInfo
  retry: RetryEventInfo
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'set-cookie', 'proxy-authorization'])
const SECRET_PARAMS = /^(token|access_token|refresh_token|api_key|apikey|key|secret|password)$/i

/**
 * Headers with every secret replaced by `***` (an authorization keeps its scheme: `Bearer ***`).
 * @example
 * redactHeaders(new Headers({ authorization: 'Bearer eyJ…' })) // { authorization: 'Bearer ***' }
 */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    const key = name.toLowerCase()
    if (!SECRET_HEADERS.has(key)) out[key] = value
    else {
      const scheme = /^(\w+)\s/.exec(value)?.[1]
      out[key] = key.endsWith('authorization') && scheme ? `${scheme} ***` : '***'
    }
  })
  return out
}

/**
 * A URL's path and query with secret-looking query parameters replaced by `***`.
 * @example
 * redactPath('http://h/v1/ws?token=abc&x=1') // '/v1/ws?token=***&x=1'
 */
export function redactPath(url: string): string {
  const u = new URL(url)
  let secret = false
  for (const k of [...u.searchParams.keys()])
    if (SECRET_PARAMS.test(k)) {
      u.searchParams.set(k, '***')
      secret = true
    }
  // Re-serialised only when something was redacted, so other parameters read as they were sent.
  return u.pathname + (secret ? u.search : new URL(url).search)
}

/** The rate-limit headers of a response. */
export function rateLimitOf(headers: Headers): RateLimitInfo {
  const num = (name: string): number | null => {
    const v = headers.get(name)
    if (v === null || v === '') return null
    const n = Number(v)
    return Number.isFinite(n) ? n : null
  }
  return { limit: num('x-ratelimit-limit'), remaining: num('x-ratelimit-remaining'), reset: num('x-ratelimit-reset') }
}

type Listener<K extends keyof HookEvents> = (info: HookEvents[K]) => void

/**
 * The client's request hooks and debug log. A throwing listener never fails a request. Holds the
 * last rate-limit figures seen.
 */
export class RequestHooks {
  private readonly listeners: { [K in keyof HookEvents]: Set<Listener<K>> } = { request: new Set(), response: new Set(), retry: new Set() }
  /** The rate-limit headers of the last answer that carried them. */
  rateLimit: RateLimitInfo | null = null
  private counter = 0
  private readonly prefix = Math.random().toString(36).slice(2, 8)

  constructor(private readonly debug: false | ((line: string) => void) = false) {}

  on<K extends keyof HookEvents>(event: K, fn: Listener<K>): () => void {
    const set = this.listeners[event] as Set<Listener<K>>
    set.add(fn)
    return () => set.delete(fn)
  }

  /** A fresh id for one call (kept across its retries). */
  nextRequestId(): string {
    return `sdk_${this.prefix}${(++this.counter).toString(36)}`
  }

  emit<K extends keyof HookEvents>(event: K, info: HookEvents[K]): void {
    if (event === 'response') {
      const rl = (info as ResponseEventInfo).rate_limit
      if (rl.limit !== null || rl.remaining !== null || rl.reset !== null) this.rateLimit = rl
    }
    if (this.debug) this.debug(describe(event, info))
    for (const fn of this.listeners[event] as Set<Listener<K>>) {
      try {
        fn(info)
      } catch {
        // A hook is an observer: its failure must not change the call's outcome.
      }
    }
  }

  /** Whether anything listens (so the hot path can skip building the infos). */
  get active(): boolean {
    return this.debug !== false || this.listeners.request.size + this.listeners.response.size + this.listeners.retry.size > 0
  }
}

function describe<K extends keyof HookEvents>(event: K, info: HookEvents[K]): string {
  const base = `${info.method} ${info.path} [${info.request_id} #${info.attempt}]`
  if (event === 'request') return `[smc-sdk] → ${base} ${JSON.stringify(info.headers)}`
  if (event === 'response') {
    const r = info as ResponseEventInfo
    return `[smc-sdk] ← ${r.status} ${base} ${r.duration_ms} ms remaining=${r.rate_limit.remaining ?? '-'}`
  }
  const r = info as RetryEventInfo
  return `[smc-sdk] ↻ ${base} ${r.reason}; retrying in ${r.delay_ms} ms`
}
