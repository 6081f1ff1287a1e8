import type { MiddlewareHandler } from 'hono'
import { randomId } from '../../auth'
import type { AppEnv } from '../types'

const SAFE_ID = /^[A-Za-z0-9_.:-]{1,64}$/

/** Give every request an id (a sane client-sent X-Request-Id is kept), echoed in the response. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const sent = c.req.header('x-request-id')
    const id = sent && SAFE_ID.test(sent) ? sent : randomId('req')
    c.set('requestId', id)
    c.header('X-Request-Id', id)
    await next()
  }
}
