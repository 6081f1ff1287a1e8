import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../testing'
import { signBody } from './webhook'

const SECRET = 'whsec_test_0123456789abcdef'

interface Received {
  headers: IncomingMessage['headers']
  raw: string
  body: { id: string; event: string; created_at: string; data: Record<string, unknown> }
}

/** A receiver on 127.0.0.1 that answers the first `failures` requests with 503, then 204. */
async function receiver(failures = 0): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = []
  let left = failures
  const server = createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (raw += c))
    req.on('end', () => {
      got.push({ headers: req.headers, raw, body: JSON.parse(raw) })
      res.statusCode = left-- > 0 ? 503 : 204
      res.end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/smc`, got, server }
}

const verified = (r: Received): boolean => {
  const sent = Buffer.from(String(r.headers['x-smc-signature']))
  const expected = Buffer.from(signBody(SECRET, r.raw))
  return sent.length === expected.length && timingSafeEqual(sent, expected)
}

let ctx: TestContext | undefined
let server: Server | undefined
afterEach(async () => {
  await ctx?.close()
  server?.close()
  ctx = server = undefined
})

describe('admin notifications (NOTIFY_WEBHOOK_URL)', () => {
  it('pause, resume and emergency stop each send one signed notification; the response names it', async () => {
    const r = await receiver()
    server = r.server
    ctx = await createTestContext({ NOTIFY_WEBHOOK_URL: r.url, NOTIFY_WEBHOOK_SECRET: SECRET })
    const pause = await ctx.call('POST', '/v1/admin/pause', { token: ctx.adminToken, body: { reason: 'review', markets: ['BTCUSDT'] } })
    expect(pause.status).toBe(200)
    const paused = await pause.json()
    expect(paused.notification).toEqual({ status: 'queued', delivery_id: expect.stringMatching(/^ntf_/) })
    const resume = await (await ctx.call('POST', '/v1/admin/resume', { token: ctx.adminToken, body: { markets: ['BTCUSDT'] } })).json()
    const stop = await (await ctx.call('POST', '/v1/admin/emergency-stop', { token: ctx.adminToken, body: { confirmation: 'EMERGENCY_STOP_CONFIRMED', reason: 'drill' } })).json()
    await ctx.services.notifier.idle()
    expect(r.got.map((g) => g.body.event)).toEqual(['trading.paused', 'trading.resumed', 'trading.emergency_stop'])
    expect(r.got.map((g) => g.body.id)).toEqual([paused.notification.delivery_id, resume.notification.delivery_id, stop.notification.delivery_id])
    for (const g of r.got) {
      expect(verified(g)).toBe(true)
      expect(g.headers['content-type']).toBe('application/json')
      expect(g.headers['x-smc-delivery']).toBe(g.body.id)
      expect(g.headers['x-smc-event']).toBe(g.body.event)
      expect(g.headers['x-smc-attempt']).toBe('1')
    }
    // The body carries what the admin response said (its notification aside).
    const { notification: _n, ...pausedView } = paused
    expect(r.got[0]!.body.data).toEqual(pausedView)
    expect(r.got[2]!.body.data).toMatchObject({ status: 'emergency_stopped', reason: 'drill', incident_id: stop.incident_id })
    // A body changed in transit no longer verifies.
    expect(verified({ ...r.got[0]!, raw: r.got[0]!.raw.replace('review', 'reviev') })).toBe(false)
  })

  it('retries a failing receiver with backoff: two 503s, then delivered on the third attempt', async () => {
    const r = await receiver(2)
    server = r.server
    ctx = await createTestContext({ NOTIFY_WEBHOOK_URL: r.url, NOTIFY_WEBHOOK_SECRET: SECRET, NOTIFY_WEBHOOK_BACKOFF_MS: '20' })
    const res = await ctx.call('POST', '/v1/admin/pause', { token: ctx.adminToken, body: { reason: 'flaky receiver' } })
    expect(res.status).toBe(200)
    await ctx.services.notifier.idle()
    expect(r.got.map((g) => g.headers['x-smc-attempt'])).toEqual(['1', '2', '3'])
    expect(new Set(r.got.map((g) => g.body.id)).size).toBe(1)
    expect(r.got.every(verified)).toBe(true)
  })

  it('gives up after NOTIFY_WEBHOOK_MAX_ATTEMPTS, and a full queue drops its oldest', async () => {
    const r = await receiver(100)
    server = r.server
    ctx = await createTestContext({
      NOTIFY_WEBHOOK_URL: r.url,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      NOTIFY_WEBHOOK_BACKOFF_MS: '5',
      NOTIFY_WEBHOOK_MAX_ATTEMPTS: '2',
      NOTIFY_WEBHOOK_QUEUE_SIZE: '1',
    })
    // The first goes in flight at once; of the three queued behind it only the newest is kept.
    for (const reason of ['a', 'b', 'c', 'd']) await ctx.call('POST', '/v1/admin/pause', { token: ctx.adminToken, body: { reason } })
    await ctx.services.notifier.idle()
    const reasons = r.got.map((g) => (g.body.data as { reason: string }).reason)
    expect(reasons).toEqual(['a', 'a', 'd', 'd'])
    const notifier = ctx.services.notifier as unknown as { stats: Record<string, number> }
    expect(notifier.stats).toMatchObject({ queued: 4, failed: 2, dropped: 2, delivered: 0, attempts: 4 })
  })

  it('without a URL the response says disabled; a URL without a secret does not start', async () => {
    ctx = await createTestContext()
    const res = await (await ctx.call('POST', '/v1/admin/resume', { token: ctx.adminToken, body: {} })).json()
    expect(res.notification).toEqual({ status: 'disabled', delivery_id: null })
    await expect(createTestContext({ NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/x' })).rejects.toThrow(/NOTIFY_WEBHOOK_SECRET/)
  })
})
