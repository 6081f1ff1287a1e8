import type { StreamChannel } from './types'

const normSymbol = (s: string): string => s.replace('/', '').toUpperCase()

/**
 * The server's canonical channel name: `market_data` + `btc/usdt` → `market_data.BTCUSDT`.
 *
 * @example
 * channelName('market_data', 'btcusdt') // 'market_data.BTCUSDT'
 * channelName('trading.eth/usdt')       // 'trading.ETHUSDT'
 */
export function channelName(channel: StreamChannel, symbol?: string): string {
  if (symbol !== undefined) return `${channel}.${normSymbol(symbol)}`
  const dot = channel.indexOf('.')
  if (dot > 0 && channel !== 'system.health') return `${channel.slice(0, dot)}.${normSymbol(channel.slice(dot + 1))}`
  return channel
}
