/**
 * smc-trading-sdk: the typed client of the SMC Trading API.
 *
 * @example
 * import { SMCClient } from 'smc-trading-sdk'
 * const client = new SMCClient(process.env.SMC_TOKEN, { baseUrl: 'http://localhost:8000' })
 * console.log(await client.getMarketData('BTCUSDT'))
 */
// The client.
export { SMCClient } from './smc-client'
export { createSmcApi, type ClientOptions, type SmcApi } from './client'
export type { RetryOptions } from './retry'
export type { SubmitAndWaitOptions } from './methods/order-wait'
export type { WatchExecutionOptions } from './methods/execution-watch'
export { redactHeaders, redactPath, type HookEvents, type RateLimitInfo, type RequestEventInfo, type ResponseEventInfo, type RetryEventInfo } from './hooks'
// Errors.
export { OrderWaitTimeoutError, SMCApiError, type ErrorCode, type ErrorEnvelope, type SMCErrorCode } from './errors'
// The stream: its client, options, events, errors and message types.
export * from './stream'
// The request and response types of the API.
export type * from './types'
