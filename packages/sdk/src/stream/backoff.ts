/**
 * Reconnection policy of the stream client.
 * @example
 * new StreamClient({ token, reconnect: { initialDelayMs: 500, maxDelayMs: 60_000, maxAttempts: 20 } })
 */
export interface ReconnectOptions {
  /** First delay in ms (default 250). */
  initialDelayMs?: number
  /** Cap of one delay in ms (default 30000). */
  maxDelayMs?: number
  /** Growth per attempt (default 2). */
  factor?: number
  /** Give up after this many consecutive failed attempts (default: never). */
  maxAttempts?: number
  /** Random source in [0, 1) for jitter (default Math.random). */
  random?: () => number
}

/**
 * Delay before reconnection attempt `attempt` (0-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so a fleet of bots does not reconnect in lockstep yet never spins.
 *
 * @example
 * backoffDelay(0) // 125..250 ms
 * backoffDelay(5, { initialDelayMs: 100, maxDelayMs: 1000 }) // 500..1000 ms
 */
export function backoffDelay(attempt: number, o: ReconnectOptions = {}): number {
  const initial = o.initialDelayMs ?? 250
  const max = o.maxDelayMs ?? 30_000
  const base = Math.min(max, initial * (o.factor ?? 2) ** Math.min(attempt, 60))
  return Math.round(base / 2 + (o.random ?? Math.random)() * (base / 2))
}
