/**
 * The ccxt live feed (MARKET_SOURCE=ccxt). Importing this module does not load ccxt: only calling
 * {@link createCcxtFeed} does.
 */
export { createCcxtFeed, type CcxtFeedOptions } from './ccxt-feed'
export type { RetryPolicy } from './retry'
