import { generateTokenRoute, refreshTokenRoute } from '../../../generated'
import { DomainError } from '../../../core'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'

export function registerAuthRoutes(app: App, s: AppServices): void {
  app.openapi(secured(generateTokenRoute, s), async (c) => {
    const body = c.req.valid('json')
    const grantor = c.get('grantor')
    if (!grantor) throw new DomainError('AUTHENTICATION_FAILED', 'An API key (X-API-Key) or a bearer token is required')
    return c.json(await s.auth.generate(grantor, body.user_id, body.permissions, body.expires_in), 200)
  })

  app.openapi(secured(refreshTokenRoute, s), async (c) => {
    const token = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '')
    return c.json(await s.auth.refresh(token), 200)
  })
}
