import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startTestServer, type TestServer } from 'smc-server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBundledDocuments } from './documents'
import { formatJunit, formatSummary } from './report'
import { runContractTests } from './run'

// The documents the build ships, read from where the build copies them from.
const documents = loadBundledDocuments(resolve(dirname(fileURLToPath(import.meta.url)), '../../server/src/generated'))

describe('smc-contract-test against our own server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server?.close())

  it('passes the whole contract: every operation, the stateful links and the stream', async () => {
    const report = await runContractTests({ baseUrl: server.baseUrl, apiKey: server.apiKey, adminKey: server.adminKey, documents, seed: 7 })
    const summary = formatSummary(report)
    // A figure for the notes (not a timed assertion): the whole contract on this machine.
    console.log(`whole contract: ${report.results.length} cases, ${report.requests} requests, ${(report.durationMs / 1000).toFixed(1)} s`)
    expect(report.results.filter((r) => r.status === 'failed'), summary).toEqual([])
    const operations = new Set(report.results.map((r) => r.operation))
    const documented = Object.values(documents.openapi.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).length, 0)
    // Every documented operation, plus the WebSocket.
    expect(operations.size).toBe(documented + 1)
    const names = report.results.map((r) => `${r.operation} [${r.name}]`)
    for (const expected of [
      'POST /v1/trades [link: the same client_order_id returns the same order]',
      'GET /v1/orders [link: the placed order is listed]',
      'GET /v1/trades/history [link: the fill is in the trade history]',
      'GET /v1/orders/{order_id} [link: a cancelled order shows status cancelled]',
      'WS /v1/ws [trades: trade_update of an order placed through REST]',
      'WS /v1/ws [connect without a token, then authenticate → authenticated]',
      'WS /v1/ws [connect with a bad token → error frame, close 1008]',
      'POST /v1/trades [invalid: missing required field "symbol"]',
      'POST /v1/trades [invalid: field "side" with an unknown enum value]',
      'GET /v1/market-data/{symbol}/ohlcv [invalid: query limit above maximum 1000]',
      'GET /v1/orders [no token]',
    ])
      expect(names, expected).toContain(expected)
    expect(names.filter((n) => n.startsWith('WS /v1/ws') && n.includes('seq gapless'))).toHaveLength(1)
    // The state changers ran last, the emergency stop at the very end (then trading resumed).
    const order = report.results.filter((r) => r.status !== 'skipped' && r.operation !== 'WS /v1/ws').map((r) => r.operation)
    expect(order.at(-1)).toBe('POST /v1/admin/emergency-stop')
    expect(order.lastIndexOf('GET /v1/orders')).toBeLessThan(order.indexOf('DELETE /v1/orders'))
    // The same seed sends the same inputs.
    expect(report.seed).toBe(7)
    const xml = formatJunit(report)
    expect(xml).toMatch(/^<\?xml/)
    expect(xml).toContain('<testsuite name="trading"')
  }, 120_000)
})

/** A proxy in front of a server that breaks three answers on purpose. */
async function brokenProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
    let body = await upstream.text()
    const out: Record<string, string> = {}
    upstream.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v
    })
    let status = upstream.status
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method === 'GET' && path === '/v1/account' && status === 200) {
      // (a) a field of the wrong type
      const json = JSON.parse(body)
      json.balance = String(json.balance)
      body = JSON.stringify(json)
    }
    // (b) a declared header dropped
    if (req.method === 'GET' && path === '/v1/positions') delete out['x-request-id']
    // (d) the rate-limit tier of another operation
    if (req.method === 'GET' && path === '/v1/trades/history' && out['x-ratelimit-tier']) out['x-ratelimit-tier'] = 'admin'
    if (req.method === 'GET' && path === '/v1/trading/status') {
      // (c) a 500 for one operation (in the envelope, so only the status is wrong)
      status = 500
      body = JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'boom', details: {}, timestamp: new Date().toISOString(), request_id: out['x-request-id'] } })
    }
    res.writeHead(status, out)
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) }
}

