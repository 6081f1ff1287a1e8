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
