import type { Context } from 'hono'
import { hasAllScopes } from '../../../auth'
import {
  createBacktestRoute,
  getBacktestRoute,
  getExecutionEquityRoute,
  getExecutionEventsRoute,
  getExecutionLatestMetricsRoute,
  getExecutionStatusRoute,
  getExecutionTradesRoute,
  listBacktestsRoute,
  listExecutionsRoute,
  listStrategiesRoute,
  pauseExecutionRoute,
  rerunBacktestRoute,
  resumeExecutionRoute,
  stopExecutionRoute,
} from '../../../generated'
import type { AppServices } from '../../../services'
import { describeStrategies } from '../../../strategies'
import { secured } from '../../middleware/security'
import { readerOf } from '../../route-helpers'
import type { App, AppEnv } from '../../types'

/** An admin_full reader sees everyone's runs; anyone else their own. */
const ownerFilter = (reader: { userId: string; scopes: readonly string[] }): string | null =>
  hasAllScopes(reader.scopes as never, ['admin_full']) ? null : reader.userId

/** Strategies, backtests and seed 004's executions API (paths mapped onto /v1, no trailing slashes). */
export function registerExecutionRoutes(app: App, s: AppServices): void {
  app.openapi(secured(listStrategiesRoute, s), (c) => c.json({ strategies: describeStrategies() } as never, 200))

  app.openapi(secured(createBacktestRoute, s), async (c) => {
    const b = c.req.valid('json')
    const accepted = await s.backtests.create(readerOf(c).userId, {
      ...b,
      params: b.params as Record<string, unknown> | undefined,
      start_time: Date.parse(b.start_time),
      end_time: Date.parse(b.end_time),
    })
    return c.json(accepted, 202)
  })

  app.openapi(secured(listBacktestsRoute, s), (c) => c.json(s.executions.listTasks(ownerFilter(readerOf(c)), c.req.valid('query')) as never, 200))

  app.openapi(secured(getBacktestRoute, s), (c) => {
    const task = s.executions.taskAccess(c.req.valid('param').task_id, readerOf(c))
    return c.json(s.executions.task(task.id) as never, 200)
  })

  app.openapi(secured(rerunBacktestRoute, s), async (c) => c.json(await s.backtests.rerun(c.req.valid('param').task_id, readerOf(c)), 202))

  app.openapi(secured(listExecutionsRoute, s), (c) => c.json(s.executions.list(ownerFilter(readerOf(c)), c.req.valid('query')) as never, 200))

  /** The execution, after the ownership check (404 unknown, 403 another user's). */
  const owned = (c: Context<AppEnv>, id: number): number => {
    s.executions.access(id, readerOf(c))
    return id
  }

  app.openapi(secured(getExecutionStatusRoute, s), (c) => c.json(s.executions.status(owned(c, c.req.valid('param').execution_id)) as never, 200))
  app.openapi(secured(getExecutionEventsRoute, s), (c) =>
    c.json(s.executions.events(owned(c, c.req.valid('param').execution_id), c.req.valid('query')) as never, 200),
  )
  app.openapi(secured(getExecutionTradesRoute, s), (c) =>
    c.json(s.executions.trades(owned(c, c.req.valid('param').execution_id), c.req.valid('query')) as never, 200),
  )
  app.openapi(secured(getExecutionEquityRoute, s), (c) =>
    c.json(s.executions.equity(owned(c, c.req.valid('param').execution_id), c.req.valid('query')) as never, 200),
  )
  app.openapi(secured(getExecutionLatestMetricsRoute, s), (c) =>
    c.json(s.executions.latestMetrics(owned(c, c.req.valid('param').execution_id)) as never, 200),
  )
  app.openapi(secured(pauseExecutionRoute, s), async (c) => c.json((await s.backtests.pause(owned(c, c.req.valid('param').execution_id))) as never, 200))
  app.openapi(secured(resumeExecutionRoute, s), (c) => c.json(s.backtests.resume(owned(c, c.req.valid('param').execution_id)) as never, 200))
  app.openapi(secured(stopExecutionRoute, s), async (c) => c.json((await s.backtests.stop(owned(c, c.req.valid('param').execution_id))) as never, 200))
}
