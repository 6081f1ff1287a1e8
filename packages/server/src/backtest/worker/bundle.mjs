// Bundles the backtest worker's TypeScript sources into one JavaScript module with esbuild, from the
// sources as they are now (so it is never stale), for entry.mjs. Plain JS: it loads without a loader.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build, stop } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const serverRoot = join(here, '..', '..', '..')

/** The workspace's TypeScript packages are bundled from their sources; every other package stays an import. */
const workspace = {
  name: 'workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@smc-trading\// }, (args) => ({ path: fileURLToPath(import.meta.resolve(args.path)) }))
  },
}

/** `import.meta.url` in a bundled source file is that file's URL (the store finds its migrations by it). */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' }
    })
  },
}

/**
 * Build worker-main.ts and its imports into one module under packages/server/node_modules/.cache
 * (there, its imports of installed packages resolve as the sources' do); returns its URL. The file is
 * named by a hash of its contents, so concurrent starts write the same file and an edit gets a new one.
 */
export async function bundleWorker() {
  const result = await build({
    outfile: 'worker.mjs',
    entryPoints: [join(here, 'worker-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [workspace, importMetaUrl],
    // A map beside the bundle: node --enable-source-maps shows the sources in stack traces.
    sourcemap: 'external',
    write: false,
    logLevel: 'silent',
  })
  // The build service is not needed again in this thread.
  await stop()
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs')).text
  const map = result.outputFiles.find((f) => f.path.endsWith('.map')).text
  const name = `worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`
  const dir = join(serverRoot, 'node_modules', '.cache', 'smc-backtest-worker')
  const file = join(dir, name)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true })
    put(`${file}.map`, map)
    put(file, `${code}//# sourceMappingURL=${name}.map\n`)
    forgetOld(dir, name)
  }
  return pathToFileURL(file).href
}

/** Bundles of earlier sources, a day old: nothing starts from them any more. */
function forgetOld(dir, keep) {
  const dayAgo = Date.now() - 86_400_000
  for (const f of readdirSync(dir)) {
    if (f.startsWith(keep)) continue
    const path = join(dir, f)
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { force: true })
    } catch {
      // Another thread removed it first.
    }
  }
}

/** Write by renaming a finished file into place: another thread starting at once never reads half of it. */
function put(file, text) {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}
