/**
 * Failed authentications per client address in a sliding window (seed 002: 5 per minute). Past the
 * limit, the address's upgrades are refused until its oldest failure leaves the window: guessing
 * tokens over the socket costs a minute per few attempts. Time comes from the hub's clock.
 *
 * @example
 * const limiter = new AuthFailureLimiter(5, 60_000)
 * limiter.record('10.0.0.7', now)
 * limiter.retryAfterMs('10.0.0.7', now) // 0 until the fifth failure
 */
export class AuthFailureLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Count a failed authentication from `ip` at `now`. */
  record(ip: string, now: number): void {
    if (this.limit <= 0) return
    // Bound the memory an address spray can take: drop what has left the window everywhere.
    if (this.failures.size > 10_000) for (const key of [...this.failures.keys()]) this.recent(key, now)
    const list = this.recent(ip, now)
    list.push(now)
    if (list.length > this.limit) list.shift()
    this.failures.set(ip, list)
  }

  /** 0 when `ip` may try again, else how long (ms) until it may. */
  retryAfterMs(ip: string, now: number): number {
    if (this.limit <= 0) return 0
    const list = this.recent(ip, now)
    return list.length < this.limit ? 0 : list[0]! + this.windowMs - now
  }

  /** The failures of `ip` still inside the window (the entry is dropped when none are). */
  private recent(ip: string, now: number): number[] {
    const list = this.failures.get(ip)
    if (!list) return []
    while (list.length > 0 && list[0]! <= now - this.windowMs) list.shift()
    if (list.length === 0) this.failures.delete(ip)
    return list
  }
}
