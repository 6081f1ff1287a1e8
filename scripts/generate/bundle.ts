import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { OpenApiDoc } from './types'

/** Redocly's bundle of `entry` (OpenAPI or AsyncAPI) with internal refs only, as text in `ext`'s format. */
export function bundleText(root: string, entry: string, ext: 'json' | 'yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'smc-bundle-'))
  try {
    const out = join(dir, `bundle.${ext}`)
    execFileSync(join(root, 'node_modules/.bin/redocly'), ['bundle', entry, '-o', out], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    })
    return readFileSync(out, 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Bundle the split contract into one document with internal `#/components/...` refs only. */
export function bundleContract(root: string, entry: string): OpenApiDoc {
  return JSON.parse(bundleText(root, entry, 'json')) as OpenApiDoc
}
