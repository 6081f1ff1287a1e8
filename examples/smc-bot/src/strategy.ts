import type { Position, SmcAnalysis } from 'smc-trading-sdk'

/** What the strategy wants done on one symbol. */
export interface Signal {
  action: 'buy' | 'sell'
  /** Opening a position (with stop loss and take profit) or closing the one held. */
  intent: 'open' | 'close'
  reason: string
  stopLoss?: number
  takeProfit?: number
}

export interface StrategyOptions {
  /** Stop-loss distance as a fraction of the price (default 0.02 = 2 %). */
  stopLoss?: number
  /** Take-profit distance as a fraction of the price (default 0.06 = 6 %). */
  takeProfit?: number
}

/**
 * The seed's example strategy on the server's SMC analysis: open with the trend when the latest
 * confirmed structure break (BOS or CHoCH) points the same way; close a position when the trend
 * turns against it. Pure: the same analysis, price and position always give the same signal.
 *
 * @example
 * const signal = decide(await client.getSmcAnalysis('BTCUSDT'), ticker.price, position)
 */
export function decide(a: SmcAnalysis, price: number, position: Position | undefined, o: StrategyOptions = {}): Signal | undefined {
  const { trend, choch_bos: brk } = a.analysis
  const sl = o.stopLoss ?? 0.02
  const tp = o.takeProfit ?? 0.06
  if (position) {
    if (position.side === 'long' && trend === 'bearish') return { action: 'sell', intent: 'close', reason: 'trend turned bearish against the long' }
    if (position.side === 'short' && trend === 'bullish') return { action: 'buy', intent: 'close', reason: 'trend turned bullish against the short' }
    return undefined
  }
  if (!brk.confirmed || brk.direction !== trend) return undefined
  const what = `${brk.type === 'choch' ? 'CHoCH' : 'BOS'} confirmed at ${brk.price_level}`
  if (trend === 'bullish') return { action: 'buy', intent: 'open', reason: `bullish ${what}, trend aligned`, stopLoss: price * (1 - sl), takeProfit: price * (1 + tp) }
  if (trend === 'bearish') return { action: 'sell', intent: 'open', reason: `bearish ${what}, trend aligned`, stopLoss: price * (1 + sl), takeProfit: price * (1 - tp) }
  return undefined
}
