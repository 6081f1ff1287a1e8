// Plain JS: the worker's entry (entry.mjs) imports it before any loader or bundle exists.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/** The nice value the backtest worker's thread runs at (the server's thread keeps its own, 0 by default). */
export const WORKER_NICE = 10

/**
 * Lower the calling thread's CPU priority to `nice`. On Linux each thread has its own nice value,
 * and /proc/thread-self names the calling thread; elsewhere this does nothing. Returns the thread
 * id it applied to, or null.
 *
 * A backtest keeps a core busy for as long as it runs. On a machine with few cores the server's
 * thread (requests, persisting the run's records) and the collector's helper threads then queue
 * behind it for the scheduler's slices: event-loop gaps of 25–55 ms, and GET /v1/health's p99
 * around the 50 ms line, during a million-candle run on a two-core VM. At nice 10 the scheduler
 * gives the server's thread the core whenever it has work; the worker still takes every cycle
 * nothing else wants.
 *
 * @param {number} [nice]
 * @returns {number | null}
 */
export function lowerThreadPriority(nice = WORKER_NICE) {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) return null
    setPriority(tid, nice)
    return tid
  } catch {
    return null
  }
}
