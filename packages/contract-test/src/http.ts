// One HTTP exchange with the server, recorded for the report. A 429 is waited out (Retry-After)
// and retried, so a server with rate limits on is still checked, only slower.

export interface HttpRequest {
  method: string
  /** Path with parameters filled in, e.g. `/v1/orders/ord_1`. */
  path: string
  query?: Record<string, string>
  /** A JSON body (serialised), or `rawBody` with its own content type. */
  body?: unknown
  rawBody?: { text: string; contentType: string }
  headers?: Record<string, string>
  /** Sent as `Authorization: Bearer`. */
  token?: string
}

export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  status: number
  headers: Headers
  /** The body as text, and parsed when the content type is JSON (undefined when it does not parse). */
  text: string
  json?: unknown
  jsonError?: string
  durationMs: number
  /** 429s waited out before this answer. */
  rateLimited: number
}

export interface HttpClientOptions {
  /** Longest Retry-After to wait (seconds) before giving up on a 429 and reporting it. Default 65. */
  maxRetryWaitSeconds?: number
  /** Retries of a 429. Default 5. */
  maxRetries?: number
  /** Per request. Default 30 s. */
  timeoutMs?: number
  /** Told when a 429 is waited out (the summary counts them). */
  onRateLimited?: (seconds: number, request: HttpRequest) => void
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly options: HttpClientOptions = {},
  ) {}

  urlOf(req: HttpRequest): string {
    const url = new URL(`${this.baseUrl.replace(/\/$/, '')}${req.path}`)
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.append(k, v)
    return url.toString()
  }

  async send(req: HttpRequest): Promise<Exchange> {
    const url = this.urlOf(req)
    const headers: Record<string, string> = { accept: 'application/json, text/plain, text/html, */*', ...req.headers }
    let body: string | undefined
    if (req.rawBody) {
      body = req.rawBody.text
      headers['content-type'] = req.rawBody.contentType
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body)
      headers['content-type'] = 'application/json'
    }
    if (req.token) headers.authorization = `Bearer ${req.token}`
    const maxRetries = this.options.maxRetries ?? 5
    let rateLimited = 0
    for (;;) {
      const started = performance.now()
      const res = await fetch(url, { method: req.method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) })
      const text = await res.text()
      const durationMs = performance.now() - started
      if (res.status === 429 && rateLimited < maxRetries) {
        const retryAfter = Number(res.headers.get('retry-after'))
        if (Number.isFinite(retryAfter) && retryAfter >= 0 && retryAfter <= (this.options.maxRetryWaitSeconds ?? 65)) {
          rateLimited++
          this.options.onRateLimited?.(retryAfter, req)
          await sleep(Math.max(retryAfter, 0.05) * 1000)
          continue
        }
      }
      const ex: Exchange = { request: { method: req.method, url, headers: redact(headers), body }, status: res.status, headers: res.headers, text, durationMs, rateLimited }
      if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') {
        try {
          ex.json = JSON.parse(text)
        } catch (e) {
          ex.jsonError = (e as Error).message
        }
      }
      return ex
    }
  }
}

/** Secrets stay out of reports. */
function redact(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers }
  if (out.authorization) out.authorization = 'Bearer <redacted>'
  if (out['x-api-key'] ?? out['X-API-Key']) {
    delete out['X-API-Key']
    out['x-api-key'] = '<redacted>'
  }
  return out
}
