// Seed 000's client examples, cut out of the seed at run time, patched (patches.ts) and pointed at a
// server (substitute). The seed lives outside the project, next to it: ../shared/seeds/.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type SnippetQuery, snippets } from './extract'
import { applyPatches, type SnippetId, substitute, type Target } from './patches'

export { codeBlocks, snippet, snippets, type CodeBlock, type SnippetQuery } from './extract'
export { applyPatches, PATCHES, substitute, type Patch, type SnippetId, type Target } from './patches'
export * from './run'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
export const SEED_000 = resolve(repoRoot, '../shared/seeds/000_cd434067ab3e144d.txt')

/**
 * Where each example sits in the seed. `all` joins every block of the heading in that language, in
 * order (a section whose later blocks use the imports of its first).
 */
export const SNIPPETS: Record<SnippetId, SnippetQuery & { all?: boolean }> = {
  'trading-bot': { heading: 'Trading Bot Integration', lang: 'python' },
  'data-analyzer': { heading: 'Data Analysis Integration', lang: 'python' },
  'ws-python': { heading: 'WebSocket Example (Python)', lang: 'python' },
  'ws-javascript': { heading: 'WebSocket Example (JavaScript)', lang: 'javascript' },
  'rate-limiter': { heading: 'Rate Limit Implementation', lang: 'python' },
  'error-handling': { heading: 'Error Handling Best Practices', lang: 'python', all: true },
  'curl-generate-token': { heading: 'Obtaining API Tokens', lang: 'bash', label: '1. Generate API Key' },
  'curl-refresh-token': { heading: 'Obtaining API Tokens', lang: 'bash', label: '2. Refresh Token' },
  'auth-python': { heading: 'Authentication Examples', lang: 'python' },
  'auth-javascript': { heading: 'Authentication Examples', lang: 'javascript' },
  'auth-curl': { heading: 'Authentication Examples', lang: 'bash' },
}

/** The seed's text of an example, as written (no patch, no substitution). */
export function seedText(seed: string, id: SnippetId): string {
  const q = SNIPPETS[id]
  const found = snippets(seed, q)
  if (!q.all && found.length !== 1) throw new Error(`the seed has ${found.length} blocks for ${id}; expected one`)
  return found.join('\n')
}

/**
 * An example ready to run: cut out of the seed, its patches applied (unless `patched: false`), then
 * `append` (a test's driver code, which calls what the snippet only defines) added after it, and
 * the whole pointed at `target`.
 */
export function prepare(seed: string, id: SnippetId, target: Target, opts: { patched?: boolean; append?: string } = {}): string {
  const text = seedText(seed, id)
  return substitute((opts.patched === false ? text : applyPatches(id, text)) + (opts.append ?? ''), target)
}

/** The seed's text, or undefined when the seed is not next to the project. */
export function readSeed(path = SEED_000): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
