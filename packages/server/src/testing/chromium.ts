// Test-only: where Debian's Chromium is (driven by playwright-core in the browser tests).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** CHROMIUM_PATH, else `chromium` (or chromium-browser) on PATH, else Debian's usual paths. */
export function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH
  if (env && existsSync(env)) return env
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const p = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
      if (p && existsSync(p)) return p
    } catch {
      // not on PATH
    }
  }
  return ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p))
}

/** The browser, or undefined after saying clearly (never silently) which tests are skipped. */
export function chromiumOrSkip(what: string): string | undefined {
  const path = findChromium()
  if (!path)
    console.warn(`skipped: no chromium (set CHROMIUM_PATH, or install Debian's: apt-get install -y --no-install-recommends chromium): ${what} did not run`)
  return path
}
