import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OpenApiDoc } from './types'

/** Bundle the split contract into one document with internal `#/components/...` refs only. */
export function bundleContract(root: string, entry: string): OpenApiDoc {
  const dir = mkdtempSync(join(tmpdir(), 'smc-bundle-'))
  try {
    const out = join(dir, 'bundle.json')
    execFileSync(join(root, 'node_modules/.bin/redocly'), ['bundle', entry, '-o', out], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    })
    return JSON.parse(readFileSync(out, 'utf8')) as OpenApiDoc
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
