import type { Context, MiddlewareHandler } from 'hono'
import { DomainError, type Clock } from '../../core'
import type { AppEnv } from '../types'

export interface RateLimits {
  perMinute: number
  perSecond: number
  enabled: boolean
}

interface Windows {
  minuteStart: number
  minuteCount: number
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
 * Fixed-window limits per caller: `perMinute` requests a minute and bursts of `perSecond` a second.
 * Every response carries X-RateLimit-*; a refused request gets 429 RATE_LIMIT_EXCEEDED and Retry-After.
 */
export function rateLimit(clock: Clock, limits: () => RateLimits): MiddlewareHandler<AppEnv> {
  const callers = new Map<string, Windows>()
  let lastSweep = 0
  return async function rateLimitMiddleware(c, next) {
    const { perMinute, perSecond, enabled } = limits()
    const now = clock.now()
    if (now - lastSweep > 60_000) {
      // Forget callers whose minute window is over, so memory stays bounded by active callers.
      for (const [k, w] of callers) if (now - w.minuteStart >= 60_000) callers.delete(k)
      lastSweep = now
    }
    const key = callerKey(c)
    let w = callers.get(key)
    if (!w) {
      w = { minuteStart: now - (now % 60_000), minuteCount: 0, secondStart: now - (now % 1000), secondCount: 0 }
      callers.set(key, w)
    }
    if (now - w.minuteStart >= 60_000) {
      w.minuteStart = now - (now % 60_000)
      w.minuteCount = 0
    }
    if (now - w.secondStart >= 1000) {
      w.secondStart = now - (now % 1000)
      w.secondCount = 0
    }
    const minuteReset = w.minuteStart + 60_000
    const overMinute = w.minuteCount >= perMinute
    const overSecond = w.secondCount >= perSecond
    const refused = enabled && (overMinute || overSecond)
    if (!refused) {
      w.minuteCount++
      w.secondCount++
    }
    c.header('X-RateLimit-Limit', String(perMinute))
    c.header('X-RateLimit-Remaining', String(Math.max(0, perMinute - w.minuteCount)))
    c.header('X-RateLimit-Reset', String(Math.ceil(minuteReset / 1000)))
    if (refused) {
      const [limit, window, resetAt] = overMinute ? [perMinute, 60, minuteReset] : [perSecond, 1, w.secondStart + 1000]
      const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000))
      c.header('Retry-After', String(retryAfter))
      throw new DomainError('RATE_LIMIT_EXCEEDED', 'Rate limit exceeded. Please try again later.', {
        limit,
        window,
        retry_after: retryAfter,
      })
    }
    await next()
  }
}
