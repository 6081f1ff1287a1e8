// The HTTP side of opening a /v1/ws socket: which requests are ours, where the token comes from,
// and the 429 an address over the failed-authentication limit gets instead of a socket.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { DomainError } from '../core'

export const WS_PATH = '/v1/ws'

/** The request's URL, or undefined (after answering 404) when it is not for the stream. */
export function streamUrl(req: IncomingMessage, socket: Duplex): URL | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === WS_PATH || url.pathname === `${WS_PATH}/`) return url
  socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
  return undefined
}

/** The access token of an upgrade: `?token=` first, else an `Authorization: Bearer` header. */
export function upgradeToken(req: IncomingMessage, url: URL): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
  return url.searchParams.get('token') ?? bearer ?? undefined
}

/** Refuse an upgrade with 429 and the error envelope: the address must wait `waitMs`. */
export function refuseUpgrade(socket: Duplex, waitMs: number, limit: number, requestId: string, timestamp: string): void {
  const retryAfter = Math.ceil(waitMs / 1000)
  const refusal = new DomainError('RATE_LIMIT_EXCEEDED', `Too many failed authentications from this address: retry in ${retryAfter} s`, {
    limit,
    window: '1m',
    retry_after: retryAfter,
  })
  const body = JSON.stringify(refusal.envelope(requestId, timestamp))
  socket.end(
    `HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: application/json\r\nRetry-After: ${retryAfter}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}
