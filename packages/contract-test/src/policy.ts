// Which operations change the server in ways a run must be careful with, and in what order they
// run. Everything here runs after every read and ordinary write, with the contract's example only
// (generated values could, say, set the rate limit to 1 a minute), and the state is restored after.

/** Run last, in this order (pause before resume; the emergency stop at the very end). */
export const LAST: readonly string[] = [
  'POST /v1/scheduler/pause',
  'POST /v1/scheduler/resume',
  'POST /v1/scheduler/trigger',
  'POST /v1/engine/start',
  'POST /v1/engine/pause',
  'POST /v1/engine/resume',
  'POST /v1/engine/reload',
  'POST /v1/engine/stop',
  'POST /v1/engine/emergency-stop',
  'PUT /v1/risk/limits',
  'PUT /v1/config',
  'POST /v1/admin/pause',
  'POST /v1/admin/resume',
  'DELETE /v1/orders',
  'DELETE /v1/positions',
  'POST /v1/admin/emergency-stop',
]

/** Why generated values are not sent to an operation of {@link LAST}. */
export const LAST_REASON = 'changes server-wide state: example and invalid inputs only (generated values could set, say, the rate limit)'

/** Run order of an operation: reads, then writes, then deletes, then {@link LAST}. */
export function phaseOf(label: string, method: string): number {
  const last = LAST.indexOf(label)
  if (last >= 0) return 100 + last
  if (method === 'get') return 0
  if (method === 'delete') return 2
  return 1
}
