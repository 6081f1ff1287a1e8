/** The nice value the backtest worker's thread runs at (see lower-priority.mjs). */
export const WORKER_NICE: number
/** Lower the calling thread's CPU priority (Linux; elsewhere nothing); returns the thread id, or null. */
export function lowerThreadPriority(nice?: number): number | null
