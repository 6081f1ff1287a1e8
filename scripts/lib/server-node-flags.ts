import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * The node flags `pnpm start` runs the server with (the `--…` words of packages/server/package.json's
 * start script), read from there so a benchmark's server processes run as the real one does.
 *
 * @example
 * spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', file])
 */
export const SERVER_NODE_FLAGS: readonly string[] = (
  JSON.parse(readFileSync(join(here, '../../packages/server/package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith('--'))
