import type { MiddlewareHandler } from 'hono'
import { randomBytes } from 'node:crypto'
import type { AppEnv } from '../types'
import { requestHeader } from './request-header'

const SAFE_ID = /^[A-Za-z0-9_.:-]{1,64}$/

/** Unique per process without a random draw per request: a random prefix and a counter. */
function requestIds(): () => string {
  const prefix = randomBytes(6).toString('base64url')
  let n = 0
  return () => `req_${prefix}${(++n).toString(36)}`
}

/** Give every request an id (a sane client-sent X-Request-Id is kept), echoed in the response. */
export function requestId(): MiddlewareHandler<AppEnv> {
  const nextId = requestIds()
  return async function requestIdMiddleware(c, next) {
    const sent = requestHeader(c, 'x-request-id')
    const id = sent && SAFE_ID.test(sent) ? sent : nextId()
    c.set('requestId', id)
    c.header('X-Request-Id', id)
    await next()
  }
}
