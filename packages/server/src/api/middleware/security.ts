import type { RouteConfig } from '@hono/zod-openapi'
import type { Handler, MiddlewareHandler } from 'hono'
import { hasAllScopes, type AuthService } from '../../auth'
import { DomainError } from '../../core'
import type { AppEnv } from '../types'
import { requestHeader } from './request-header'

export type SecurityRequirement = readonly Readonly<Record<string, readonly string[]>>[]

/** Where credentials come from, for the 401 of a request that sent none. */
const KEY_SOURCE = 'the server prints its demo API key and a demo token when it starts'
const MISSING_KEY = `Missing credentials: send your API key in the "X-API-Key" header (${KEY_SOURCE}), or an admin_full token as "Authorization: Bearer <token>"`
const MISSING_TOKEN = `Missing the "Authorization: Bearer <token>" header: get a token from POST /v1/auth/generate-token with your API key in "X-API-Key" (${KEY_SOURCE})`

/**
 * Enforce an operation's OpenAPI security requirement (alternatives; each names its scheme and scopes):
 * no valid credential → 401 AUTHENTICATION_FAILED, a valid one without the scope → 403 INSUFFICIENT_PERMISSIONS.
 */
export function requireSecurity(requirement: SecurityRequirement, auth: AuthService): MiddlewareHandler<AppEnv> {
  // The route's schemes, once (not per request).
  const schemes = new Map(requirement.flatMap((alt) => Object.entries(alt)))
  // Not async: every path returns next() or throws (compose turns a throw into onError), and an async
  // step would cost each request a promise.
  return function securityMiddleware(c, next) {
    if (requirement.length === 0) return next()
    const principal = c.get('principal')

    const apiKey = requestHeader(c, 'x-api-key')
    if (apiKey !== undefined && schemes.has('apiKeyAuth')) {
      const grantor = auth.findApiKey(apiKey)
      if (!grantor) throw new DomainError('AUTHENTICATION_FAILED', 'API key is invalid')
      c.set('grantor', grantor)
      return next()
    }
    if (schemes.has('refreshToken')) {
      if (!/^Bearer\s+\S+$/i.test(requestHeader(c, 'authorization') ?? ''))
        throw new DomainError('AUTHENTICATION_FAILED', 'A refresh token is required as "Authorization: Bearer <refresh_token>"')
      return next()
    }
    const bearerScopes = schemes.get('bearerAuth')
    if (bearerScopes === undefined) throw new DomainError('AUTHENTICATION_FAILED', MISSING_KEY, { missing_header: 'X-API-Key' })
    if (!principal) {
      const reason = c.get('authError')
      if (reason) throw new DomainError('AUTHENTICATION_FAILED', reason)
      const keyAccepted = schemes.has('apiKeyAuth')
      throw new DomainError('AUTHENTICATION_FAILED', keyAccepted ? MISSING_KEY : MISSING_TOKEN, {
        missing_header: keyAccepted ? 'X-API-Key' : 'Authorization',
      })
    }
    if (!hasAllScopes(principal.scopes, bearerScopes))
      throw new DomainError('INSUFFICIENT_PERMISSIONS', `This operation requires the scope: ${bearerScopes.join(', ')}`, {
        required: bearerScopes,
        granted: principal.scopes,
      })
    c.set('grantor', { userId: principal.userId, scopes: principal.scopes })
    return next()
  }
}

/** A route definition with its security requirement enforced before validation and the handler. */
export function secured<R extends RouteConfig>(route: R, services: { auth: AuthService }): R {
  const security = (route.security ?? []) as SecurityRequirement
  return { ...route, middleware: [requireSecurity(security, services.auth)] as Handler[] }
}
