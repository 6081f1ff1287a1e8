import type { MiddlewareHandler } from 'hono'
import type { AuthService } from '../../auth'
import type { AppEnv } from '../types'

/**
 * Verify a bearer access token if one is sent. Rejection is deferred to the route's security
 * requirement, so public routes ignore bad tokens and the rate limiter can key on the token.
 */
export function identify(auth: AuthService): MiddlewareHandler<AppEnv> {
  return async function identifyMiddleware(c, next) {
    const header = c.req.header('authorization')
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header)
      if (!m) c.set('authError', 'Authorization header must be "Bearer <token>"')
      else {
        const result = await auth.verifyAccessToken(m[1]!)
        if ('reason' in result) c.set('authError', `Access ${result.reason}`)
        else c.set('principal', result)
      }
    }
    await next()
  }
}
