// pnpm bench <name>: runs scripts/bench/<name>.ts (each bench runs on import). No name: list them.
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort()

const name = process.argv[2]
if (name === undefined || name === '--help' || name === '-h') {
  console.log(`Usage: pnpm bench <name>\nAvailable benches: ${available.join(', ')}`)
} else if (!available.includes(name)) {
  console.error(`bench: unknown bench "${name}". Available: ${available.join(', ')}`)
  process.exitCode = 2
} else {
  await import(pathToFileURL(join(here, `${name}.ts`)).href)
}
