import { connect } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningServer } from './http-server'
import { contractFetch, createTestContext, TEST_DEMO_KEY, type TestContext } from './testing'

// Over a real listener the JSON body is read straight from the node stream (not through a WHATWG
// Request): it must read exactly what Request.text() would.
let ctx: TestContext
let server: RunningServer
beforeEach(async () => {
  ctx = await createTestContext()
  server = await ctx.listen()
})
afterEach(async () => {
  await server.close()
  await ctx.close()
})

const post = (body: BodyInit) =>
  contractFetch((req) => fetch(req))(`${server.url}/v1/auth/generate-token`, {
    method: 'POST',
    headers: { 'X-API-Key': TEST_DEMO_KEY, 'Content-Type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit)

/** A body sent as several chunks (cut at the given byte offsets). */
function chunked(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      let from = 0
      for (const cut of [...cuts, bytes.length]) {
        c.enqueue(bytes.slice(from, cut))
        from = cut
      }
      c.close()
    },
  })
}

describe('JSON bodies over HTTP', () => {
  it('a plain body', async () => {
    const res = await post(JSON.stringify({ user_id: 'demo', permissions: ['read_trades'] }))
    expect(res.status).toBe(200)
  })

  it('a leading BOM is dropped; a body sent in several chunks is read whole', async () => {
    const bytes = new TextEncoder().encode('\uFEFF' + JSON.stringify({ user_id: 'demo', permissions: ['read_trades'] }))
    const res = await post(chunked(bytes, [2, 5, 20]))
    expect(res.status).toBe(200)
  })

  it('malformed JSON → 400 VALIDATION_FAILED', async () => {
    const res = await post('{"user_id": "demo",')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED')
  })
})

/** Send raw bytes over TCP and read everything the server answers until it closes. */
function rawExchange(url: string, request: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) })
    const chunks: Buffer[] = []
    socket.on('data', (c) => chunks.push(c))
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    socket.on('error', (e) => (chunks.length > 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(e)))
    socket.write(request)
  })
}

const envelopeOf = (answer: string) => {
  const [head, body] = answer.split('\r\n\r\n')
  return { statusLine: head!.split('\r\n')[0], head: head!, error: JSON.parse(body!).error as { code: string; request_id: string } }
}

describe("Node's header and URL limits answer in the envelope", () => {
  it('a 1 MB path → 414 URI_TOO_LONG with a request id', async () => {
    const answer = await rawExchange(server.url, `GET /v1/market-data/${'A'.repeat(1 << 20)} HTTP/1.1\r\nHost: x\r\n\r\n`)
    const { statusLine, head, error } = envelopeOf(answer)
    expect(statusLine).toBe('HTTP/1.1 414 URI Too Long')
    expect(error.code).toBe('URI_TOO_LONG')
    expect(head).toContain(`X-Request-Id: ${error.request_id}`)
  })

  it('a 1 MB header → 431 HEADERS_TOO_LARGE', async () => {
    const answer = await rawExchange(server.url, `GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(1 << 20)}\r\n\r\n`)
    const { statusLine, error } = envelopeOf(answer)
    expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large')
    expect(error.code).toBe('HEADERS_TOO_LARGE')
  })

  it('a 10 KiB query (under Node\'s limit, over ours) → 414 from the app', async () => {
    const res = await fetch(`${server.url}/v1/health?q=${'q'.repeat(10_000)}`)
    expect(res.status).toBe(414)
    expect(res.headers.get('x-request-id')).toBeTruthy()
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('URI_TOO_LONG')
  })

  it('garbage instead of HTTP → 400 in the envelope', async () => {
    const { statusLine, error } = envelopeOf(await rawExchange(server.url, 'NOT HTTP AT ALL\r\n\r\n'))
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request')
    expect(error.code).toBe('VALIDATION_FAILED')
  })
})
