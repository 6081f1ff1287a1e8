import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from './server-node-flags'

describe('SERVER_NODE_FLAGS', () => {
  it('are the node flags of the server package start script, nothing else of it', () => {
    const start = (JSON.parse(readFileSync(new URL('../../packages/server/package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
    expect(SERVER_NODE_FLAGS).toContain('--max-semi-space-size=32')
    for (const flag of SERVER_NODE_FLAGS) expect(start).toContain(flag)
    expect(SERVER_NODE_FLAGS.some((w) => w.endsWith('.ts') || w === 'tsx')).toBe(false)
  })
})
