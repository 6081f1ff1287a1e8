import { createPresetRoute, deletePresetRoute, getPresetRoute, listPresetsRoute, updatePresetRoute } from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { userOf } from '../../route-helpers'
import type { App } from '../../types'

/** Seed 003's presets: the PresetService validates (dotted fields), keeps copies per user, refuses in-use changes. */
export function registerPresetRoutes(app: App, s: AppServices): void {
  app.openapi(secured(listPresetsRoute, s), (c) => c.json({ presets: s.presets.list(userOf(c)) }, 200))

  app.openapi(secured(createPresetRoute, s), (c) => c.json(s.presets.create(userOf(c), c.req.valid('json')), 201))

  app.openapi(secured(getPresetRoute, s), (c) => c.json(s.presets.get(userOf(c), c.req.valid('param').name), 200))

  app.openapi(secured(updatePresetRoute, s), (c) => c.json(s.presets.put(userOf(c), c.req.valid('param').name, c.req.valid('json')), 200))

  app.openapi(secured(deletePresetRoute, s), (c) => {
    const name = c.req.valid('param').name
    return c.json({ deleted: name, restored: s.presets.delete(userOf(c), name) }, 200)
  })
}
