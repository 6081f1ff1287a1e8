import { getLastScanRoute, getSymbolScanRoute, scanRoute } from '../../../generated'
import { idFactory } from '../../../core'
import { presetMismatch, scan, symbolReport, withOverrides } from '../../../scanner'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { requireSymbol, userOf } from '../../route-helpers'
import type { App } from '../../types'

/** Seed 003's scanner over the user's presets: every enabled symbol (or the body's), closed candles only. */
export function registerScannerRoutes(app: App, s: AppServices): void {
  const ids = idFactory()

  app.openapi(secured(scanRoute, s), async (c) => {
    const user = userOf(c)
    const name = c.req.valid('param').preset
    // The body is optional: an empty one is no changes.
    const text = await c.req.text()
    const body = text.trim() === '' ? {} : (c.req.valid('json') ?? {})
    if (body.preset !== undefined && body.preset !== name) throw presetMismatch(name, body.preset)
    const preset = withOverrides(s.presets.resolve(user, name), body.overrides)
    const symbols = body.symbols
      ? body.symbols.map((x) => requireSymbol(s, x))
      : s.market.symbols().filter((symbol) => s.settings.isSymbolEnabled(symbol))
    const result = scan(s.market, symbols, preset, s.market.now(), { limit: body.limit, newId: ids })
    s.scans.save(user, result)
    return c.json(result, 200)
  })

  app.openapi(secured(getLastScanRoute, s), (c) => c.json({ scan: s.scans.get(userOf(c)) }, 200))

  app.openapi(secured(getSymbolScanRoute, s), (c) => {
    const symbol = requireSymbol(s, c.req.valid('param').symbol)
    const preset = s.presets.resolve(userOf(c), c.req.valid('query').preset)
    return c.json(symbolReport(s.market, symbol, preset), 200)
  })
}
