import * as openapiFetch from 'openapi-fetch'
import type { Client } from 'openapi-fetch'
import type { paths } from './generated/api'
import { RequestHooks } from './hooks'
import { withRetries, type RetryOptions } from './retry'

// openapi-fetch's CommonJS build only has `exports.default`; Node's CJS interop then nests it one level
// deeper than its ESM build does. Resolve the function either way so both of our builds work.
type CreateClient = typeof openapiFetch.default
const fetchModule = openapiFetch as unknown as { default: CreateClient | { default: CreateClient } }
const createClient: CreateClient = typeof fetchModule.default === 'function' ? fetchModule.default : fetchModule.default.default

/**
 * Options shared by the typed client and `SMCClient`.
 * @example
 * const options: ClientOptions = { baseUrl: 'https://api.example.com', timeoutMs: 10_000, retry: { maxRetries: 5 } }
 * const client = new SMCClient(token, options)
 */
export interface ClientOptions {
  /** Server origin (default `http://localhost:8000`); paths already start with `/v1`. */
  baseUrl?: string
  /** Access token sent as `Authorization: Bearer …`; can be changed later with `setToken`. */
  token?: string
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number
  /** Retry policy for idempotent requests; `false` disables retries. */
  retry?: RetryOptions | false
  /** A fetch implementation (default the global fetch). */
  fetch?: (input: Request) => Promise<Response>
  /** Extra headers on every request. */
  headers?: Record<string, string>
  /**
   * Log every attempt, answer and retry (secrets redacted): `true` prints with `console.debug`, a
   * function receives each line.
   */
  debug?: boolean | ((line: string) => void)
}

/**
 * The fetch of a client's options with its timeouts and retry policy; `idempotent` retries any
 * method (for requests that carry an idempotency key).
 *
 * @example
 * const fetchOrder = retryingFetch({ retry: { maxRetries: 5 } }, true)
 */
export function retryingFetch(options: ClientOptions, idempotent = false, hooks?: RequestHooks): (req: Request) => Promise<Response> {
  const base = options.fetch ?? ((req: Request) => globalThis.fetch(req))
  return withRetries(base, options.retry === false ? { maxRetries: 0 } : options.retry, options.timeoutMs, idempotent, hooks)
}

/**
 * The hooks of a client's options: `debug` decides where the debug lines go.
 * @example
 * const hooks = requestHooks({ debug: true })
 */
export function requestHooks(options: ClientOptions): RequestHooks {
  const d = options.debug
  return new RequestHooks(d === true ? (line) => console.debug(line) : typeof d === 'function' ? d : false)
}

/**
 * The contract-typed client: every path, parameter and body is checked by the compiler.
 * @example
 * const api: SmcApi = new SMCClient(token).api
 * const { data } = await api.GET('/v1/instruments/{symbol}', { params: { path: { symbol: 'BTCUSDT' } } })
 */
export type SmcApi = Client<paths>

/**
 * Create the low-level typed client (openapi-fetch) with auth, timeouts and retries.
 * `getToken` is read on every request, so token rotation needs no new client.
 *
 * @example
 * const api = createSmcApi({ baseUrl: 'http://localhost:8000' }, () => token)
 * const { data, error } = await api.GET('/v1/market-data/{symbol}', { params: { path: { symbol: 'BTCUSDT' } } })
 */
export function createSmcApi(
  options: ClientOptions = {},
  getToken: () => string | undefined = () => options.token,
  hooks: RequestHooks = requestHooks(options),
): SmcApi {
  const fetchImpl = retryingFetch(options, false, hooks)
  const api = createClient<paths>({
    baseUrl: (options.baseUrl ?? 'http://localhost:8000').replace(/\/+$/, ''),
    fetch: fetchImpl,
    headers: options.headers,
  })
  api.use({
    onRequest({ request }) {
      const token = getToken()
      if (token && !request.headers.has('authorization')) request.headers.set('Authorization', `Bearer ${token}`)
      return request
    },
  })
  return api
}
