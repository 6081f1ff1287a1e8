import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SMCClient } from 'smc-trading-sdk'
import type { RunningServer } from '../http-server'
import { contractFetch, createTestContext, type TestContext } from '../testing'

// The SDK's operations methods (contract documents, health, metrics) against a real server on an
// ephemeral port; every response is checked against the contract.
let ctx: TestContext
let server: RunningServer
const fetch = contractFetch((req) => globalThis.fetch(req))
beforeAll(async () => {
  ctx = await createTestContext({ RATE_LIMIT_ENABLED: 'false', ML_ENABLED: 'false', SCHEDULER_ENABLED: 'false' })
  server = await ctx.listen()
})
afterAll(() => ctx.close())

const client = (token?: string) => new SMCClient(token, { baseUrl: server.url, fetch, retry: false })

describe('SDK: the served contract documents', () => {
  it('getAsyncApiDocument and getAsyncApiYaml return the socket bundle the build produces', async () => {
    const c = client()
    const doc = await c.getAsyncApiDocument()
    expect(doc).toEqual(JSON.parse(readFileSync(new URL('../generated/asyncapi.json', import.meta.url), 'utf8')))
    expect(Object.keys(doc.channels).length).toBeGreaterThan(0)
    expect(await c.getAsyncApiYaml()).toBe(readFileSync(new URL('../generated/asyncapi.yaml', import.meta.url), 'utf8'))
  })
})
