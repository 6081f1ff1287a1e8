import type { Context } from 'hono'
import { randomBytes } from 'node:crypto'
import { requestHeader } from './request-header'

const SAFE_ID = /^[A-Za-z0-9_.:-]{1,64}$/

/**
 * A request's id: a sane client-sent X-Request-Id is kept, else a new one — unique per process
 * without a random draw per request (a random prefix and a counter).
 */
export function requestIds(): (c: Context) => string {
  const prefix = randomBytes(6).toString('base64url')
  let n = 0
  return (c) => {
    const sent = requestHeader(c, 'x-request-id')
    return sent && SAFE_ID.test(sent) ? sent : `req_${prefix}${(++n).toString(36)}`
  }
}
