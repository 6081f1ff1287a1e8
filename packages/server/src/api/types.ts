import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Principal, TokenGrantor } from '../auth'

/** Per-request values the middleware chain sets for handlers. */
export interface AppEnv {
  Variables: {
    requestId: string
    /** The verified access token's principal, if a valid one was sent. */
    principal?: Principal
    /** Why the sent access token was rejected, if one was sent and rejected. */
    authError?: string
    /** Whoever authorised a token grant: an API key's owner or an access token's principal. */
    grantor?: TokenGrantor
  }
}

/** The HTTP application every route registers on. */
export type App = OpenAPIHono<AppEnv>
