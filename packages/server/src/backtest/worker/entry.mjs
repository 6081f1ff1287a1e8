// The backtest worker's entry. The server runs from its TypeScript sources, and a worker thread does
// not inherit a loader registered in-process (vitest's, or tsx's `register()` in the bin). Its code is
// bundled into one JavaScript module by esbuild from the current sources (bundle.mjs), so the worker
// needs no TypeScript loader of its own: tsx's costs ≈ 50 MB of memory per worker and a transform of
// every module. If the bundle cannot be built (or written), tsx's loader is the fallback.
// Plain JS: it must load without a loader.
import { lowerThreadPriority } from './lower-priority.mjs'

// First, so the bundling below already runs at the worker's priority.
lowerThreadPriority()
let bundled = null
try {
  const { bundleWorker } = await import('./bundle.mjs')
  bundled = await bundleWorker()
} catch (err) {
  process.emitWarning(`backtest worker: no bundle (${err instanceof Error ? err.message : String(err)}); loading the sources through tsx`)
}
if (bundled !== null) await import(bundled)
else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('./worker-main.ts')
}
