import {
  emergencyStopEngineRoute,
  getEngineCommandsRoute,
  getEngineResourceHealthRoute,
  getEngineStatusRoute,
  getEngineTransitionsRoute,
  pauseEngineRoute,
  reloadEngineRoute,
  resumeEngineRoute,
  startEngineRoute,
  stopEngineRoute,
} from '../../../generated'
import type { AppServices } from '../../../services'
import { secured } from '../../middleware/security'
import { userOf } from '../../route-helpers'
import type { App } from '../../types'

/** Seed 003's engine lifecycle over the EngineService (one engine per user). */
export function registerEngineRoutes(app: App, s: AppServices): void {
  const e = s.engine
  /** An optional command body (`{ reason }`); none is fine. */
  const reasonOf = async (c: { req: { text(): Promise<string>; valid(t: 'json'): unknown } }): Promise<string | undefined> =>
    (await c.req.text()).trim() === '' ? undefined : (c.req.valid('json') as { reason?: string }).reason

  app.openapi(secured(startEngineRoute, s), (c) => {
    const b = c.req.valid('json')
    return c.json(e.start({ owner: userOf(c), preset: b.preset, mode: b.mode, symbols: b.symbols }) as never, 200)
  })
  app.openapi(secured(stopEngineRoute, s), async (c) => c.json(e.stop(userOf(c), await reasonOf(c as never)) as never, 200))
  app.openapi(secured(pauseEngineRoute, s), async (c) => c.json(e.pause(userOf(c), await reasonOf(c as never)) as never, 200))
  app.openapi(secured(resumeEngineRoute, s), (c) => c.json(e.resume(userOf(c)) as never, 200))
  app.openapi(secured(reloadEngineRoute, s), (c) => c.json(e.reload(userOf(c)) as never, 200))
  app.openapi(secured(emergencyStopEngineRoute, s), async (c) => c.json(e.emergencyStop(userOf(c), await reasonOf(c as never)) as never, 200))
  app.openapi(secured(getEngineStatusRoute, s), (c) => c.json(e.status(userOf(c)) as never, 200))
  app.openapi(secured(getEngineCommandsRoute, s), (c) => c.json(e.commands(userOf(c)) as never, 200))
  app.openapi(secured(getEngineTransitionsRoute, s), (c) => c.json(e.transitions(userOf(c), { limit: c.req.valid('query').limit }) as never, 200))
  app.openapi(secured(getEngineResourceHealthRoute, s), (c) => c.json(e.resourceHealth(userOf(c)) as never, 200))
}
