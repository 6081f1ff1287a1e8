import { describe, expect, it } from 'vitest'
import type { App } from '../api'
import { contractCheckedApp } from '.'

// The check the Python suite relies on must be able to fail: an answer outside the contract is recorded.
describe('contractCheckedApp', () => {
  it('records a response that breaks the contract and passes it through unchanged', async () => {
    const failures: string[] = []
    const seen = { count: 0 }
    const broken = { fetch: async () => Response.json({ status: 'fine-ish' }, { status: 200 }) } as unknown as App
    const res = await contractCheckedApp(broken, failures, seen).fetch(new Request('http://x/v1/health'))
    expect(await res.json()).toEqual({ status: 'fine-ish' })
    expect(seen.count).toBe(1)
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(/GET \/v1\/health → 200/)
  })
})
