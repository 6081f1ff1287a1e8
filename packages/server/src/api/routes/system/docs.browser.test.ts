import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../../http-server'
import { chromiumOrSkip, createTestContext, type TestContext } from '../../../testing'

// The API reference page in a real browser: it renders the contract's operations from
// /v1/openapi.json with the script this server serves, and nothing is fetched from elsewhere.
const executablePath = chromiumOrSkip('the API reference browser test')

describe.skipIf(!executablePath)('GET /v1/docs in headless Chromium', () => {
  let ctx: TestContext
  let server: RunningServer
  let browser: Browser
  beforeAll(async () => {
    ctx = await createTestContext()
    server = await ctx.listen()
    browser = await chromium.launch({ executablePath, headless: true })
  })
  afterAll(async () => {
    await browser?.close()
    await ctx?.close()
  })

  it('renders the operations of the contract, from this server only', async () => {
    const page = await browser.newPage()
    const foreign: string[] = []
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url)) foreign.push(r.url())
    })
    const res = await page.goto(`${server.url}/docs`)
    expect(page.url()).toBe(`${server.url}/v1/docs`)
    expect(res?.status()).toBe(200)
    // The contract's operations (the first tag's, expanded) and every tag appear once it has rendered.
    await page.getByText('Generate an access token', { exact: false }).first().waitFor({ timeout: 20_000 })
    const text = await page.innerText('body')
    for (const tag of ['trading', 'market-data', 'presets', 'scanner', 'ml', 'risk']) expect(text).toContain(tag)
    expect(foreign.filter((u) => !u.startsWith('data:'))).toEqual([])
  }, 60_000)
})

describe('docs routes', () => {
  it('/ and /docs redirect to /v1/docs; an unknown chunk is 404 in the envelope', async () => {
    const ctx = await createTestContext()
    try {
      for (const path of ['/', '/docs']) {
        const res = await ctx.app.request(path)
        expect([res.status, res.headers.get('location')]).toEqual([302, '/v1/docs'])
      }
      const page = await ctx.request('/v1/docs')
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('/v1/docs/scalar.js')
      const chunk = await ctx.app.request('/v1/docs/chunks/..%2F..%2Fpackage.json')
      expect(chunk.status).toBe(404)
    } finally {
      await ctx.close()
    }
  })
})
