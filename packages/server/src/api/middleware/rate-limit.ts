import type { Context, MiddlewareHandler } from 'hono'
import { DomainError, type Clock } from '../../core'
import type { RateLimitTier } from '../../generated/routes'
import type { AppEnv } from '../types'
import { operationTiers } from './operation-tier'

/** One tier's limit: `limit` requests per `windowSeconds`, and at most `burstPerSecond` a second when set. */
export interface TierLimit {
  limit: number
  windowSeconds: number
  burstPerSecond: number | null
}

export interface RateLimits {
  enabled: boolean
  tiers: Readonly<Record<RateLimitTier, TierLimit>>
}

interface Windows {
  windowStart: number
  windowCount: number
  secondStart: number
  secondCount: number
}

/** The caller a limit applies to: the access token when one is valid, else the client address. */
function callerKey(c: Context<AppEnv>): string {
  const principal = c.get('principal')
  if (principal) return `tok:${principal.tokenId}`
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return `ip:${incoming?.socket?.remoteAddress ?? 'local'}`
}

/**
 * Fixed-window limits per caller and tier (every operation names its tier in the contract):
 * `limit` requests per window and, on tiers with one, bursts of `burstPerSecond` a second.
 * Every response carries X-RateLimit-* of its tier; a refused request gets 429
 * RATE_LIMIT_EXCEEDED (details name the tier) and Retry-After.
 */
export function rateLimit(clock: Clock, limits: () => RateLimits): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, Windows>()
  const tierOf = operationTiers()
  let lastSweep = 0
  return function rateLimitMiddleware(c, next) {
    const { enabled, tiers } = limits()
    const tier = tierOf(c.req.method, c.req.path)
    const { limit, windowSeconds, burstPerSecond } = tiers[tier]
    const windowMs = windowSeconds * 1000
    const now = clock.now()
    if (now - lastSweep > 60_000) {
      // Forget buckets whose window is over, so memory stays bounded by active callers.
      for (const [k, w] of buckets) if (now - w.windowStart >= windowMsOf(k, tiers)) buckets.delete(k)
      lastSweep = now
    }
    const key = `${tier}|${callerKey(c)}`
    let w = buckets.get(key)
    if (!w) {
      w = { windowStart: now - (now % windowMs), windowCount: 0, secondStart: now - (now % 1000), secondCount: 0 }
      buckets.set(key, w)
    }
    if (now - w.windowStart >= windowMs) {
      w.windowStart = now - (now % windowMs)
      w.windowCount = 0
    }
    if (now - w.secondStart >= 1000) {
      w.secondStart = now - (now % 1000)
      w.secondCount = 0
    }
    const windowReset = w.windowStart + windowMs
    const overWindow = w.windowCount >= limit
    const overSecond = burstPerSecond !== null && w.secondCount >= burstPerSecond
    const refused = enabled && (overWindow || overSecond)
    if (!refused) {
      w.windowCount++
      w.secondCount++
    }
    c.header('X-RateLimit-Limit', String(limit))
    c.header('X-RateLimit-Remaining', String(Math.max(0, limit - w.windowCount)))
    if (burstPerSecond !== null) c.header('X-RateLimit-Burst-Remaining', String(Math.max(0, burstPerSecond - w.secondCount)))
    c.header('X-RateLimit-Reset', String(Math.ceil(windowReset / 1000)))
    c.header('X-RateLimit-Tier', tier)
    if (refused) {
      const [max, window, resetAt] = overWindow ? [limit, windowSeconds, windowReset] : [burstPerSecond!, 1, w.secondStart + 1000]
      const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000))
      c.header('Retry-After', String(retryAfter))
      throw new DomainError('RATE_LIMIT_EXCEEDED', `Rate limit of the ${tier} tier exceeded (${max} requests per ${window} s). Please try again later.`, {
        tier,
        limit: max,
        window,
        retry_after: retryAfter,
      })
    }
    return next()
  }
}

/** The window of a bucket's tier (its key starts with the tier). */
function windowMsOf(key: string, tiers: Readonly<Record<RateLimitTier, TierLimit>>): number {
  const tier = key.slice(0, key.indexOf('|')) as RateLimitTier
  return (tiers[tier]?.windowSeconds ?? 60) * 1000
}
