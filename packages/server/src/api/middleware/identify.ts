import type { MiddlewareHandler } from 'hono'
import type { AuthService, Principal } from '../../auth'
import type { Clock } from '../../core'
import type { AppEnv } from '../types'
import { requestHeader } from './request-header'

/** Verified tokens kept, most recently used last; bounded, so memory never grows with callers. */
const CACHE_SIZE = 1024

/**
 * A small LRU of verified access tokens keyed by the token string: HS256 verification (WebCrypto,
 * asynchronous) costs more than a whole market order, and a bot sends the same token thousands of
 * times. Only valid tokens are cached, with their expiry, which is checked on every hit.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Principal>()
  constructor(private readonly max = CACHE_SIZE) {}

  get(token: string, now: number): Principal | 'expired' | undefined {
    const p = this.entries.get(token)
    if (!p) return undefined
    this.entries.delete(token)
    if (now >= p.expiresAt) return 'expired'
    this.entries.set(token, p)
    return p
  }

  set(token: string, p: Principal): void {
    this.entries.delete(token)
    this.entries.set(token, p)
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!)
  }

  get size(): number {
    return this.entries.size
  }
}

/**
 * Verify a bearer access token if one is sent. Rejection is deferred to the route's security
 * requirement, so public routes ignore bad tokens and the rate limiter can key on the token.
 */
export function identify(auth: AuthService, clock?: Clock, cache = new VerifiedTokens()): MiddlewareHandler<AppEnv> {
  // Synchronous unless a token must be verified: most requests carry none or a cached one, and an
  // async step costs every request a promise and a frame.
  const verify = async (c: Parameters<MiddlewareHandler<AppEnv>>[0], next: () => Promise<void>, token: string) => {
    const result = await auth.verifyAccessToken(token)
    if ('reason' in result) c.set('authError', `Access ${result.reason}`)
    else {
      if (clock) cache.set(token, result)
      c.set('principal', result)
    }
    await next()
  }
  return function identifyMiddleware(c, next) {
    const header = requestHeader(c, 'authorization')
    if (!header) return next()
    const m = /^Bearer\s+(\S+)$/i.exec(header)
    if (!m) {
      c.set('authError', 'Authorization header must be "Bearer <token>"')
      return next()
    }
    const token = m[1]!
    const hit = clock ? cache.get(token, clock.now()) : undefined
    if (hit === undefined) return verify(c, next, token)
    if (hit === 'expired') c.set('authError', 'Access token has expired')
    else c.set('principal', hit)
    return next()
  }
}
