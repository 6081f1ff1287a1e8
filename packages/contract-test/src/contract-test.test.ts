import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startTestServer, type TestServer } from 'smc-server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBundledDocuments } from './documents'
import { formatSummary } from './report'
import { runContractTests } from './runner'

// The documents the build ships, read from where the build copies them from.
const documents = loadBundledDocuments(resolve(dirname(fileURLToPath(import.meta.url)), '../../server/src/generated'))

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.close())

describe('smc-contract-test against our own server', () => {
  it('passes the market-data reads', async () => {
    const report = await runContractTests({ baseUrl: server.baseUrl, apiKey: server.apiKey, only: ['market-data'], readOnly: true, documents })
    const summary = formatSummary(report)
    expect(report.results.filter((r) => r.status === 'failed'), summary).toEqual([])
    expect(report.results.filter((r) => r.tag === 'market-data' && r.status === 'passed').length).toBeGreaterThan(20)
  })
})
