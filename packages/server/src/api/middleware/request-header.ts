import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

/**
 * A request header (lower-case `name`). Served by the node adapter, it is read from Node's parsed
 * headers: hono's `c.req.header()` first copies every header into a WHATWG `Headers` (validating
 * each), a cost paid on every request by middleware that only looks for one or two. Elsewhere
 * (`app.request` in tests, other runtimes) hono's reader is used. Node keeps the first of a
 * repeated singleton header (Authorization, Content-Length…) and joins the others with ", ".
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (!incoming?.headers) return c.req.header(name)
  const v = incoming.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}
