import { request as httpRequest } from 'node:http'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { requestHeader } from './request-header'

const app = new Hono()
app.get('/h', (c) => c.json({ id: requestHeader(c, 'x-request-id') ?? null, accept: requestHeader(c, 'accept') ?? null, auth: requestHeader(c, 'authorization') ?? null }))

let close: (() => void) | undefined
afterEach(() => close?.())

/** Raw headers (a flat list, Host first), so repeated headers reach the server as sent. */
function get(port: number, headers: [string, string][]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/h', headers: [['Host', `127.0.0.1:${port}`], ...headers].flat() as unknown as Record<string, string> }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d)).on('end', () => resolve(JSON.parse(text)))
    })
    req.on('error', reject).end()
  })
}

describe('requestHeader', () => {
  it('reads Node’s parsed headers behind the node adapter: any case, repeats joined, a repeated Authorization keeps the first', async () => {
    let server: ReturnType<typeof serve> | undefined
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port))
    })
    close = () => server!.close()
    const got = await get(port, [
      ['X-Request-ID', 'abc'],
      ['Accept', 'text/plain'],
      ['accept', 'application/json'],
      ['Authorization', 'Bearer one'],
      ['authorization', 'Bearer two'],
    ])
    expect(got).toEqual({ id: 'abc', accept: 'text/plain, application/json', auth: 'Bearer one' })
    expect(await get(port, [])).toEqual({ id: null, accept: null, auth: null })
  })

  it('falls back to hono’s reader without the node adapter (app.request)', async () => {
    const res = await app.request('/h', { headers: { 'X-Request-Id': 'xyz', Authorization: 'Bearer t' } })
    expect(await res.json()).toEqual({ id: 'xyz', accept: null, auth: 'Bearer t' })
  })
})
