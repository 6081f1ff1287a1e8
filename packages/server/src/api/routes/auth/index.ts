import { generateTokenAliasRoute, generateTokenRoute, refreshTokenAliasRoute, refreshTokenRoute } from '../../../generated'
import { DomainError } from '../../../core'
import type { AppServices } from '../../../services'
import { requestHeader } from '../../middleware/request-header'
import { secured } from '../../middleware/security'
import type { App } from '../../types'

export function registerAuthRoutes(app: App, s: AppServices): void {
  // Seed 000's /api/auth/… paths are deprecated aliases in the contract: the same handlers serve them.
  for (const route of [generateTokenRoute, generateTokenAliasRoute] as const)
    app.openapi(secured(route, s), async (c) => {
      const body = c.req.valid('json')
      const grantor = c.get('grantor')
      if (!grantor) throw new DomainError('AUTHENTICATION_FAILED', 'An API key (X-API-Key) or a bearer token is required', { missing_header: 'X-API-Key' })
      return c.json(await s.auth.generate(grantor, body.user_id, body.permissions, body.expires_in), 200)
    })

  for (const route of [refreshTokenRoute, refreshTokenAliasRoute] as const)
    app.openapi(secured(route, s), async (c) => {
      const token = (requestHeader(c, 'authorization') ?? '').replace(/^Bearer\s+/i, '')
      return c.json(await s.auth.refresh(token), 200)
    })
}
