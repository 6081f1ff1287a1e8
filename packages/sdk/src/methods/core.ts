import { createSmcApi, type ClientOptions, type SmcApi } from '../client'
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

  constructor(token?: string, readonly options: ClientOptions = {}) {
    this.token = token ?? options.token
    this.api = createSmcApi(options, () => this.token)
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
