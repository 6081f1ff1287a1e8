import { describe, expect, it } from 'vitest'
import { SMCApiError } from './errors'
import { withRetries } from './retry'

// The network boundary is simulated with scripted responses; the retry policy itself runs for real.
const scripted = (steps: Array<Response | Error>) => {
  const seen: Request[] = []
  const fn = async (req: Request): Promise<Response> => {
    seen.push(req)
    const step = steps.shift()
    if (!step) throw new Error('no more steps')
    if (step instanceof Error) throw step
    return step
  }
  return { fn, seen }
}
const fast = { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 }

describe('withRetries', () => {
  it('retries 502/503 and network errors for GET, then succeeds', async () => {
    const s = scripted([new Response('', { status: 502 }), new TypeError('fetch failed'), new Response('', { status: 503 }), new Response('ok')])
    const res = await withRetries(s.fn, { ...fast, maxRetries: 3 })(new Request('http://x/v1/health'))
    expect(res.status).toBe(200)
    expect(s.seen).toHaveLength(4)
  })

  it('honours Retry-After on 429', async () => {
    const s = scripted([new Response('', { status: 429, headers: { 'Retry-After': '1' } }), new Response('ok')])
    const started = Date.now()
    const res = await withRetries(s.fn, fast)(new Request('http://x/v1/health'))
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('does not wait for a Retry-After beyond the cap: the 429 is returned', async () => {
    const s = scripted([new Response('', { status: 429, headers: { 'Retry-After': '120' } })])
    const res = await withRetries(s.fn, { ...fast, maxRetryAfterMs: 1000 })(new Request('http://x/v1/health'))
    expect(res.status).toBe(429)
  })

  it('never retries a POST', async () => {
    const s = scripted([new Response('', { status: 503 }), new Response('ok')])
    const res = await withRetries(s.fn, fast)(new Request('http://x/v1/trades', { method: 'POST', body: '{}' }))
    expect(res.status).toBe(503)
    expect(s.seen).toHaveLength(1)
  })

  it('retries a POST the caller marks idempotent (it carries an idempotency key)', async () => {
    const s = scripted([new TypeError('socket hang up'), new Response('', { status: 503 }), new Response('ok', { status: 201 })])
    const res = await withRetries(s.fn, fast, 30_000, true)(new Request('http://x/v1/trades', { method: 'POST', body: '{"client_order_id":"a"}' }))
    expect(res.status).toBe(201)
    expect(s.seen).toHaveLength(3)
    expect(await Promise.all(s.seen.map((r) => r.text()))).toEqual(Array(3).fill('{"client_order_id":"a"}'))
  })

  it('gives up after maxRetries with NETWORK_ERROR', async () => {
    const s = scripted([new TypeError('a'), new TypeError('b'), new TypeError('c')])
    const err = await withRetries(s.fn, { ...fast, maxRetries: 2 })(new Request('http://x/v1/health')).catch((e) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect(err.code).toBe('NETWORK_ERROR')
    expect(err.details.attempts).toBe(3)
  })

  it('times out a hung request with TIMEOUT', async () => {
    const hang = (req: Request) =>
      new Promise<Response>((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)))
    const err = await withRetries(hang, { maxRetries: 0 }, 50)(new Request('http://x/v1/health')).catch((e) => e)
    expect(err).toBeInstanceOf(SMCApiError)
    expect(err.code).toBe('TIMEOUT')
  })

  it("stops at once when the caller aborts", async () => {
    const ctrl = new AbortController()
    const s = scripted([new Response('', { status: 503 }), new Response('ok')])
    const p = withRetries(s.fn, { baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 0.99 })(new Request('http://x/v1/health', { signal: ctrl.signal }))
    setTimeout(() => ctrl.abort(new Error('stop')), 20)
    await expect(p).rejects.toThrow('stop')
    expect(s.seen).toHaveLength(1)
  })

  it('uses exponential backoff with full jitter', async () => {
    const waits: number[] = []
    const orig = globalThis.setTimeout
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      waits.push(ms)
      return orig(fn, 0)
    }) as typeof setTimeout
    try {
      const s = scripted([new Response('', { status: 503 }), new Response('', { status: 503 }), new Response('', { status: 503 }), new Response('ok')])
      await withRetries(s.fn, { baseDelayMs: 100, maxDelayMs: 10_000, random: () => 0.999 }, 60_000)(new Request('http://x/v1/health'))
    } finally {
      globalThis.setTimeout = orig
    }
    const backoffs = waits.filter((w) => w < 60_000)
    expect(backoffs).toEqual([99, 199, 399])
  })
})
