import { OrderWaitMethods } from './methods/order-wait'

// The methods live by area in ./methods (core, system, market data, trading, risk and
// administration, stream), each area a class extending the previous one; SMCClient is the last.

/**
 * The SMC Trading client: one named method per operation, typed from the contract.
 * Errors throw `SMCApiError`; idempotent requests are retried on 429/502/503 and network errors.
 *
 * @example
 * import { SMCClient } from 'smc-trading-sdk'
 * const client = new SMCClient('YOUR_API_TOKEN', { baseUrl: 'http://localhost:8000' })
 * const ticker = await client.getMarketData('BTCUSDT')
 * console.log(ticker.price, ticker.bid, ticker.ask)
 */
export class SMCClient extends OrderWaitMethods {}
