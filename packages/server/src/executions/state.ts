import { DomainError } from '../core'
import type { ExecutionStatus } from '../store'

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['pending', 'running', 'paused', 'completed', 'failed', 'stopped']

/**
 * The one table of an execution's status changes. Anything not listed is refused. The only other
 * way out of a status is the restart sweep (ExecutionStore.markInterruptedFailed), which fails every
 * unfinished run, pending ones included, so none stays stuck.
 */
export const TRANSITIONS: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  pending: ['running'],
  running: ['paused', 'completed', 'failed', 'stopped'],
  paused: ['running', 'stopped', 'failed'],
  completed: [],
  failed: [],
  stopped: [],
}

/** Statuses a run never leaves. */
export const isTerminal = (s: ExecutionStatus): boolean => TRANSITIONS[s].length === 0

export const canTransition = (from: ExecutionStatus, to: ExecutionStatus): boolean => TRANSITIONS[from].includes(to)

/** Throw INVALID_STATE_TRANSITION unless `from → to` is in the table. */
export function assertTransition(executionId: number, from: ExecutionStatus, to: ExecutionStatus): void {
  if (canTransition(from, to)) return
  throw new DomainError('INVALID_STATE_TRANSITION', `Execution ${executionId} is ${from}: it cannot become ${to}`, {
    execution_id: executionId,
    from,
    to,
    allowed: TRANSITIONS[from],
  })
}
