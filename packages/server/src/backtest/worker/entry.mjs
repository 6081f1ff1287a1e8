// The backtest worker's entry: the server runs from its TypeScript sources, and a worker thread
// does not inherit a loader registered in-process (vitest's, or tsx's `register()` in the bin), so it
// registers tsx's own before importing them. Plain JS: it must load without a loader.
import { register } from 'tsx/esm/api'

register()
await import('./worker-main.ts')