describe('smc-contract-test and rate limits', () => {
  let server: TestServer
  let proxy: { url: string; close(): Promise<void> }
  let refused = 0
  beforeAll(async () => {
    server = await startTestServer()
    // Every tenth request is refused once with 429 and Retry-After: 1, as a limited server would.
    let n = 0
    const http = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      if (++n % 10 === 0) {
        refused++
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
        res.end(JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down', details: {}, timestamp: new Date().toISOString(), request_id: 'req_x' } }))
        return
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v
      const up = await fetch(`${server.baseUrl}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
      const out: Record<string, string> = {}
      up.headers.forEach((v, k) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v
      })
      res.writeHead(up.status, out)
      res.end(await up.text())
    })
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    proxy = { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close: () => new Promise((r) => http.close(() => r())) }
  })
  afterAll(async () => {
    await proxy?.close()
    await server?.close()
  })

  it('waits out a 429 (Retry-After) and retries, counting the waits in the summary', async () => {
    const report = await runContractTests({ baseUrl: proxy.url, apiKey: server.apiKey, documents, only: ['market-data'], readOnly: true, validCases: 0 })
    const summary = formatSummary(report)
    expect(report.results.filter((r) => r.status === 'failed'), summary).toEqual([])
    expect(refused).toBeGreaterThan(2)
    expect(report.rateLimitWaits).toBe(refused)
    expect(report.rateLimitWaitSeconds).toBe(refused)
    expect(summary).toMatch(new RegExp(`\\(${refused} rate-limit waits, ${refused} s\\)`))
  }, 60_000)
})

describe('smc-contract-test against a deliberately broken server', () => {
  let server: TestServer
  let proxy: Awaited<ReturnType<typeof brokenProxy>>
  beforeAll(async () => {
    server = await startTestServer()
    proxy = await brokenProxy(server.baseUrl)
  })
  afterAll(async () => {
    await proxy?.close()
    await server?.close()
  })

  it('catches a wrong type, a dropped header, a 500 and a wrong rate-limit tier, naming the operation and the schema path', async () => {
    const report = await runContractTests({ baseUrl: proxy.url, apiKey: server.apiKey, documents, only: ['trading'] })
    const summary = formatSummary(report)
    const failures = report.results.filter((r) => r.status === 'failed')
    const ops = new Set(failures.map((f) => f.operation))
    expect([...ops].sort(), summary).toEqual(['GET /v1/account', 'GET /v1/positions', 'GET /v1/trades/history', 'GET /v1/trading/status'])

    const account = failures.find((f) => f.operation === 'GET /v1/account')!
    expect(account.problems).toContainEqual({ message: 'body/balance: must be number', schemaPath: '#/components/schemas/Account/properties/balance/type' })
    const positions = failures.filter((f) => f.operation === 'GET /v1/positions')
    expect(positions.every((f) => f.problems!.some((p) => p.message === 'missing header X-Request-Id' && p.schemaPath === '#/components/headers/X-Request-Id'))).toBe(true)
    const tier = failures.find((f) => f.operation === 'GET /v1/trades/history')!
    expect(tier.problems).toContainEqual({ message: 'X-RateLimit-Tier is "admin", the contract\'s x-rate-limit-tier is "trading"', schemaPath: '#/paths/~1v1~1trades~1history/get/x-rate-limit-tier' })
    const status = failures.find((f) => f.operation === 'GET /v1/trading/status')!
    expect(status.problems![0]!.message).toBe('server error 500 (a 5xx is never acceptable)')

    // The summary shows each failure with its request and response.
    expect(summary).toContain('✗ GET /v1/account (getAccount) [example]')
    expect(summary).toContain('schema path: #/components/schemas/Account/properties/balance/type')
    expect(summary).toMatch(/request: {2}GET http:\/\/127\.0\.0\.1:\d+\/v1\/account/)
    expect(summary).toContain('response: 500')
    expect(summary).toMatch(/^FAILED: /m)
  }, 60_000)
})
