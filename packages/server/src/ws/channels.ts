// Channel names, what each needs (scope, symbol) and which account events go where.

/** Channel families. Symbol channels are written `<family>.<SYMBOL>` (e.g. `market_data.BTCUSDT`). */
export const SYMBOL_CHANNELS = ['market_data', 'trading', 'orders', 'predictions'] as const
export const PLAIN_CHANNELS = ['trades', 'positions', 'risk', 'strategies', 'cycles', 'engine', 'system.health'] as const
export type SymbolFamily = (typeof SYMBOL_CHANNELS)[number]
export type PlainChannel = (typeof PLAIN_CHANNELS)[number]

/** What `INVALID_CHANNEL` errors list as valid. */
export const AVAILABLE_CHANNELS = ['executions.{execution_id}', 'market_data.{symbol}', 'trading.{symbol}', 'orders.{symbol}', 'predictions.{symbol}', 'trades', 'positions', 'risk', 'strategies', 'cycles', 'engine', 'system.health']

/** A validated channel: its canonical name, the scope it needs (none for system.health) and its symbol. */
export interface Channel {
  name: string
  family: SymbolFamily | PlainChannel | 'executions'
  symbol?: string
  /** For `executions.{id}`: the execution (its reader is checked at subscribe). */
  executionId?: number
  scope?: 'read_market_data' | 'read_trades' | 'read_risk_metrics'
  /** Account channels carry the token owner's own events and take part in resume. */
  account: boolean
}

const SCOPES: Record<SymbolFamily | PlainChannel, Channel['scope']> = {
  market_data: 'read_market_data',
  trading: 'read_market_data',
  predictions: 'read_market_data',
  orders: 'read_trades',
  trades: 'read_trades',
  positions: 'read_trades',
  risk: 'read_risk_metrics',
  strategies: 'read_trades',
  cycles: 'read_trades',
  engine: 'read_trades',
  'system.health': undefined,
}
const ACCOUNT = new Set<string>(['orders', 'trades', 'positions', 'risk', 'strategies', 'engine'])

export type ChannelProblem =
  | { code: 'INVALID_CHANNEL'; message: string; channel: string }
  | { code: 'INVALID_SYMBOL'; message: string; channel: string; symbol: string }

/**
 * Parse a channel as a client writes it: `trading.BTCUSDT`, or `market_data` plus a separate symbol
 * (seed 000's form). Symbols are case-insensitive and may be written `BTC/USDT`.
 */
export function parseChannel(raw: string, symbol: string | undefined, isSymbol: (s: string) => boolean): Channel | ChannelProblem {
  if (raw === 'executions' || raw.startsWith('executions.')) {
    const id = raw.slice('executions.'.length)
    if (!/^[1-9]\d{0,11}$/.test(id))
      return { code: 'INVALID_CHANNEL', channel: raw, message: `Channel '${raw}' needs an execution id: 'executions.12'` }
    return { name: `executions.${id}`, family: 'executions', scope: 'read_trades', account: false, executionId: Number(id) }
  }
  const dot = raw.indexOf('.')
  const head = raw === 'system.health' ? raw : dot < 0 ? raw : raw.slice(0, dot)
  const inline = raw === 'system.health' || dot < 0 ? undefined : raw.slice(dot + 1)
  if ((SYMBOL_CHANNELS as readonly string[]).includes(head)) {
    const family = head as SymbolFamily
    const given = inline ?? symbol
    if (!given) return { code: 'INVALID_CHANNEL', channel: raw, message: `Channel '${raw}' needs a symbol: '${family}.BTCUSDT' or a "symbol" field` }
    const sym = given.replace('/', '').toUpperCase()
    if (inline !== undefined && symbol !== undefined && symbol.replace('/', '').toUpperCase() !== sym)
      return { code: 'INVALID_CHANNEL', channel: raw, message: `Channel '${raw}' names a different symbol than "symbol": ${symbol}` }
    if (!/^[A-Z0-9]{2,20}$/.test(sym) || !isSymbol(sym))
      return { code: 'INVALID_SYMBOL', channel: raw, symbol: given, message: `Unknown symbol '${given}'` }
    return { name: `${family}.${sym}`, family, symbol: sym, scope: SCOPES[family], account: ACCOUNT.has(family) }
  }
  if ((PLAIN_CHANNELS as readonly string[]).includes(raw)) {
    const family = raw as PlainChannel
    if (symbol !== undefined)
      return {
        code: 'INVALID_CHANNEL',
        channel: raw,
        message: family === 'trades' ? `Channel 'trades' takes no symbol; use 'orders.${symbol.toUpperCase()}' for one symbol's orders` : `Channel '${raw}' takes no symbol`,
      }
    return { name: family, family, scope: SCOPES[family], account: ACCOUNT.has(family) }
  }
  return { code: 'INVALID_CHANNEL', channel: raw, message: `Channel '${raw}' does not exist` }
}

export const isProblem = (c: Channel | ChannelProblem): c is ChannelProblem => 'code' in c

/** The channels an account event is delivered on, most general first (a connection gets it once). */
export function channelsOfEvent(kind: string, symbol: string | undefined): string[] {
  switch (kind) {
    case 'trade_update':
      return symbol ? ['trades', `orders.${symbol}`] : ['trades']
    case 'position_update':
      return ['positions']
    case 'risk_event':
      return ['risk']
    case 'strategy_event':
      return ['strategies']
    case 'engine_update':
    case 'signal':
    case 'scan_result':
      return ['engine']
    default:
      return []
  }
}

/** Account event kinds the hub streams (and journals for resume). */
export const ACCOUNT_EVENT_KINDS = new Set(['trade_update', 'position_update', 'risk_event', 'strategy_event', 'engine_update', 'signal', 'scan_result'])
