import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Scalar } from '@scalar/hono-api-reference'
import { getApiReferenceRoute } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import type { App } from '../../types'

// The API reference page: Scalar's Hono renderer, with its bundle served by this server (the page
// works offline and nothing is fetched from a CDN).
// The package exports no subpath for its browser build: found beside its main entry (dist/index.js).
const bundleDir = join(dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), 'browser')
const CHUNK = /^[A-Za-z0-9_.-]+\.js$/
let bundle: string | undefined

/** `GET /v1/docs` (the reference), its script and lazy chunks, and `/` and `/docs` redirecting to it. */
export function registerDocsRoutes(app: App, s: AppServices): void {
  // No default fonts: Scalar would fetch them from its own CDN.
  const page = Scalar({ url: '/v1/openapi.json', cdn: '/v1/docs/scalar.js', pageTitle: 'SMC Trading API reference', withDefaultFonts: false })
  app.openapi(secured(getApiReferenceRoute, s), (c, next) => page(c as never, next) as never)

  // Static assets of the page, not API operations (so not in the contract).
  app.get('/v1/docs/scalar.js', (c) => {
    bundle ??= readFileSync(join(bundleDir, 'standalone.js'), 'utf8')
    return c.body(bundle, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' })
  })
  app.get('/v1/docs/chunks/:file', (c) => {
    const file = c.req.param('file')
    if (!CHUNK.test(file)) return c.notFound()
    try {
      return c.body(readFileSync(join(bundleDir, 'chunks', file), 'utf8'), 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
    } catch {
      return c.notFound()
    }
  })
  app.get('/', (c) => c.redirect('/v1/docs', 302))
  app.get('/docs', (c) => c.redirect('/v1/docs', 302))
}
