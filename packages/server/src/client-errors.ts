import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { randomBytes } from 'node:crypto'
import { DomainError } from './core'
import { MAX_URL_BYTES } from './api'

// Node's HTTP parser refuses a request line plus headers over 16 KiB (and malformed requests) before
// any route runs; by default it answers a bare status with an empty body, or resets the socket. This
// hook answers the same refusals in the contract's envelope, with a request id.

interface ParseError extends Error {
  code?: string
  rawPacket?: Buffer
}

const METHOD = /^[A-Z]{3,7} /

/** The refusal for a parse error: a long request line is 414, other overflows 431, the rest 400. */
export function clientErrorFor(err: ParseError): { status: number; error: DomainError } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const packet = err.rawPacket
    const lineEnd = packet ? packet.indexOf('\r\n') : -1
    const firstLine = packet && METHOD.test(packet.subarray(0, 8).toString('latin1')) ? (lineEnd === -1 ? packet.length : lineEnd) : 0
    if (firstLine > MAX_URL_BYTES)
      return { status: 414, error: new DomainError('URI_TOO_LONG', `The request URL exceeds ${MAX_URL_BYTES} bytes`, { limit_bytes: MAX_URL_BYTES }) }
    return {
      status: 431,
      error: new DomainError('HEADERS_TOO_LARGE', 'The request line and headers exceed 16 KiB', { limit_bytes: 16 * 1024 }),
    }
  }
  return { status: 400, error: new DomainError('VALIDATION_FAILED', 'Malformed HTTP request', { reason: err.code ?? err.message }) }
}

const REASON: Record<number, string> = { 400: 'Bad Request', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' }
/** How long a refused connection may keep sending (its rest is read and dropped, so it sees the answer, not a reset). */
const DRAIN_MS = 2_000

/** Answer Node's parse errors in the envelope instead of an empty body or a reset. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: ParseError, socket: Duplex) => {
    const started = performance.now()
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy()
      return
    }
    const { status, error } = clientErrorFor(err)
    const requestId = `req_${randomBytes(9).toString('base64url')}`
    const body = JSON.stringify(error.envelope(requestId, new Date().toISOString()))
    socket.end(
      `HTTP/1.1 ${status} ${REASON[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nAPI-Version: v1\r\nX-Process-Time: ${((performance.now() - started) / 1000).toFixed(6)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    )
    // Closing with unread data makes the kernel reset the connection, and the client may lose the answer.
    socket.on('data', () => {})
    socket.on('error', () => {})
    setTimeout(() => socket.destroy(), DRAIN_MS).unref()
  })
}
