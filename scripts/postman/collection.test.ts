import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { postmanCollection, requestsOf } from './collection'

const contract = JSON.parse(readFileSync(new URL('../../packages/server/src/generated/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>
}

describe('the Postman collection of the contract', () => {
  it('holds one request per operation, foldered by tag, on {{baseUrl}}', async () => {
    const c = await postmanCollection(contract)
    expect(c.info.schema).toContain('v2.1')
    const expected = Object.entries(contract.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
      )
      .sort()
    expect(requestsOf(c.item).sort()).toEqual(expected)
    expect(c.variable?.find((v) => v.key === 'baseUrl')?.value).toBe('http://localhost:8000')
    expect(c.item.map((f) => f.name)).toEqual(expect.arrayContaining(['trading', 'market-data', 'system']))
  })
})
