import type { Context } from 'hono'

/** The only version this server speaks. */
export const API_VERSION = 'v1'

/**
 * Set `X-Process-Time` (seconds) on the finished response — errors, 404s and 429s included: Hono
 * renders those into `c.res` before control returns to the middleware that calls this. Set in
 * place on the response's headers: c.header() would rebuild the response around a stream body,
 * which takes the node adapter off its fast path.
 */
export function stampProcessTime(c: Context, elapsedMs: number): void {
  const took = (elapsedMs / 1000).toFixed(6)
  try {
    c.res.headers.set('X-Process-Time', took)
    if (!c.res.headers.has('API-Version')) c.res.headers.set('API-Version', API_VERSION)
  } catch {
    // Immutable headers (a response passed through from elsewhere): rebuild after all.
    c.header('X-Process-Time', took)
    c.header('API-Version', API_VERSION)
  }
}
