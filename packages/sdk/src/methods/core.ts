import { createSmcApi, requestHooks, type ClientOptions, type SmcApi } from '../client'
import type { HookEvents, RateLimitInfo, RequestHooks } from '../hooks'
import { SMCApiError } from '../errors'

interface Result<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * What every area of `SMCClient` builds on: the typed client, the access token and the turning of
 * error responses into `SMCApiError`s. The areas (system, market data, trading, risk, stream)
 * extend it one after the other, and `SMCClient` is the last of them.
 */
export class ClientCore {
  /** The low-level typed client, for anything the named methods do not cover. */
  readonly api: SmcApi
  protected token: string | undefined
  protected readonly hooks: RequestHooks

  constructor(token?: string, readonly options: ClientOptions = {}) {
    this.token = token ?? options.token
    this.hooks = requestHooks(options)
    this.api = createSmcApi(options, () => this.token, this.hooks)
  }

  /**
   * Observe every request attempt (`request`), answer (`response`, with its duration and
   * rate-limit headers) and retry (`retry`, with the reason and the delay). Listeners get the
   * method, path, attempt and request id, never a secret (authorization and API keys are redacted).
   * Returns the function that removes the listener.
   * @example
   * const off = client.on('response', (r) => console.log(r.method, r.path, r.status, `${r.duration_ms} ms`, r.request_id))
   * client.on('retry', (r) => console.warn(`retrying ${r.path} in ${r.delay_ms} ms: ${r.reason}`))
   */
  on<K extends keyof HookEvents>(event: K, listener: (info: HookEvents[K]) => void): () => void {
    return this.hooks.on(event, listener)
  }

  /**
   * The rate-limit headers of the last answer (`limit`, `remaining`, `reset` in Unix seconds), or
   * null before the first call.
   * @example
   * await client.getPositions()
   * if ((client.rateLimit?.remaining ?? 1) === 0) await sleepUntil(client.rateLimit!.reset!)
   */
  get rateLimit(): RateLimitInfo | null {
    return this.hooks.rateLimit
  }

  /** Replace the access token used from now on (e.g. after `refreshToken`). */
  setToken(token: string | undefined): void {
    this.token = token
  }

  protected async unwrap<T>(call: Promise<Result<T>>): Promise<T> {
    const { data, error, response } = await call
    if (!response.ok) throw SMCApiError.fromResponse(response, error)
    return data as T
  }
}
