// The order of a run: tokens, the stateful links (their objects give later cases real ids), the
// operations by phase (reads, writes, deletes), the stream, then the state changers.
import { phaseOf } from './policy'
import type { RunReport } from './results'
import { Runner, type RunOptions } from './runner'
import { runLinks } from './stateful'
import { runWebSocket } from './ws'

/** A run that cannot start as asked (the CLI exits 2). */
export class UsageError extends Error {}

/** Check a running server against the contract. Never throws for a failed check: see the report. */
export async function runContractTests(options: RunOptions): Promise<RunReport> {
  const r = new Runner(options)
  const tags = new Set([...r.operations.map((o) => o.tag), 'streaming'])
  const unknown = (options.only ?? []).filter((t) => !tags.has(t))
  if (unknown.length) throw new UsageError(`--only: no operation has the tag ${unknown.map((t) => `"${t}"`).join(', ')} (tags: ${[...tags].sort().join(', ')})`)
  const started = performance.now()
  const startedAt = new Date().toISOString()
  await r.authenticate()
  const ops = r.operations
    .filter((op) => r.selected(op))
    .map((op, i) => ({ op, i, phase: phaseOf(op.label, op.method) }))
    .sort((a, b) => a.phase - b.phase || a.i - b.i)
    .map((x) => x.op)
  if (!options.readOnly) await runLinks(r)
  let wsDone = false
  for (const op of ops) {
    // The stream is checked once the reads and ordinary writes are done, before the state changers.
    if (!wsDone && phaseOf(op.label, op.method) >= 100 && r.wants('streaming')) {
      wsDone = true
      await runWebSocket(r)
    }
    r.log(op.label)
    await r.runOperation(op)
  }
  if (!wsDone && r.wants('streaming')) await runWebSocket(r)
  return {
    baseUrl: options.baseUrl,
    seed: options.seed ?? 1,
    startedAt,
    durationMs: performance.now() - started,
    requests: r.requests,
    rateLimitWaits: r.rateLimitWaits,
    rateLimitWaitSeconds: r.rateLimitWaitSeconds,
    results: r.results,
  }
}
