// Client frames → commands. Both the seed-000 form ({"type":"subscribe","channel":…,"symbol":…}) and
// the seed-002 form ({"action":"subscribe","channels":[…]}) are accepted.

export type ClientCommand =
  | { op: 'authenticate'; token: string; requestId?: string }
  | { op: 'subscribe' | 'unsubscribe'; channels: string[]; symbol?: string; lastEventId?: string; requestId?: string }
  | { op: 'resume'; lastEventId: string; requestId?: string }
  | { op: 'ping'; requestId?: string }

/** A client mistake: answered with an error frame, the connection stays open. */
export interface ProtocolError {
  op: 'invalid'
  code: 'INVALID_MESSAGE' | 'MESSAGE_TOO_LARGE'
  message: string
  details: Record<string, unknown>
  requestId?: string
}

export const CLIENT_OPS = ['authenticate', 'subscribe', 'unsubscribe', 'resume', 'ping'] as const
const MAX_CHANNELS_PER_FRAME = 100

const invalid = (message: string, details: Record<string, unknown> = {}, requestId?: string): ProtocolError => ({
  op: 'invalid',
  code: 'INVALID_MESSAGE',
  message,
  details,
  requestId,
})

const str = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max

/** Parse one text frame of at most `maxBytes` bytes. */
export function parseClientFrame(raw: string, bytes: number, maxBytes: number): ClientCommand | ProtocolError {
  if (bytes > maxBytes)
    return { op: 'invalid', code: 'MESSAGE_TOO_LARGE', message: `Message of ${bytes} bytes exceeds the limit of ${maxBytes} bytes`, details: { size: bytes, max_bytes: maxBytes } }
  let msg: unknown
  try {
    msg = JSON.parse(raw)
  } catch {
    return invalid('Message is not valid JSON', { received: raw.slice(0, 100) })
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return invalid('Message must be a JSON object')
  const m = msg as Record<string, unknown>
  const requestId = m.request_id === undefined ? undefined : str(m.request_id, 64) ? m.request_id : null
  if (requestId === null) return invalid('"request_id" must be a string of 1 to 64 characters')
  const op = m.type ?? m.action
  if (typeof op !== 'string') return invalid('Message needs a "type" (or "action")', { supported: CLIENT_OPS }, requestId)
  switch (op) {
    case 'ping':
      return { op, requestId }
    case 'authenticate':
      if (!str(m.token, 8192)) return invalid('"authenticate" needs a "token"', {}, requestId)
      return { op, token: m.token, requestId }
    case 'resume':
      if (!str(m.last_event_id)) return invalid('"resume" needs "last_event_id"', {}, requestId)
      return { op, lastEventId: m.last_event_id, requestId }
    case 'subscribe':
    case 'unsubscribe': {
      const channels = m.channels ?? (m.channel === undefined ? undefined : [m.channel])
      if (!Array.isArray(channels) || channels.length === 0)
        return invalid(`"${op}" needs "channel" or a non-empty "channels" array`, { example: { type: op, channel: 'market_data', symbol: 'BTCUSDT' } }, requestId)
      if (channels.length > MAX_CHANNELS_PER_FRAME) return invalid(`At most ${MAX_CHANNELS_PER_FRAME} channels per message`, {}, requestId)
      if (!channels.every((c) => str(c, 64))) return invalid('Channels must be non-empty strings', {}, requestId)
      if (m.symbol !== undefined && m.symbol !== null && !str(m.symbol, 32)) return invalid('"symbol" must be a string', {}, requestId)
      if (m.last_event_id !== undefined && m.last_event_id !== null && !str(m.last_event_id))
        return invalid('"last_event_id" must be a string', {}, requestId)
      return {
        op,
        channels: channels as string[],
        symbol: typeof m.symbol === 'string' ? m.symbol : undefined,
        lastEventId: typeof m.last_event_id === 'string' ? m.last_event_id : undefined,
        requestId,
      }
    }
    default:
      return invalid(`Unknown message type '${op.slice(0, 40)}'`, { supported: CLIENT_OPS }, requestId)
  }
}
